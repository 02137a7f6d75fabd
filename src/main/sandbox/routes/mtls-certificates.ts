/**
 * Account mTLS certificates (`/accounts/{id}/mtls_certificates`): bring-your-own CAs and leaf
 * certificates. A CA uploaded with its private key is also a custom Gateway root with the same id
 * (Cloudflare docs: Deploy custom certificate); Cloudflare-managed Gateway roots are listed here too, with type `gateway_managed`.
 */
import { parseCertificates, checkPrivateKeyMatches, certificateFacts, pemBlocks } from '../ca'
import { randomUUID } from 'node:crypto'
import {
  accountFromPath,
  ApiError,
  bodyObject,
  CODES,
  invalid,
  notFound,
  optionalString,
  pkiInput,
  scopedRoutes,
  wholeList,
  type Route,
  type RouteContext,
} from '../http'
import type { GatewayCertRecord, MtlsCertRecord, SandboxState } from '../state'
import { gatewayRecord } from './gateway'

const route = scopedRoutes(accountFromPath, { read: 'Account: SSL and Certificates Read', write: 'Account: SSL and Certificates Write' })
const TYPES = ['custom', 'gateway_managed', 'access_managed'] as const

/** The API object: an upload, or a Cloudflare-managed Gateway root described from its certificate. */
function certificateView(
  cert: Pick<MtlsCertRecord, 'id' | 'name' | 'ca' | 'certificates' | 'issuer' | 'serialNumber' | 'signature' | 'expiresOn' | 'uploadedOn'>,
  type: (typeof TYPES)[number],
): Record<string, unknown> {
  return {
    id: cert.id,
    name: cert.name,
    ca: cert.ca,
    certificates: cert.certificates,
    issuer: cert.issuer,
    serial_number: cert.serialNumber,
    signature: cert.signature,
    expires_on: cert.expiresOn,
    uploaded_on: cert.uploadedOn,
    type,
  }
}

function uploadView(cert: MtlsCertRecord): Record<string, unknown> {
  return certificateView(cert, 'custom')
}

function managedView(cert: GatewayCertRecord): Record<string, unknown> {
  const { issuer, serialNumber, signature } = certificateFacts(pemBlocks(cert.certificate)[0]!.der)
  const name = 'Gateway CA - Cloudflare Managed'
  return certificateView({ ...cert, name, ca: true, certificates: cert.certificate, issuer, serialNumber, signature }, 'gateway_managed')
}

/** The services using an upload: hostname associations and a deployed Gateway twin. */
export function associationsOf(state: SandboxState, id: string): { service: string; status: string }[] {
  const result: { service: string; status: string }[] = []
  if (state.hostnameAssociations.some((a) => a.mtlsCertificateId === id && a.hostnames.length > 0))
    result.push({ service: 'hostname_associations', status: 'active' })
  const gateway = state.gatewayCertificates.find((g) => g.id === id)
  if (gateway && gateway.binding !== 'inactive') result.push({ service: 'gateway', status: gateway.binding })
  return result
}

function findAny(ctx: RouteContext, accountId: string): { upload?: MtlsCertRecord; managed?: GatewayCertRecord; id: string } {
  const id = ctx.params['mtls_certificate_id']!
  const upload = ctx.state.mtlsCertificates.find((m) => m.accountId === accountId && m.id === id)
  if (upload) return { upload, id }
  const managed = ctx.state.gatewayCertificates.find((g) => g.accountId === accountId && g.id === id && g.type === 'gateway_managed')
  if (managed) return { managed, id }
  throw notFound('mTLS certificate', id)
}

