/**
 * The Sandbox's whole world as one plain JSON document: what it persists to `--state FILE`, what
 * `reset()` rebuilds from the seed, and what routes read and change.
 *
 * Pending states (revocation, reactivation, Gateway deployment) carry a `settlesAt` timestamp and are
 * advanced lazily by `settle()` at the start of every request — no timers, so the state survives a
 * restart and tests stay deterministic (they pass small delays or their own clock).
 */
import { readFileSync, renameSync } from 'node:fs'
import { AppError } from '../../shared/errors'
import { writeFileAtomic } from '../storage/json-file'
import type { IssuedClientCertificate, StoredCa } from './ca'

export const STATE_VERSION = 1

export type ClientCertStatus = 'active' | 'pending_reactivation' | 'pending_revocation' | 'revoked'
export type BindingStatus = 'pending_deployment' | 'available' | 'pending_deletion' | 'inactive'
/** Authenticated Origin Pulls certificate status; `deleted` records are dropped once their deletion settles. */
export type AopStatus = 'pending_deployment' | 'active' | 'pending_deletion'

export interface Limits {
  /** Error 1445 once a zone holds this many non-revoked client certificates. */
  clientCertificatesPerZone: number
  /** Error 1489: CA certificates per account (shared by API Shield BYOCA, Workers mTLS, Gateway). */
  accountCas: number
  /** Error 12130: Access mTLS roots per account or zone. */
  accessCertificates: number
  customGatewayRoots: number
  gatewayAvailable: number
  gatewayNewPerDay: number
  /** Per-hostname Authenticated Origin Pulls certificates per zone. */
  aopHostnameCertificates: number
  /** Hostnames associated with one per-hostname AOP certificate. */
  aopHostnamesPerCertificate: number
}

export const DEFAULT_LIMITS: Limits = {
  clientCertificatesPerZone: 5000,
  accountCas: 5,
  accessCertificates: 50,
  customGatewayRoots: 5,
  gatewayAvailable: 10,
  gatewayNewPerDay: 3,
  aopHostnameCertificates: 10,
  aopHostnamesPerCertificate: 100,
}

export interface AccountRecord {
  id: string
  name: string
  type: 'standard' | 'enterprise'
  createdOn: string
}

export interface ZoneRecord {
  id: string
  name: string
  accountId: string
  status: 'initializing' | 'pending' | 'active' | 'moved'
  createdOn: string
  managedCa: StoredCa
}

/** Permission names exactly as Cloudflare's token UI and 403 messages spell them. */
export type Permission =
  | 'SSL and Certificates Read'
  | 'SSL and Certificates Write'
  | 'Account: SSL and Certificates Read'
  | 'Account: SSL and Certificates Write'
  | 'Access: Mutual TLS Certificates Read'
  | 'Access: Mutual TLS Certificates Write'
  | 'Zero Trust Read'
  | 'Zero Trust Write'
  | 'Zone Read'
  | 'Zone Edit'
  | 'Zone WAF Read'
  | 'Zone WAF Write'

export const ALL_PERMISSIONS: Permission[] = [
  'SSL and Certificates Read',
  'SSL and Certificates Write',
  'Account: SSL and Certificates Read',
  'Account: SSL and Certificates Write',
  'Access: Mutual TLS Certificates Read',
  'Access: Mutual TLS Certificates Write',
  'Zero Trust Read',
  'Zero Trust Write',
  'Zone Read',
  'Zone Edit',
  'Zone WAF Read',
  'Zone WAF Write',
]

export interface TokenRecord {
  id: string
  /** Which seeded role it plays (full, readOnly, ...). */
  label: string
  value: string
  /** Account-owned tokens are unknown to `/user/tokens/verify` (401) but work everywhere else. */
  owner: 'user' | 'account'
  /** `expired`/`disabled` still answer at the verify endpoints (with that status); every other call is 401. */
  status: 'active' | 'revoked' | 'expired' | 'disabled'
  expiresOn?: string
  permissions: Permission[]
}

/** What the managed CA issued, plus what the API keeps about it. */
export interface ClientCertRecord extends IssuedClientCertificate {
  id: string
  zoneId: string
  csr: string
  validityDays: number
  status: ClientCertStatus
  /** When a pending status resolves (ms since epoch); null = it stays as it is. */
  settlesAt: number | null
}

export interface HostnameAssociation {
  zoneId: string
  /** null = the zone's Cloudflare Managed CA. */
  mtlsCertificateId: string | null
  hostnames: string[]
}

export type Scope = 'accounts' | 'zones'

export interface AccessCertRecord {
  id: string
  scope: Scope
  scopeId: string
  name: string
  certificate: string
  fingerprint: string
  expiresOn: string
  associatedHostnames: string[]
  createdAt: string
  updatedAt: string
}

export interface AccessHostnameSetting {
  hostname: string
  china_network: boolean
  client_certificate_forwarding: boolean
}

export interface AccessSettingsRecord {
  scope: Scope
  scopeId: string
  settings: AccessHostnameSetting[]
}

export interface MtlsCertRecord {
  id: string
  accountId: string
  name: string
  ca: boolean
  certificates: string
  issuer: string
  serialNumber: string
  signature: string
  expiresOn: string
  uploadedOn: string
  updatedAt: string
  /** Whether a private key was uploaded. The key itself is never stored (it cannot be read back). */
  hasPrivateKey: boolean
}

export interface GatewayCertRecord {
  id: string
  accountId: string
  type: 'custom' | 'gateway_managed'
  certificate: string
  fingerprint: string
  issuerOrg: string
  issuerRaw: string
  createdAt: string
  updatedAt: string
  uploadedOn: string
  expiresOn: string
  binding: BindingStatus
  settlesAt: number | null
}

