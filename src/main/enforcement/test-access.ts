// "Test access" from the app (issue #13 §3): the renderer names a vault key (or "no certificate"); main reads the key
// and its certificate from the vault itself, so no private key crosses IPC. With a Sandbox profile, a hostname of the
// Sandbox's zones is sent to the Sandbox edge on loopback (as curl's --resolve) and the Edge CA is trusted; otherwise
// the request goes to the real hostname.
import { AppError } from '../../shared/errors'
import type { ProbeOutcome, ProbeResult } from '../../shared/probe-model'
import type { VaultEntry } from '../../shared/pki-model'
import { hostnameInZone } from '../sandbox/http'
import { probe, probeTarget } from './probe'

export interface TestAccessRequest {
  url: string
  keyId?: string | undefined
  noCert?: boolean | undefined
  expect?: ProbeOutcome | undefined
}

/** The Sandbox edge as the app's SandboxHost runs it: where it listens, the CA of its server certificate, its zones. */
export interface EdgeTarget {
  port: number
  caPem: string
  zones: readonly string[]
}

export interface TestAccessSource {
  vault: { get(id: string): VaultEntry; exportPkcs8(id: string): Promise<string> }
  /** The Sandbox edge when the profile is the Sandbox's; null for Cloudflare (the real hostname is asked). */
  edge(): Promise<EdgeTarget | null>
  signal?: AbortSignal
}

async function clientOf(source: TestAccessSource, keyId: string): Promise<{ certificatePem: string; keyPem: string }> {
  const entry = source.vault.get(keyId)
  if (!entry.certificate) {
    throw new AppError('bad_input', `The vault key "${entry.label}" has no certificate yet, so there is nothing to present.`, {
      hint: 'Issue its certificate first (Create certificate), or choose "no certificate".',
    })
  }
  return { certificatePem: entry.certificate.pem, keyPem: await source.vault.exportPkcs8(entry.id) }
}

export async function testAccess(source: TestAccessSource, request: TestAccessRequest): Promise<ProbeResult> {
  const target = probeTarget(request.url)
  const client = request.keyId === undefined || request.noCert ? undefined : await clientOf(source, request.keyId)
  const edge = await source.edge()
  let url = request.url
  let routed: { resolve: string; caPem: string } | undefined
  if (edge !== null) {
    if (!edge.zones.some((zone) => hostnameInZone(target.hostname, zone))) {
      throw new AppError(
        'bad_input',
        `${target.hostname} is not a hostname of the Sandbox's zones, so the Sandbox edge cannot answer for it.`,
        {
          hint: `Use a hostname of ${edge.zones.join(', ')}, e.g. api.${edge.zones[0] ?? 'example.com'}.`,
        },
      )
    }
    // The same path and Host, sent to the edge's port on loopback: SNI and Host pick the zone there.
    const parsed = new URL(request.url)
    parsed.port = String(edge.port)
    url = parsed.toString()
    routed = { resolve: `${target.hostname}:${edge.port}:127.0.0.1`, caPem: edge.caPem }
  }
  return probe({
    url,
    ...(client ? { client } : {}),
    ...(routed ?? {}),
    ...(request.expect ? { expect: request.expect } : {}),
    ...(source.signal ? { signal: source.signal } : {}),
  })
}