export const mtlsCertificateRoutes: Route[] = [
  route.read('GET', '/accounts/:account_id/mtls_certificates', (ctx, account) => {
    const wanted = (ctx.query.get('type') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    const unknown = wanted.filter((t) => !(TYPES as readonly string[]).includes(t))
    if (unknown.length) throw invalid(`Query parameter "type" takes ${TYPES.join(', ')}; got ${unknown.join(', ')}.`)
    const all = [
      ...ctx.state.mtlsCertificates.filter((m) => m.accountId === account.id).map(uploadView),
      ...ctx.state.gatewayCertificates.filter((g) => g.accountId === account.id && g.type === 'gateway_managed').map(managedView),
    ]
    return wholeList(wanted.length ? all.filter((c) => wanted.includes(c['type'] as string)) : all)
  }),
  route.write('POST', '/accounts/:account_id/mtls_certificates', (ctx, account) => {
    const body = bodyObject(ctx)
    if (typeof body['ca'] !== 'boolean') throw invalid('"ca" is required: true for a CA certificate, false for a leaf.')
    const ca = body['ca']
    const name = optionalString(body, 'name')
    const privateKey = optionalString(body, 'private_key')
    const facts = pkiInput(CODES.certificateParse, () => parseCertificates(body['certificates']))
    const first = facts[0]!
    const unsupported = facts.find((f) => f.signature === '')
    if (unsupported)
      throw new ApiError(
        400,
        CODES.certificateParse,
        `Unsupported signature algorithm in "${unsupported.subject}": use SHA-1/256/384/512 with RSA or ECDSA.`,
      )
    // The chain is root first, then intermediates (Cloudflare docs: Deploy custom certificate); with ca:true every one must be a CA.
    if (ca) {
      const leaf = facts.find((f) => !f.isCa)
      if (leaf)
        throw new ApiError(
          400,
          CODES.notCa,
          `"${leaf.subject}" is not a CA certificate (basicConstraints CA:TRUE is missing); upload it with "ca": false or use a CA.`,
        )
    }
    if (privateKey !== undefined && privateKey !== '') {
      pkiInput(CODES.certificateParse, () => checkPrivateKeyMatches(privateKey, first.spki))
    }
    const cas = ctx.state.mtlsCertificates.filter((m) => m.accountId === account.id && m.ca)
    if (ca && cas.length >= ctx.limits.accountCas) {
      throw new ApiError(
        400,
        CODES.caQuota,
        `Hit maximum CA cert allocation: this account holds ${cas.length} of ${ctx.limits.accountCas} CA certificates.`,
      )
    }
    const customRoots = ctx.state.gatewayCertificates.filter((g) => g.accountId === account.id && g.type === 'custom')
    const becomesGatewayRoot = ca && privateKey !== undefined && privateKey !== ''
    if (becomesGatewayRoot && customRoots.length >= ctx.limits.customGatewayRoots) {
      throw new ApiError(
        400,
        CODES.caQuota,
        `Hit maximum CA cert allocation: ${ctx.limits.customGatewayRoots} custom Gateway root certificates are already uploaded.`,
      )
    }
    const at = new Date(ctx.now).toISOString()
    const cert: MtlsCertRecord = {
      id: randomUUID(),
      accountId: account.id,
      name: name ?? '',
      ca,
      certificates: facts.map((f) => f.pem).join(''),
      issuer: first.issuer,
      serialNumber: first.serialNumber,
      signature: first.signature,
      expiresOn: new Date(first.expiresOn).toISOString(),
      uploadedOn: at,
      updatedAt: at,
      hasPrivateKey: becomesGatewayRoot,
    }
    ctx.state.mtlsCertificates.push(cert)
    if (becomesGatewayRoot) ctx.state.gatewayCertificates.push(gatewayRecord(cert.id, account.id, 'custom', first.pem, ctx.now))
    return { result: { ...uploadView(cert), updated_at: cert.updatedAt } }
  }),
  route.read('GET', '/accounts/:account_id/mtls_certificates/:mtls_certificate_id', (ctx, account) => {
    const found = findAny(ctx, account.id)
    return { result: found.upload ? uploadView(found.upload) : managedView(found.managed!) }
  }),
  route.write('DELETE', '/accounts/:account_id/mtls_certificates/:mtls_certificate_id', (ctx, account) => {
    const found = findAny(ctx, account.id)
    if (!found.upload)
      throw new ApiError(400, CODES.inUse, `Certificate ${found.id} is managed by Gateway; delete it through /gateway/certificates.`)
    const used = associationsOf(ctx.state, found.id)
    if (used.length) {
      throw new ApiError(
        400,
        CODES.inUse,
        `Certificate ${found.id} is in use by ${used.map((u) => u.service).join(' and ')}; remove those associations first.`,
      )
    }
    ctx.state.mtlsCertificates = ctx.state.mtlsCertificates.filter((m) => m !== found.upload)
    ctx.state.gatewayCertificates = ctx.state.gatewayCertificates.filter((g) => g.id !== found.id)
    return { result: uploadView(found.upload) }
  }),
  route.read('GET', '/accounts/:account_id/mtls_certificates/:mtls_certificate_id/associations', (ctx, account) => {
    return wholeList(associationsOf(ctx.state, findAny(ctx, account.id).id))
  }),
]