export interface GatewayConfigRecord {
  accountId: string
  settings: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

/** A zone's phase entry point ruleset (routes/rulesets.ts). Rules are kept as sent, unknown properties included. */
export interface RulesetRecord {
  id: string
  zoneId: string
  phase: string
  name: string
  description: string
  /** A whole number as a string, +1 on every change. */
  version: string
  lastUpdated: string
  rules: Array<Record<string, unknown>>
}

/**
 * An Authenticated Origin Pulls client certificate (zone-level or per-hostname). Unlike an mTLS upload, its key is
 * kept: the edge presents this certificate to the origin. Never sent back by the API.
 */
export interface AopCertRecord {
  id: string
  zoneId: string
  kind: 'zone' | 'hostname'
  certificate: string
  privateKey: string
  issuer: string
  serialNumber: string
  signature: string
  fingerprintSha256: string
  expiresOn: string
  uploadedOn: string
  updatedAt: string
  status: AopStatus
  settlesAt: number | null
}

/** A hostname's per-hostname AOP association (`enabled: false` = send no certificate to that hostname). */
export interface AopHostnameRecord {
  zoneId: string
  hostname: string
  certId: string
  enabled: boolean
  createdAt: string
  updatedAt: string
}

/** An Origin CA certificate (`/certificates`): a server certificate for the origin, signed by the Sandbox Origin CA. */
export interface OriginCaCertRecord {
  /** The certificate's serial number in decimal, as Cloudflare identifies Origin CA certificates. */
  id: string
  zoneId: string
  certificate: string
  csr: string
  hostnames: string[]
  requestType: 'origin-rsa' | 'origin-ecc'
  requestedValidity: number
  expiresOn: string
  revokedAt: string | null
}

export interface SandboxState {
  version: typeof STATE_VERSION
  seed: 'demo' | 'empty'
  limits: Limits
  accounts: AccountRecord[]
  zones: ZoneRecord[]
  tokens: TokenRecord[]
  clientCertificates: ClientCertRecord[]
  hostnameAssociations: HostnameAssociation[]
  accessCertificates: AccessCertRecord[]
  accessSettings: AccessSettingsRecord[]
  mtlsCertificates: MtlsCertRecord[]
  gatewayCertificates: GatewayCertRecord[]
  gatewayConfigs: GatewayConfigRecord[]
  /** Absent in state files saved before rulesets existed. */
  rulesets?: RulesetRecord[]
  /** Absent in state files saved before Authenticated Origin Pulls existed (as are the three below). */
  aopCertificates?: AopCertRecord[]
  aopHostnames?: AopHostnameRecord[]
  /** Zone ids with zone-level Authenticated Origin Pulls enabled. */
  aopEnabledZones?: string[]
  originCaCertificates?: OriginCaCertRecord[]
}

/** Advance every pending status whose time has come. Returns whether anything changed. */
export function settle(state: SandboxState, now: number): boolean {
  let changed = false
  for (const cert of state.clientCertificates) {
    if (cert.settlesAt !== null && cert.settlesAt <= now) {
      if (cert.status === 'pending_revocation') cert.status = 'revoked'
      else if (cert.status === 'pending_reactivation') cert.status = 'active'
      cert.settlesAt = null
      changed = true
    }
  }
  for (const cert of state.gatewayCertificates) {
    if (cert.settlesAt !== null && cert.settlesAt <= now) {
      if (cert.binding === 'pending_deployment') cert.binding = 'available'
      else if (cert.binding === 'pending_deletion') cert.binding = 'inactive'
      cert.settlesAt = null
      cert.updatedAt = new Date(now).toISOString()
      changed = true
    }
  }
  const aop = state.aopCertificates ?? []
  for (const cert of aop) {
    if (cert.settlesAt !== null && cert.settlesAt <= now) {
      if (cert.status === 'pending_deployment') cert.status = 'active'
      cert.settlesAt = null
      cert.updatedAt = new Date(now).toISOString()
      changed = true
    }
  }
  // A settled deletion removes the certificate (and what pointed at it).
  const gone = new Set(aop.filter((c) => c.status === 'pending_deletion' && c.settlesAt === null).map((c) => c.id))
  if (gone.size) {
    state.aopCertificates = aop.filter((c) => !gone.has(c.id))
    state.aopHostnames = (state.aopHostnames ?? []).filter((h) => !gone.has(h.certId))
  }
  return changed
}

export function saveState(path: string, state: SandboxState): void {
  writeFileAtomic(path, `${JSON.stringify(state)}\n`)
}

/** Read a state file; null when it does not exist. A damaged file is moved aside, never overwritten. */
export function loadState(path: string): SandboxState | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new AppError('storage_unreadable', `Cannot read the Sandbox state file ${path}: ${(error as Error).message}`, {
      hint: 'Check the file permissions, or pass another --state path.',
      cause: error,
    })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = null
  }
  const doc = parsed as Partial<SandboxState> | null
  if (doc && doc.version === STATE_VERSION && Array.isArray(doc.accounts) && Array.isArray(doc.zones) && Array.isArray(doc.tokens)) {
    return { ...doc, limits: { ...DEFAULT_LIMITS, ...doc.limits } } as SandboxState
  }
  const movedTo = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, movedTo)
  throw new AppError(
    'storage_corrupt',
    `The Sandbox state file ${path} is not a Sandbox state (version ${STATE_VERSION}); it was moved to ${movedTo}.`,
    {
      hint: 'Start again to get a fresh seeded Sandbox, or restore the moved file.',
    },
  )
}
