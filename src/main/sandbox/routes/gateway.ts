/**
 * Zero Trust Gateway inspection certificates (`/accounts/{id}/gateway/certificates`) and the account
 * configuration that picks which one signs traffic (`/accounts/{id}/gateway/configuration`).
 *
 * binding_status: inactive -activate-> pending_deployment -> available -deactivate-> pending_deletion
 * -> inactive. `in_use` is derived: the certificate named in settings.certificate.id when it is
 * available, otherwise the oldest available Cloudflare-managed root — so exactly one is in use.
 */
import { randomUUID } from 'node:crypto'
import { certificateFacts, createRootCa, pemBlocks } from '../ca'
import {
  ApiError,
  bodyObject,
  CODES,
  findAccount,
  invalid,
  notFound,
  requirePermission,
  requireRead,
  type Route,
  type RouteContext,
} from '../http'
import type { GatewayCertRecord, GatewayConfigRecord, SandboxState } from '../state'

const READ = 'Zero Trust Read' as const
const WRITE = 'Zero Trust Write' as const
const NIL_UUID = '00000000-0000-0000-0000-000000000000'
const DAY_MS = 86_400_000

export function gatewayConfig(state: SandboxState, accountId: string, now: number): GatewayConfigRecord {
  let config = state.gatewayConfigs.find((c) => c.accountId === accountId)
  if (!config) {
    const at = new Date(now).toISOString()
    config = { accountId, settings: {}, createdAt: at, updatedAt: at }
    state.gatewayConfigs.push(config)
  }
  return config
}

function configuredCertificateId(config: GatewayConfigRecord | undefined): string | null {
  const cert = config?.settings['certificate'] as { id?: unknown } | null | undefined
  return typeof cert?.id === 'string' && cert.id !== NIL_UUID ? cert.id : null
}

/** The id of the one certificate Gateway signs with, or null when none is available. */
export function inUseCertificateId(state: SandboxState, accountId: string): string | null {
  const certs = state.gatewayCertificates.filter((g) => g.accountId === accountId && g.binding === 'available')
  const configured = configuredCertificateId(state.gatewayConfigs.find((c) => c.accountId === accountId))
  if (configured && certs.some((g) => g.id === configured)) return configured
  const managed = certs.filter((g) => g.type === 'gateway_managed').sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  return managed[0]?.id ?? null
}

export function gatewayView(state: SandboxState, cert: GatewayCertRecord): Record<string, unknown> {
  return {
    id: cert.id,
    type: cert.type,
    binding_status: cert.binding,
    in_use: inUseCertificateId(state, cert.accountId) === cert.id,
    certificate: cert.certificate,
    fingerprint: cert.fingerprint,
    issuer_org: cert.issuerOrg,
    issuer_raw: cert.issuerRaw,
    created_at: cert.createdAt,
    updated_at: cert.updatedAt,
    uploaded_on: cert.uploadedOn,
    expires_on: cert.expiresOn,
  }
}

/** The Gateway record for a certificate PEM (Cloudflare-generated or an uploaded custom root). */
export function gatewayRecord(id: string, accountId: string, type: GatewayCertRecord['type'], pem: string, now: number): GatewayCertRecord {
  const facts = certificateFacts(pemBlocks(pem)[0]!.der)
  const at = new Date(now).toISOString()
  return {
    id,
    accountId,
    type,
    certificate: facts.pem,
    fingerprint: facts.sha256Colon,
    issuerOrg: facts.issuerOrg,
    issuerRaw: facts.issuer,
    createdAt: at,
    updatedAt: at,
    uploadedOn: at,
    expiresOn: new Date(facts.expiresOn).toISOString(),
    binding: 'inactive',
    settlesAt: null,
  }
}

/** A Cloudflare-generated Gateway root, as `POST gateway/certificates` makes and the seed uses. */
export async function generateGatewayCertificate(
  accountId: string,
  accountName: string,
  validityDays: number,
  now: number,
): Promise<GatewayCertRecord> {
  const ca = await createRootCa(
    `CN=Gateway CA - Cloudflare Managed G1 ${randomUUID().slice(0, 8)}, O=Cloudflare, OU=${accountName.replace(/[,=+\\"<>;]/g, ' ')}`,
    validityDays,
    now,
  )
  return gatewayRecord(randomUUID(), accountId, 'gateway_managed', ca.certificate, now)
}

