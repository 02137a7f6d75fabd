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
  accountFromPath,
  ApiError,
  bodyObject,
  CODES,
  findOr404,
  invalid,
  scopedRoutes,
  type Route,
  type RouteContext,
  type RouteResult,
} from '../http'
import type { GatewayCertRecord, GatewayConfigRecord, SandboxState } from '../state'

const route = scopedRoutes(accountFromPath, { read: 'Zero Trust Read', write: 'Zero Trust Write' })
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

function findCert(ctx: RouteContext, accountId: string, id = ctx.params['certificate_id']!): GatewayCertRecord {
  return findOr404(ctx.state.gatewayCertificates, 'Gateway certificate', id, (g) => g.accountId === accountId && g.id === id)
}

/** Start a binding change that settles after Gateway's deployment time; answered with `status`. */
function startBinding(ctx: RouteContext, cert: GatewayCertRecord, binding: GatewayCertRecord['binding'], status: number): RouteResult {
  cert.binding = binding
  cert.settlesAt = ctx.now + ctx.timing.gatewayDeployMs
  cert.updatedAt = new Date(ctx.now).toISOString()
  return { status, result: gatewayView(ctx.state, cert) }
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
      const cert = findCert(ctx, accountId, certificate.id)
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
  route.read('GET', '/accounts/:account_id/gateway/certificates', (ctx, account) => {
    const certs = ctx.state.gatewayCertificates.filter((g) => g.accountId === account.id)
    return {
      result: certs.map((g) => gatewayView(ctx.state, g)),
      resultInfo: { page: 1, per_page: certs.length, count: certs.length, total_count: certs.length },
    }
  }),
  route.write('POST', '/accounts/:account_id/gateway/certificates', async (ctx, account) => {
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
  }),
  route.read('GET', '/accounts/:account_id/gateway/certificates/:certificate_id', (ctx, account) => ({
    result: gatewayView(ctx.state, findCert(ctx, account.id)),
  })),
  route.write('DELETE', '/accounts/:account_id/gateway/certificates/:certificate_id', (ctx, account) => {
    const cert = findCert(ctx, account.id)
    if (inUseCertificateId(ctx.state, account.id) === cert.id) {
      throw new ApiError(
        400,
        CODES.gatewayCertState,
        `Gateway certificate ${cert.id} is in use; pick another certificate in the Gateway configuration, ` +
          'deactivate this one, then delete it.',
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
  }),
  route.write('POST', '/accounts/:account_id/gateway/certificates/:certificate_id/activate', (ctx, account) => {
    const cert = findCert(ctx, account.id)
    if (cert.binding === 'available' || cert.binding === 'pending_deployment') return { status: 202, result: gatewayView(ctx.state, cert) }
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
    return startBinding(ctx, cert, 'pending_deployment', 202)
  }),
  route.write('POST', '/accounts/:account_id/gateway/certificates/:certificate_id/deactivate', (ctx, account) => {
    const cert = findCert(ctx, account.id)
    if (cert.binding === 'inactive' || cert.binding === 'pending_deletion') return { status: 201, result: gatewayView(ctx.state, cert) }
    // Deactivating the configured certificate makes Gateway fall back to the Cloudflare root.
    const config = ctx.state.gatewayConfigs.find((c) => c.accountId === account.id)
    if (config && configuredCertificateId(config) === cert.id) delete config.settings['certificate']
    return startBinding(ctx, cert, 'pending_deletion', 201)
  }),
  route.read('GET', '/accounts/:account_id/gateway/configuration', (ctx, account) => ({
    result: configView(gatewayConfig(ctx.state, account.id, ctx.now)),
  })),
  // PATCH replaces only the setting groups it names; PUT replaces them all.
  route.write('PATCH', '/accounts/:account_id/gateway/configuration', (ctx, account) => {
    const settings = settingsFrom(ctx)
    const current = gatewayConfig(ctx.state, account.id, ctx.now)
    return { result: configView(applySettings(ctx, account.id, { ...structuredClone(current.settings), ...settings })) }
  }),
  route.write('PUT', '/accounts/:account_id/gateway/configuration', (ctx, account) => ({
    result: configView(applySettings(ctx, account.id, settingsFrom(ctx))),
  })),
]

function settingsFrom(ctx: RouteContext): Record<string, unknown> {
  const settings = bodyObject(ctx)['settings'] ?? {}
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw invalid('"settings" must be an object of setting groups.')
  return structuredClone(settings as Record<string, unknown>)
}
