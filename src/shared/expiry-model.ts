/**
 * The expiry radar: every certificate Certdesk can see (Cloudflare's surfaces, the vault, this machine's trusted
 * roots) with its expiry, what breaks when it expires and how to renew it. The radar's answer stays small at any
 * scale: a summary (counts per week for the next 52 weeks, per surface, per source) and the items a page at a time.
 */
import { z } from 'zod'
import { ErrorMessage } from './model'

/** Where a certificate lives, in the order the radar lists them. */
export const EXPIRY_SURFACES = [
  'clientCert',
  'accessRoot',
  'mtlsCert',
  'gatewayRoot',
  'aopCert',
  'originCaCert',
  'localCa',
  'issuedCert',
  'installedRoot',
] as const
export const ExpirySurface = z.enum(EXPIRY_SURFACES)
export type ExpirySurface = z.infer<typeof ExpirySurface>

/** Expired; expires within the window (Settings: expiry window, days); later. */
export const ExpiryState = z.enum(['expired', 'expiring', 'ok'])
export type ExpiryState = z.infer<typeof ExpiryState>

/** How each surface's certificate is renewed; the renderer maps the kind to the screen that does it. */
export const RenewKind = z.enum([
  'reissueClientCert',
  'replaceAccessRoot',
  'replaceMtlsCert',
  'rotateGatewayRoot',
  'rotateAop',
  'recreateOriginCa',
  'reissueLocalCa',
  'reissueFromCa',
  'replaceInstalledRoot',
])
export type RenewKind = z.infer<typeof RenewKind>

/** Each surface's name, singular and plural. */
const SURFACE_NAMES: Record<ExpirySurface, [label: string, plural: string]> = {
  clientCert: ['Client certificate', 'Client certificates'],
  accessRoot: ['Access root', 'Access roots'],
  mtlsCert: ['Account mTLS certificate', 'Account mTLS certificates'],
  gatewayRoot: ['Gateway root', 'Gateway roots'],
  aopCert: ['AOP certificate', 'AOP certificates'],
  originCaCert: ['Origin CA certificate', 'Origin CA certificates'],
  localCa: ['Local CA', 'Local CAs'],
  issuedCert: ['Issued certificate', 'Issued certificates'],
  installedRoot: ['Root installed on this machine', 'Roots installed on this machine'],
}

/** What breaks when a surface's certificate expires, one sentence. */
const SURFACE_BREAKS: Record<ExpirySurface, string> = {
  clientCert: 'Devices presenting this certificate are refused by the mTLS rules of its zone.',
  accessRoot: 'Access stops accepting client certificates signed by this root on its hostnames.',
  mtlsCert: 'Client certificates checked against this CA fail, and the services using it refuse them.',
  gatewayRoot: 'Every connection Gateway inspects fails on the devices that trust this root.',
  aopCert: "The origin refuses Cloudflare's connections: the site goes down.",
  originCaCert: 'Cloudflare cannot reach the origin in Full (strict) mode: the site goes down.',
  localCa: 'This CA can no longer sign, and every certificate chaining to it stops validating.',
  issuedCert: 'The server or client using this certificate is refused by its peers.',
  installedRoot: 'This machine stops trusting the certificates issued under this root.',
}

/** The action that renews a surface's certificate. */
const SURFACE_RENEW: Record<ExpirySurface, { kind: RenewKind; label: string }> = {
  clientCert: { kind: 'reissueClientCert', label: 'Reissue (same or new key), then revoke the old one' },
  accessRoot: { kind: 'replaceAccessRoot', label: 'Add the renewed root and move its hostnames' },
  mtlsCert: { kind: 'replaceMtlsCert', label: 'Upload the renewed CA and move its associations' },
  gatewayRoot: { kind: 'rotateGatewayRoot', label: 'Generate a new root, deploy it to devices, activate it' },
  aopCert: { kind: 'rotateAop', label: 'Follow the rotation steps' },
  originCaCert: { kind: 'recreateOriginCa', label: 'Recreate from a new CSR and install it on the origin' },
  localCa: { kind: 'reissueLocalCa', label: 'Re-issue the CA certificate with the same key (or plan a new key)' },
  issuedCert: { kind: 'reissueFromCa', label: 'Issue a new certificate from its CA' },
  installedRoot: { kind: 'replaceInstalledRoot', label: 'Install its successor, then remove it' },
}

/** One fact per surface: its name, what breaks when its certificate expires, and the action that renews it. */
export const SURFACE_FACTS = Object.fromEntries(
  EXPIRY_SURFACES.map((surface) => {
    const [label, plural] = SURFACE_NAMES[surface]
    return [surface, { label, plural, breaks: SURFACE_BREAKS[surface], renew: SURFACE_RENEW[surface] }]
  }),
) as Record<ExpirySurface, { label: string; plural: string; breaks: string; renew: { kind: RenewKind; label: string } }>