function findCert(ctx: RouteContext, accountId: string): GatewayCertRecord {
  const id = ctx.params['certificate_id']!
  const cert = ctx.state.gatewayCertificates.find((g) => g.accountId === accountId && g.id === id)
  if (!cert) throw notFound('Gateway certificate', id)
  return cert
}

function configView(config: GatewayConfigRecord): Record<string, unknown> {
  return { settings: structuredClone(config.settings), created_at: config.createdAt, updated_at: config.updatedAt }
}

/** Apply new settings after checking the certificate they name and TLS decryption (error 2211). */
function applySettings(ctx: RouteContext, accountId: string, settings: Record<string, unknown>): GatewayConfigRecord {
  const config = gatewayConfig(ctx.state, accountId, ctx.now)
  const certificate = settings['certificate'] as { id?: unknown } | null | undefined
  if (certificate !== undefined && certificate !== null) {
    if (typeof certificate !== 'object' || typeof certificate.id !== 'string')
      throw invalid('"settings.certificate.id" must be a certificate UUID.')
    if (certificate.id !== NIL_UUID) {
      const cert = ctx.state.gatewayCertificates.find((g) => g.accountId === accountId && g.id === certificate.id)
      if (!cert) throw notFound('Gateway certificate', certificate.id)
      if (cert.binding !== 'available') {
        throw new ApiError(
          400,
          CODES.gatewayCertState,
          `Gateway certificate ${cert.id} is ${cert.binding}; activate it and wait until it is available before using it.`,
        )
      }
    }
  }
  const tls = settings['tls_decrypt'] as { enabled?: unknown } | null | undefined
  if (tls?.enabled === true) {
    const next = { ...config, settings }
    const state = { ...ctx.state, gatewayConfigs: [next] }
    if (inUseCertificateId(state, accountId) === null) {
      throw new ApiError(
        400,
        CODES.gatewayNoCertificate,
        'TLS decryption cannot be turned on: no certificate is available to sign traffic. Activate a certificate first.',
      )
    }
  }
  config.settings = settings
  config.updatedAt = new Date(ctx.now).toISOString()
  return config
}

