/**
 * Hostname associations of a zone's CA: the Cloudflare-managed CA (no mtls_certificate_id) or a
 * bring-your-own CA uploaded to account mTLS certificates. The API replaces the *whole* list on
 * PUT ([] removes all), so every change goes through an explicit plan the user can review, and
 * the list read just before the PUT must still be the one the plan was made from.
 */
import type { HostnamePlan } from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import type { CloudflareClient } from './client'
import type { ZoneScope } from './client-certificates'
import { guard, zoneContext } from './errors'
import { zoneLabel, type OperationsOf } from './operation'
import { read, SSL_READ, SSL_WRITE, write } from './operations'

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

/** Lower-case, trimmed, without a trailing dot; throws bad_input for anything that is not a hostname. */
export function normaliseHostname(input: string): string {
  const host = input.trim().toLowerCase().replace(/\.$/, '')
  const labels = host.split('.')
  const plain = labels[0] === '*' ? labels.slice(1) : labels
  if (!host || host.length > 253 || plain.length < 2 || !plain.every((l) => LABEL.test(l))) {
    throw new AppError('bad_input', `"${input.trim()}" is not a hostname.`, {
      hint: 'Use a name like api.example.com (a leading "*." is allowed for a wildcard).',
    })
  }
  return host
}

/** Normalised, duplicates removed, order of first appearance kept. */
export function normaliseHostnames(list: readonly string[]): string[] {
  return [...new Set(list.map(normaliseHostname))]
}

/**
 * What replacing `current` with `next` does. Names compare case-insensitively; `added` keeps the
 * order of `next`, `removed` and `kept` the order of `current`.
 */
export function planReplace(current: readonly string[], next: readonly string[]): HostnamePlan {
  const norm = (h: string) => h.trim().toLowerCase().replace(/\.$/, '')
  const before = [...new Set(current.map(norm))]
  const after = [...new Set(next.map(norm))]
  const afterSet = new Set(after)
  const beforeSet = new Set(before)
  return {
    added: after.filter((h) => !beforeSet.has(h)),
    removed: before.filter((h) => !afterSet.has(h)),
    kept: before.filter((h) => afterSet.has(h)),
  }
}

export function planIsEmpty(plan: HostnamePlan): boolean {
  return plan.added.length === 0 && plan.removed.length === 0
}

export interface CaRef {
  /** Absent: the zone's Cloudflare-managed CA. */
  mtlsCertificateId?: string | undefined
}

function target(ca: CaRef): string {
  return ca.mtlsCertificateId ? `CA ${ca.mtlsCertificateId}` : 'the Cloudflare-managed CA'
}

export async function getHostnameAssociations(
  client: CloudflareClient,
  scope: ZoneScope,
  ca: CaRef = {},
  signal?: AbortSignal,
): Promise<string[]> {
  const result = await guard(zoneContext(scope, 'hostnames.get', target(ca)), async () =>
    client.sdk.certificateAuthorities.hostnameAssociations.get(
      { zone_id: scope.zoneId, ...(ca.mtlsCertificateId ? { mtls_certificate_id: ca.mtlsCertificateId } : {}) },
      { signal },
    ),
  )
  return result.hostnames ?? []
}

export interface ReplaceRequest extends CaRef {
  hostnames: readonly string[]
  /** The list the user's plan was made from; if the live list differs, nothing is changed. */
  expectedCurrent?: readonly string[] | undefined
}

export interface ReplaceResult {
  plan: HostnamePlan
  hostnames: string[]
  /** False when the plan was empty and no PUT was sent. */
  changed: boolean
}

export async function replaceHostnameAssociations(
  client: CloudflareClient,
  scope: ZoneScope,
  request: ReplaceRequest,
  signal?: AbortSignal,
): Promise<ReplaceResult> {
  const next = normaliseHostnames(request.hostnames)
  const current = await getHostnameAssociations(client, scope, request, signal)
  if (request.expectedCurrent) {
    const drift = planReplace(request.expectedCurrent, current)
    if (!planIsEmpty(drift)) {
      throw new AppError(
        'conflict',
        `The hostnames of ${target(request)} changed since the plan was made ` +
          `(${[...drift.added.map((h) => `+${h}`), ...drift.removed.map((h) => `-${h}`)].join(', ')}).`,
        {
          hint: 'Review the new plan and apply it again.',
          details: { ...drift },
        },
      )
    }
  }
  const plan = planReplace(current, next)
  if (planIsEmpty(plan)) return { plan, hostnames: current, changed: false }
  const result = await guard(zoneContext(scope, 'hostnames.replace', target(request)), async () =>
    client.sdk.certificateAuthorities.hostnameAssociations.update(
      { zone_id: scope.zoneId, hostnames: next, ...(request.mtlsCertificateId ? { mtls_certificate_id: request.mtlsCertificateId } : {}) },
      { signal },
    ),
  )
  return { plan, hostnames: result.hostnames ?? next, changed: true }
}

/** The operations of `hostnames:*` (what an operation declares: operation.ts). */
export const hostnamesOperations = {
  'hostnames.get': {
    scope: 'zone',
    permission: read('read hostname associations', SSL_READ),
    call: ({ client, at, request, signal }) =>
      getHostnameAssociations(client, at, { mtlsCertificateId: request.mtlsCertificateId }, signal),
  },
  /** The plan for the review screen: the live list and what replacing it with `hostnames` does. */
  'hostnames.plan': {
    scope: 'zone',
    permission: read('plan a change of hostname associations', SSL_READ),
    call: async ({ client, at, request, signal }) => {
      const next = normaliseHostnames(request.hostnames)
      const current = await getHostnameAssociations(client, at, { mtlsCertificateId: request.mtlsCertificateId }, signal)
      return { current, plan: planReplace(current, next) }
    },
  },
  'hostnames.replace': {
    scope: 'zone',
    permission: write('replace hostname associations', SSL_WRITE),
    call: ({ client, at, request, signal }) => replaceHostnameAssociations(client, at, request, signal),
    audit: {
      words: 'Changed mTLS hostnames',
      before: (request, at) => {
        const ca = request.mtlsCertificateId ? `CA ${request.mtlsCertificateId}` : 'managed CA'
        const on = `${ca} on zone ${zoneLabel(at)}`
        return { target: on, objectId: at.zoneId, objectName: on }
      },
      after: (r) => ({ detail: { added: r.plan.added.join(' '), removed: r.plan.removed.join(' '), changed: r.changed } }),
    },
  },
} as const satisfies OperationsOf<'hostnames'>