/** Where an item lives, by id and in words ("Acme · zone example.com"). */
export const ExpiryWhere = z.object({
  profileId: z.string().optional(),
  profileName: z.string().optional(),
  accountId: z.string().optional(),
  accountName: z.string().optional(),
  zoneId: z.string().optional(),
  zoneName: z.string().optional(),
  /** Per-hostname AOP: the hostnames presenting it; an Origin CA certificate: its hostnames. */
  hostnames: z.array(z.string()).optional(),
  /** In words, e.g. "Sandbox · zone example.com", "This machine · vault", "This machine · system store". */
  text: z.string(),
})
export type ExpiryWhere = z.infer<typeof ExpiryWhere>

export const ExpiryItem = z.object({
  /** Stable across refreshes: surface, scope and id (`clientCert:<profile>:zone:<zone>:<id>`). */
  key: z.string(),
  surface: ExpirySurface,
  id: z.string(),
  name: z.string(),
  where: ExpiryWhere,
  /** ISO 8601. */
  notAfter: z.string(),
  state: ExpiryState,
  /** Whole days until notAfter (negative once expired). */
  daysLeft: z.number().int(),
  /** What breaks when it expires, one sentence. */
  breaks: z.string(),
  renew: z.object({ kind: RenewKind, label: z.string() }),
  /** The source (see ExpirySource.key) it came from. */
  source: z.string(),
})
export type ExpiryItem = z.infer<typeof ExpiryItem>

/** Counts of one group of items, per surface (a surface with none is absent). */
export const SurfaceCounts = z.partialRecord(ExpirySurface, z.number().int())
export type SurfaceCounts = z.infer<typeof SurfaceCounts>

/** One week of the timeline: [start, end) from now, week 0 starting now. */
export const ExpiryWeek = z.object({
  index: z.number().int(),
  start: z.string(),
  end: z.string(),
  total: z.number().int(),
  /** Of which within the expiry window. */
  expiring: z.number().int(),
  bySurface: SurfaceCounts,
})
export type ExpiryWeek = z.infer<typeof ExpiryWeek>

/** Where items come from: one Cloudflare listing per (profile, scope, surface), the vault, this machine's roots. */
export const ExpirySource = z.object({
  key: z.string(),
  surface: ExpirySurface.optional(),
  /** In words: "Sandbox · zone example.com · client certificates". */
  label: z.string(),
  profileId: z.string().optional(),
  /** When its listing was last fetched (ISO); absent: never. */
  fetchedAt: z.string().optional(),
  /** Due for a refresh (older than the freshness limit, or the last refresh failed). */
  stale: z.boolean(),
  refreshing: z.boolean(),
  /** Why the last refresh failed (the cached listing, if any, is still shown). */
  error: ErrorMessage.optional(),
  /** API requests its last refresh sent (retries included; a failed refresh's too). */
  requests: z.number().int(),
  items: z.number().int(),
})
export type ExpirySource = z.infer<typeof ExpirySource>

export const ExpirySummary = z.object({
  /** The time the radar was judged at (ISO). */
  now: z.string(),
  windowDays: z.number().int(),
  totals: z.object({ all: z.number().int(), expired: z.number().int(), expiring: z.number().int(), ok: z.number().int() }),
  /** Per surface: all, expired, expiring. */
  surfaces: z.array(
    z.object({ surface: ExpirySurface, label: z.string(), all: z.number().int(), expired: z.number().int(), expiring: z.number().int() }),
  ),
  /** Already expired, by surface. */
  expired: SurfaceCounts,
  /** 52 weeks from now. */
  weeks: z.array(ExpiryWeek),
  /** Expiring after the last week, by surface. */
  later: SurfaceCounts,
  sources: z.array(ExpirySource),
  /** A refresh is running. */
  refreshing: z.boolean(),
})
export type ExpirySummary = z.infer<typeof ExpirySummary>

/** Which items to list: a bar of the chart (a week, the expired ones, the later ones), a surface, a state. */
export const ExpiryBucket = z.union([z.number().int().min(0).max(51), z.literal('expired'), z.literal('later')])
export type ExpiryBucket = z.infer<typeof ExpiryBucket>

export const ExpiryFilter = z.object({
  bucket: ExpiryBucket.optional(),
  surface: ExpirySurface.optional(),
  state: ExpiryState.optional(),
  profileId: z.string().optional(),
  /** Part of the name, id or place, any case. */
  text: z.string().max(200).optional(),
})
export type ExpiryFilter = z.infer<typeof ExpiryFilter>

export const ExpiryPage = z.object({ items: z.array(ExpiryItem), total: z.number().int(), offset: z.number().int() })
export type ExpiryPage = z.infer<typeof ExpiryPage>

/** The sidebar's badge. */
export const ExpiryCount = z.object({ expired: z.number().int(), expiring: z.number().int() })
export type ExpiryCount = z.infer<typeof ExpiryCount>

/** Days in a week and weeks on the timeline. */
export const WEEK_MS = 7 * 86_400_000
export const TIMELINE_WEEKS = 52
