/**
 * Which client certificate the edge presents to a hostname's origin (Cloudflare docs: "Authenticated Origin Pulls"):
 * a per-hostname association that is enabled and whose certificate is active wins; one that is disabled sends no
 * certificate to that hostname even when zone-level AOP is on. Otherwise, with zone-level AOP enabled, the zone's most
 * recently uploaded active certificate, or, when the zone uploaded none, the shared global certificate (which proves
 * only "some Cloudflare customer"). Certificates still pending deployment are not presented yet.
 */
import { createHash } from 'node:crypto'
import { pemBlocks } from '../ca'
import type { GlobalAop } from '../origin-pki'
import { aopCertificates, aopEnabled, aopHostnames } from '../routes/origin-pulls'
import type { SandboxState, ZoneRecord } from '../state'

/** The edge's answer headers about the origin leg (what a probe reads): one list, beside the probe's model. */
import { ORIGIN_LEG_HEADERS } from '../../../shared/probe-model'

export { ORIGIN_LEG_HEADERS }

export type OriginPullSource = 'hostname' | 'zone' | 'global' | 'none' | 'disabled'

export interface OriginPull {
  source: OriginPullSource
  /** The AOP certificate's id (`global` for the shared one); absent when none is presented. */
  id?: string
  /** SHA-256 of the presented certificate, lower-case hex. */
  fingerprint?: string
  certificate?: string
  privateKey?: string
}

const fingerprints = new Map<string, string>()

function fingerprintOf(pem: string): string {
  let fingerprint = fingerprints.get(pem)
  if (!fingerprint) {
    const der = pemBlocks(pem).find((b) => b.label === 'CERTIFICATE')?.der ?? Buffer.alloc(0)
    fingerprint = createHash('sha256').update(der).digest('hex')
    fingerprints.set(pem, fingerprint)
  }
  return fingerprint
}

export function originPullFor(state: SandboxState, zone: ZoneRecord, hostname: string, global: GlobalAop): OriginPull {
  const active = (id: string): ReturnType<typeof aopCertificates>[number] | undefined =>
    aopCertificates(state).find((c) => c.id === id && c.zoneId === zone.id && c.status === 'active')
  const association = aopHostnames(state).find((h) => h.zoneId === zone.id && h.hostname === hostname)
  if (association?.enabled === false) return { source: 'disabled' }
  const byHostname = association ? active(association.certId) : undefined
  const present = (source: OriginPullSource, id: string, certificate: string, privateKey: string): OriginPull => ({
    source,
    id,
    fingerprint: fingerprintOf(certificate),
    certificate,
    privateKey,
  })
  if (byHostname) return present('hostname', byHostname.id, byHostname.certificate, byHostname.privateKey)
  if (!aopEnabled(state, zone.id)) return { source: 'none' }
  const zoneLevel = aopCertificates(state)
    .filter((c) => c.zoneId === zone.id && c.kind === 'zone' && c.status === 'active')
    .sort((a, b) => b.uploadedOn.localeCompare(a.uploadedOn))[0]
  if (zoneLevel) return present('zone', zoneLevel.id, zoneLevel.certificate, zoneLevel.privateKey)
  return present('global', 'global', global.certificate, global.privateKey)
}

/** The origin-pull facts as answer headers, so a probe can tell which certificate the edge presented. */
export function originPullHeaders(pull: OriginPull): Record<string, string> {
  return {
    [ORIGIN_LEG_HEADERS.pullSource]: pull.source,
    ...(pull.id ? { [ORIGIN_LEG_HEADERS.pullCertificateId]: pull.id } : {}),
    ...(pull.fingerprint ? { [ORIGIN_LEG_HEADERS.pullFingerprint]: pull.fingerprint } : {}),
  }
}