export const gatewayRoutes: Route[] = [
  {
    method: 'GET',
    path: '/accounts/:account_id/gateway/certificates',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requireRead(ctx, READ, WRITE)
      const certs = ctx.state.gatewayCertificates.filter((g) => g.accountId === account.id)
      return {
        result: certs.map((g) => gatewayView(ctx.state, g)),
        resultInfo: { page: 1, per_page: certs.length, count: certs.length, total_count: certs.length },
      }
    },
  },
  {
    method: 'POST',
    path: '/accounts/:account_id/gateway/certificates',
    handler: async (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requirePermission(ctx, WRITE)
      const days = bodyObject(ctx)['validity_period_days'] ?? 1825
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 10950) {
        throw invalid('"validity_period_days" must be a whole number from 1 to 10950 (default 1825).')
      }
      const today = ctx.state.gatewayCertificates.filter((g) => g.accountId === account.id && Date.parse(g.createdAt) > ctx.now - DAY_MS)
      if (today.length >= ctx.limits.gatewayNewPerDay) {
        throw new ApiError(
          400,
          CODES.gatewayQuota,
          `At most ${ctx.limits.gatewayNewPerDay} new Gateway certificates can be created per day; try again tomorrow.`,
        )
      }
      const cert = await generateGatewayCertificate(account.id, account.name, days, ctx.now)
      ctx.state.gatewayCertificates.push(cert)
      return { result: gatewayView(ctx.state, cert) }
    },
  },
  {
    method: 'GET',
    path: '/accounts/:account_id/gateway/certificates/:certificate_id',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requireRead(ctx, READ, WRITE)
      return { result: gatewayView(ctx.state, findCert(ctx, account.id)) }
    },
  },
  {
    method: 'DELETE',
    path: '/accounts/:account_id/gateway/certificates/:certificate_id',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requirePermission(ctx, WRITE)
      const cert = findCert(ctx, account.id)
      if (inUseCertificateId(ctx.state, account.id) === cert.id) {
        throw new ApiError(
          400,
          CODES.gatewayCertState,
          `Gateway certificate ${cert.id} is in use; pick another certificate in the Gateway configuration, deactivate this one, then delete it.`,
        )
      }
      if (cert.binding !== 'inactive') {
        // Cloudflare has answered HTTP 500 here; the Sandbox does the same so clients learn to deactivate first.
        throw new ApiError(
          500,
          CODES.gatewayCertState,
          `Gateway certificate ${cert.id} is ${cert.binding}; deactivate it and wait until it is inactive before deleting.`,
        )
      }
      const view = gatewayView(ctx.state, cert)
      ctx.state.gatewayCertificates = ctx.state.gatewayCertificates.filter((g) => g !== cert)
      // A custom root is the same object as its account mTLS upload.
      ctx.state.mtlsCertificates = ctx.state.mtlsCertificates.filter((m) => m.id !== cert.id)
      return { result: view }
    },
  },
  {
    method: 'POST',
    path: '/accounts/:account_id/gateway/certificates/:certificate_id/activate',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requirePermission(ctx, WRITE)
      const cert = findCert(ctx, account.id)
      if (cert.binding === 'available' || cert.binding === 'pending_deployment')
        return { status: 202, result: gatewayView(ctx.state, cert) }
      const deployed = ctx.state.gatewayCertificates.filter(
        (g) => g.accountId === account.id && (g.binding === 'available' || g.binding === 'pending_deployment'),
      )
      if (deployed.length >= ctx.limits.gatewayAvailable) {
        throw new ApiError(
          400,
          CODES.gatewayQuota,
          `At most ${ctx.limits.gatewayAvailable} Gateway certificates can be available at once; deactivate one first.`,
        )
      }
      cert.binding = 'pending_deployment'
      cert.settlesAt = ctx.now + ctx.timing.gatewayDeployMs
      cert.updatedAt = new Date(ctx.now).toISOString()
      return { status: 202, result: gatewayView(ctx.state, cert) }
    },
  },
  {
    method: 'POST',
    path: '/accounts/:account_id/gateway/certificates/:certificate_id/deactivate',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requirePermission(ctx, WRITE)
      const cert = findCert(ctx, account.id)
      if (cert.binding === 'inactive' || cert.binding === 'pending_deletion') return { status: 201, result: gatewayView(ctx.state, cert) }
      // Deactivating the configured certificate makes Gateway fall back to the Cloudflare root.
      const config = ctx.state.gatewayConfigs.find((c) => c.accountId === account.id)
      if (config && configuredCertificateId(config) === cert.id) delete config.settings['certificate']
      cert.binding = 'pending_deletion'
      cert.settlesAt = ctx.now + ctx.timing.gatewayDeployMs
      cert.updatedAt = new Date(ctx.now).toISOString()
      return { status: 201, result: gatewayView(ctx.state, cert) }
    },
  },
  {
    method: 'GET',
    path: '/accounts/:account_id/gateway/configuration',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requireRead(ctx, READ, WRITE)
      return { result: configView(gatewayConfig(ctx.state, account.id, ctx.now)) }
    },
  },
  {
    // PATCH replaces only the setting groups it names; PUT replaces them all.
    method: 'PATCH',
    path: '/accounts/:account_id/gateway/configuration',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requirePermission(ctx, WRITE)
      const settings = settingsFrom(ctx)
      const current = gatewayConfig(ctx.state, account.id, ctx.now)
      return { result: configView(applySettings(ctx, account.id, { ...structuredClone(current.settings), ...settings })) }
    },
  },
  {
    method: 'PUT',
    path: '/accounts/:account_id/gateway/configuration',
    handler: (ctx) => {
      const account = findAccount(ctx, ctx.params['account_id'])
      requirePermission(ctx, WRITE)
      return { result: configView(applySettings(ctx, account.id, settingsFrom(ctx))) }
    },
  },
]

function settingsFrom(ctx: RouteContext): Record<string, unknown> {
  const settings = bodyObject(ctx)['settings'] ?? {}
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw invalid('"settings" must be an object of setting groups.')
  return structuredClone(settings as Record<string, unknown>)
}
