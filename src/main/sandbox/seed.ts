/**
 * The Sandbox's starting worlds. `empty`: an account, two zones and the tokens, nothing else.
 * `demo`: also client certificates in every status, hostname associations, Access roots and
 * settings, account mTLS CAs (one of them a custom Gateway root) and Gateway certificates.
 *
 * Account and zone ids are fixed so a saved "Sandbox" profile keeps working after a reset or a
 * restart. Tokens are random per Sandbox, made when its state is first created and kept in that
 * state (the user-data folder, 0600) across restarts and resets: one install's token does not work
 * against another install's Sandbox.
 */
import { createHash, randomBytes } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { createRootCa, generateKeyPair, isoSeconds, parseCertificates } from './ca'
import { gatewayRecord, generateGatewayCertificate } from './routes/gateway'
import { createClientCertificate } from './routes/client-certificates'
import {
  ALL_PERMISSIONS,
  DEFAULT_LIMITS,
  STATE_VERSION,
  type ClientCertStatus,
  type Limits,
  type Permission,
  type SandboxState,
  type TokenRecord,
  type ZoneRecord,
} from './state'

export type SeedKind = 'demo' | 'empty'

const DAY = 86_400_000

/** A stable 32-hex id derived from a label (Cloudflare account/zone/token ids are 32 hex). */
export function stableId(label: string): string {
  return createHash('sha256').update(`certdesk-sandbox:${label}`).digest('hex').slice(0, 32)
}

/** A random 40-character token of Cloudflare's alphabet, recognisable as a Sandbox token by its prefix. */
function randomToken(label: string): string {
  const prefix = `sandbox_${label}_`
  return (
    prefix +
    randomBytes(32)
      .toString('base64url')
      .slice(0, 40 - prefix.length)
  )
}

/** The fixed token every install had before tokens were random; a state holding one gets new tokens. */
function legacyToken(label: string): string {
  const prefix = `sandbox_${label}_`
  return (
    prefix +
    createHash('sha256')
      .update(`certdesk-sandbox-token:${label}`)
      .digest('base64url')
      .slice(0, 40 - prefix.length)
  )
}

export const SANDBOX_ACCOUNT = { id: stableId('account'), name: 'Sandbox Demo Account' }
export const SANDBOX_ZONES = [
  { id: stableId('zone:example.com'), name: 'example.com' },
  { id: stableId('zone:example.net'), name: 'example.net' },
]

const READ_ONLY: Permission[] = ALL_PERMISSIONS.filter((p) => p.endsWith('Read'))

type TokenTemplate = Omit<TokenRecord, 'value'>

function token(
  label: string,
  permissions: Permission[],
  owner: TokenRecord['owner'] = 'user',
  status: TokenRecord['status'] = 'active',
  expiresOn?: string,
): TokenTemplate {
  return { id: stableId(`token:${label}`), label, owner, status, permissions, ...(expiresOn ? { expiresOn } : {}) }
}

/** The seeded tokens, without their values (those are random per Sandbox). */
const TOKEN_TEMPLATES: TokenTemplate[] = [
  token('full', ALL_PERMISSIONS),
  token('readOnly', READ_ONLY),
  token(
    'noSslWrite',
    ALL_PERMISSIONS.filter((p) => p !== 'SSL and Certificates Write'),
  ),
  token('accountOwned', ALL_PERMISSIONS, 'account'),
  token('revoked', ALL_PERMISSIONS, 'user', 'revoked'),
  // A token whose expiry date has passed: /user/tokens/verify says `expired`, everything else is 401.
  token('expired', ALL_PERMISSIONS, 'user', 'expired', '2026-06-30T00:00:00Z'),
]

/**
 * The seeded tokens with values: those of `keep` (a reset keeps the Sandbox's tokens, so a saved
 * profile keeps working), new random ones otherwise, and for a legacy fixed value.
 */
export function seedTokens(keep: readonly TokenRecord[] = []): TokenRecord[] {
  return TOKEN_TEMPLATES.map((t) => {
    const kept = keep.find((k) => k.label === t.label)?.value
    return { ...structuredClone(t), value: kept && kept !== legacyToken(t.label) ? kept : randomToken(t.label) }
  })
}

/** Replaces any token still holding its pre-random fixed value; true when something changed. */
export function replaceLegacyTokens(state: SandboxState): boolean {
  let changed = false
  for (const t of state.tokens) {
    if (t.value === legacyToken(t.label)) {
      t.value = randomToken(t.label)
      changed = true
    }
  }
  return changed
}

export async function buildSeed(
  kind: SeedKind,
  now = Date.now(),
  limits: Partial<Limits> = {},
  keepTokens: readonly TokenRecord[] = [],
): Promise<SandboxState> {
  const longAgo = new Date(now - 90 * DAY).toISOString()
  const zones: ZoneRecord[] = await Promise.all(
    SANDBOX_ZONES.map(async (z) => ({
      ...z,
      accountId: SANDBOX_ACCOUNT.id,
      status: 'active' as const,
      createdOn: longAgo,
      managedCa: await createRootCa(`CN=Cloudflare Managed CA for ${z.name}, O=Cloudflare, OU=API Shield`, 5475, now - 90 * DAY),
    })),
  )
  const state: SandboxState = {
    version: STATE_VERSION,
    seed: kind,
    limits: { ...DEFAULT_LIMITS, ...limits },
    accounts: [{ ...SANDBOX_ACCOUNT, type: 'enterprise', createdOn: longAgo }],
    zones,
    tokens: seedTokens(keepTokens),
    clientCertificates: [],
    hostnameAssociations: [],
    accessCertificates: [],
    accessSettings: [],
    mtlsCertificates: [],
    gatewayCertificates: [],
    gatewayConfigs: [],
    rulesets: [],
    aopCertificates: [],
    aopHostnames: [],
    aopEnabledZones: [],
    originCaCertificates: [],
  }
  if (kind === 'demo') await addDemoData(state, now)
  return state
}

/** Per zone (so two dozen per status in the account). Demo rows in pending states stay pending. */
const DEMO_STATUSES: [ClientCertStatus, number][] = [
  ['active', 12],
  ['pending_revocation', 12],
  ['pending_reactivation', 12],
  ['revoked', 12],
]

async function addDemoData(state: SandboxState, now: number): Promise<void> {
  const [com, net] = state.zones as [ZoneRecord, ZoneRecord]
  const account = state.accounts[0]!
  // A handful of device keys is enough for demo CSRs and keeps the seed well under a second.
  const keys = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair(), generateKeyPair()])
  const jobs: Promise<void>[] = []
  let n = 0
  for (const zone of state.zones) {
    for (const [status, count] of DEMO_STATUSES) {
      for (let i = 0; i < count; i++) {
        const index = ++n
        const issuedAt = now - (200 - index) * DAY
        jobs.push(
          (async () => {
            const csr = await x509.Pkcs10CertificateRequestGenerator.create({
              name:
                `CN=device-${String(index).padStart(3, '0')}.${zone.name}, O=Example IoT, OU=Fleet ${1 + (index % 3)}, ` +
                'C=US, ST=California, L=San Francisco',
              keys: keys[index % keys.length]!,
              signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
            })
            const cert = await createClientCertificate(zone, csr.toString('pem'), index % 4 === 0 ? 365 : 3650, issuedAt, csr)
            cert.status = status
            state.clientCertificates.push(cert)
          })(),
        )
      }
    }
  }
  const [devRoot, fleetRoot, partnerRoot, corpRoot, byopkiRoot] = await Promise.all([
    createRootCa('CN=Example Developers Root CA, O=Example Inc., C=US', 3650, now - 60 * DAY),
    createRootCa('CN=Example IoT Fleet Root CA, O=Example Inc., C=US', 3650, now - 60 * DAY),
    createRootCa('CN=Partner Access Root CA, O=Partner Ltd., C=GB', 1825, now - 60 * DAY),
    createRootCa('CN=Example Corporate Root CA, O=Example Inc., C=US', 3650, now - 60 * DAY),
    createRootCa('CN=Example Gateway Inspection Root, O=Example Inc., C=US', 1825, now - 60 * DAY),
  ])
  const [cfRoot, cfSpare] = await Promise.all([
    generateGatewayCertificate(account.id, account.name, 1825, now - 30 * DAY),
    generateGatewayCertificate(account.id, account.name, 1825, now - 20 * DAY),
  ])
  await Promise.all(jobs)
  state.clientCertificates.sort((a, b) => a.issuedOn.localeCompare(b.issuedOn))

  state.hostnameAssociations.push({ zoneId: com.id, mtlsCertificateId: null, hostnames: ['api.example.com', 'devices.example.com'] })

  const at = new Date(now - 30 * DAY).toISOString()
  const access = (id: string, scope: 'accounts' | 'zones', scopeId: string, name: string, pem: string, hostnames: string[]): void => {
    const facts = parseCertificates(pem)[0]!
    state.accessCertificates.push({
      id,
      scope,
      scopeId,
      name,
      certificate: facts.pem,
      fingerprint: facts.md5Fingerprint,
      expiresOn: new Date(facts.expiresOn).toISOString(),
      associatedHostnames: hostnames,
      createdAt: at,
      updatedAt: at,
    })
  }
  access(devRoot.id, 'accounts', account.id, 'Allow devs', devRoot.certificate, ['dev.example.com'])
  access(fleetRoot.id, 'accounts', account.id, 'IoT fleet', fleetRoot.certificate, [])
  access(partnerRoot.id, 'zones', net.id, 'Partners', partnerRoot.certificate, [])
  state.accessSettings.push({
    scope: 'accounts',
    scopeId: account.id,
    settings: [{ hostname: 'dev.example.com', china_network: false, client_certificate_forwarding: true }],
  })

  for (const [ca, name, withKey] of [
    [corpRoot, 'Corporate root (BYO-CA)', false],
    [byopkiRoot, 'Gateway inspection root', true],
  ] as const) {
    const facts = parseCertificates(ca.certificate)[0]!
    state.mtlsCertificates.push({
      id: ca.id,
      accountId: account.id,
      name,
      ca: true,
      certificates: facts.pem,
      issuer: facts.issuer,
      serialNumber: facts.serialNumber,
      signature: facts.signature,
      expiresOn: new Date(facts.expiresOn).toISOString(),
      uploadedOn: at,
      updatedAt: at,
      hasPrivateKey: withKey,
    })
    if (withKey) state.gatewayCertificates.push(gatewayRecord(ca.id, account.id, 'custom', ca.certificate, now - 30 * DAY))
  }
  state.hostnameAssociations.push({ zoneId: net.id, mtlsCertificateId: corpRoot.id, hostnames: ['partners.example.net'] })

  cfRoot.binding = 'available'
  state.gatewayCertificates.unshift(cfRoot, cfSpare)
  state.gatewayConfigs.push({
    accountId: account.id,
    settings: { tls_decrypt: { enabled: true }, activity_log: { enabled: true }, certificate: { id: cfRoot.id } },
    createdAt: new Date(now - 90 * DAY).toISOString(),
    updatedAt: isoSeconds(now - 30 * DAY),
  })
}
