/**
 * Authenticated Origin Pulls: the client certificate Cloudflare presents to the zone's origin, so the origin can
 * refuse anyone who is not this zone (Cloudflare's shared global certificate proves only "some Cloudflare
 * customer"). Zone-level certificates serve every hostname once the zone setting is on; per-hostname certificates
 * (10 per zone) serve the hostnames associated with them (100 per certificate). Nothing renews them: an expired one
 * makes the origin refuse Cloudflare (Cloudflare docs: Authenticated Origin Pulls).
 *
 * An upload carries the certificate's private key (Cloudflare keeps it to present the certificate). It is checked
 * here first — one certificate, not a CA, not expired, the key its own — so a wrong pair is refused before it leaves
 * the machine.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import type { AuthenticatedOriginPull } from 'cloudflare/resources/origin-tls-client-auth/hostnames'
import type { Certificate as SdkHostnameCertificate } from 'cloudflare/resources/origin-tls-client-auth/hostname-certificates'
import type { ZoneAuthenticatedOriginPull } from 'cloudflare/resources/origin-tls-client-auth/zone-certificates'
import { AppError } from '../../shared/errors'
import { AopStatus, type AopCertificate, type AopHostname, type AopKind, type AopOverview } from '../../shared/origin-model'
import { pemCertificates } from '../certs/pem'
import { uploadedFacts } from './account-mtls'
import type { CloudflareClient } from './client'
import type { ZoneScope } from './client-certificates'
import { guard, guarded, zoneContext as ctx } from './errors'
import { normaliseHostname, normaliseHostnames } from './hostnames'
import { callOnScope, zoneLabel, type OperationsOf } from './operation'
import { read, SSL_READ, SSL_WRITE, write } from './operations'

/** Per-hostname certificates a zone may hold, and hostnames one certificate may serve (Cloudflare's limits). */
export const AOP_HOSTNAME_CERTIFICATES_PER_ZONE = 10
export const AOP_HOSTNAMES_PER_CERTIFICATE = 100

const status = (raw: string | undefined) => {
  const parsed = AopStatus.safeParse(raw)
  return parsed.success ? parsed.data : undefined
}

function toCertificate(kind: AopKind, c: ZoneAuthenticatedOriginPull & SdkHostnameCertificate): AopCertificate {
  const state = status(c.status)
  return {
    id: c.id ?? '',
    kind,
    ...(state ? { status: state } : {}),
    ...uploadedFacts(c),
    ...(c.certificate ? { certificate: c.certificate } : {}),
  }
}

function toHostname(h: AuthenticatedOriginPull, asked?: string): AopHostname {
  const state = status(h.cert_status)
  return {
    hostname: h.hostname ?? asked ?? '',
    ...(h.cert_id ? { certId: h.cert_id } : {}),
    ...(state ? { certStatus: state } : {}),
    enabled: h.enabled ?? null,
    ...uploadedFacts({ issuer: h.issuer, serial_number: h.serial_number, expires_on: h.expires_on }),
  }
}

/** Whether zone-level AOP is on, and the zone's certificates of both kinds. */
export async function getAopOverview(client: CloudflareClient, scope: ZoneScope, signal?: AbortSignal): Promise<AopOverview> {
  const aop = client.sdk.originTLSClientAuth
  const zone = { zone_id: scope.zoneId }
  const [settings, zoneCertificates, hostnameCertificates] = await guard(ctx(scope, 'aop.list'), () =>
    Promise.all([
      aop.settings.get(zone, { signal }),
      aop.zoneCertificates.list(zone, { signal }),
      aop.hostnameCertificates.list(zone, { signal }),
    ]),
  )
  return {
    enabled: settings.enabled ?? false,
    zoneCertificates: zoneCertificates.result.map((c) => toCertificate('zone', c)),
    hostnameCertificates: hostnameCertificates.result.map((c) => toCertificate('hostname', c)),
  }
}

/** The certificate a hostname presents to its origin (per-hostname AOP) with its state and expiry. */
export async function getAopHostname(client: CloudflareClient, scope: ZoneScope, hostname: string, signal?: AbortSignal) {
  const name = normaliseHostname(hostname)
  const get = () => client.sdk.originTLSClientAuth.hostnames.get(name, { zone_id: scope.zoneId }, { signal })
  return guarded(ctx(scope, 'aop.hostname', name), get, (h) => toHostname(h, name))
}

export async function setAopEnabled(client: CloudflareClient, scope: ZoneScope, enabled: boolean, signal?: AbortSignal) {
  const update = () => client.sdk.originTLSClientAuth.settings.update({ zone_id: scope.zoneId, enabled }, { signal })
  return guarded(ctx(scope, 'aop.setEnabled'), update, (r) => ({ enabled: r.enabled ?? enabled }))
}

/**
 * Set the hostnames' per-hostname association: present `certId` (enabled true), keep it but stop presenting it
 * (false), or remove the association (null; a hostname certificate can be deleted only once nothing uses it).
 */
export async function configureAopHostnames(
  client: CloudflareClient,
  scope: ZoneScope,
  request: { hostnames: readonly string[]; certId?: string | undefined; enabled: boolean | null },
  signal?: AbortSignal,
): Promise<AopHostname[]> {
  const hostnames = normaliseHostnames(request.hostnames)
  if (hostnames.length > AOP_HOSTNAMES_PER_CERTIFICATE) {
    throw new AppError(
      'bad_input',
      `A certificate serves at most ${AOP_HOSTNAMES_PER_CERTIFICATE} hostnames; ${hostnames.length} were given.`,
      { hint: 'Split the hostnames over more than one hostname certificate.' },
    )
  }
  const config = hostnames.map((hostname) => ({
    hostname,
    enabled: request.enabled,
    ...(request.certId ? { cert_id: request.certId } : {}),
  }))
  const op = request.enabled === null ? 'aop.dissociate' : 'aop.associate'
  const update = () => client.sdk.originTLSClientAuth.hostnames.update({ zone_id: scope.zoneId, config }, { signal })
  // A certificate id that does not exist is what a 404 is about when one is named; otherwise the hostnames.
  const target = request.certId ? `AOP certificate ${request.certId}` : hostnames.join(', ')
  return guarded(ctx(scope, op, target), update, (page) => page.result.map((h) => toHostname(h)))
}

export async function deleteAopCertificate(
  client: CloudflareClient,
  scope: ZoneScope,
  request: { id: string; kind: AopKind },
  signal?: AbortSignal,
): Promise<AopCertificate> {
  const aop = client.sdk.originTLSClientAuth
  const zone = { zone_id: scope.zoneId }
  const remove = () =>
    request.kind === 'zone'
      ? aop.zoneCertificates.delete(request.id, zone, { signal })
      : aop.hostnameCertificates.delete(request.id, zone, { signal })
  return guarded(ctx(scope, 'aop.delete', `${request.kind} certificate ${request.id}`), remove, (c) => toCertificate(request.kind, c))
}

export interface AopUpload {
  kind: AopKind
  certificatePem: string
  privateKeyPem: string
}

/** Refuses a pair Cloudflare would present in vain: not one certificate, a CA, expired, or a key that is not its own. */
export function checkAopPair(upload: Pick<AopUpload, 'certificatePem' | 'privateKeyPem'>, now = new Date()): X509Certificate {
  const ders = pemCertificates(upload.certificatePem)
  if (ders.length !== 1) {
    throw new AppError('bad_input', `An AOP certificate is one certificate; the file holds ${ders.length}.`, {
      hint: 'Give the client certificate alone (its CA stays on the origin, which trusts it).',
    })
  }
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(ders[0]!)
  } catch {
    throw new AppError('bad_input', 'The AOP certificate is not a valid X.509 certificate.')
  }
  if (certificate.ca) {
    throw new AppError('bad_input', 'That is a CA certificate; Cloudflare presents a client certificate to the origin.', {
      hint: 'Issue a client certificate from the CA (key usage digitalSignature, extended key usage clientAuth) and upload that.',
    })
  }
  if (new Date(certificate.validTo).getTime() <= now.getTime()) {
    throw new AppError('bad_input', `The AOP certificate expired on ${new Date(certificate.validTo).toISOString().slice(0, 10)}.`, {
      hint: 'An expired certificate makes the origin refuse Cloudflare: issue a new one.',
    })
  }
  let key
  try {
    key = createPrivateKey(upload.privateKeyPem)
  } catch {
    throw new AppError('bad_input', 'The private key could not be read (an unencrypted PEM private key is needed).')
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new AppError('bad_input', 'The private key does not belong to the AOP certificate.', {
      hint: 'Give the key the certificate was issued for.',
    })
  }
  return certificate
}

/** Upload a checked certificate and key, zone-level or per-hostname. */
export async function uploadAopCertificate(
  client: CloudflareClient,
  scope: ZoneScope,
  upload: AopUpload,
  signal?: AbortSignal,
): Promise<AopCertificate> {
  checkAopPair(upload)
  const aop = client.sdk.originTLSClientAuth
  const body = { zone_id: scope.zoneId, certificate: upload.certificatePem, private_key: upload.privateKeyPem }
  const create = () =>
    upload.kind === 'zone' ? aop.zoneCertificates.create(body, { signal }) : aop.hostnameCertificates.create(body, { signal })
  return guarded(ctx(scope, 'aop.upload', `${upload.kind} certificate`), create, (c) => toCertificate(upload.kind, c))
}

const hostnamesDetail = (request: { hostnames: readonly string[] }) => ({ hostnames: request.hostnames.join(' ') })

/** The operations of `aop:*` (what an operation declares: operation.ts). */
export const aopOperations = {
  'aop.list': {
    scope: 'zone',
    permission: read('read Authenticated Origin Pulls', SSL_READ),
    call: callOnScope(getAopOverview),
  },
  'aop.hostname': {
    scope: 'zone',
    permission: read('read a hostname’s Authenticated Origin Pulls', SSL_READ),
    call: ({ client, at, request, signal }) => getAopHostname(client, at, request.hostname, signal),
  },
  'aop.setEnabled': {
    scope: 'zone',
    permission: write('change the Authenticated Origin Pulls setting', SSL_WRITE),
    call: ({ client, at, request, signal }) => setAopEnabled(client, at, request.enabled, signal),
    audit: {
      words: 'Changed Authenticated Origin Pulls',
      before: (request, at) => ({ target: `zone ${zoneLabel(at)}`, objectId: at.zoneId, objectName: zoneLabel(at) }),
      detail: (request) => ({ enabled: request.enabled }),
    },
  },
  'aop.associate': {
    scope: 'zone',
    permission: write('associate hostnames with an AOP certificate', SSL_WRITE),
    call: ({ client, at, request, signal }) => configureAopHostnames(client, at, request, signal),
    audit: {
      words: 'Associated hostnames with an AOP certificate',
      before: (request) => ({ target: `AOP certificate ${request.certId}`, objectId: request.certId }),
      detail: (request, at) => ({ zone: zoneLabel(at), ...hostnamesDetail(request), enabled: request.enabled }),
    },
  },
  'aop.dissociate': {
    scope: 'zone',
    permission: write('remove hostnames’ AOP associations', SSL_WRITE),
    call: ({ client, at, request, signal }) => configureAopHostnames(client, at, { hostnames: request.hostnames, enabled: null }, signal),
    audit: {
      words: 'Removed AOP hostname associations',
      before: (request, at) => ({ target: `zone ${zoneLabel(at)}`, objectId: at.zoneId }),
      detail: hostnamesDetail,
    },
  },
  'aop.delete': {
    scope: 'zone',
    permission: write('delete an AOP certificate', SSL_WRITE),
    call: ({ client, at, request, signal }) => deleteAopCertificate(client, at, request, signal),
    audit: {
      words: 'Deleted AOP certificate',
      before: (request) => ({ target: `${request.kind} certificate ${request.id}`, objectId: request.id }),
      detail: (request, at) => ({ zone: zoneLabel(at), kind: request.kind }),
    },
  },
  /** No channel: the key comes from the vault (KeyService) or from the CLI's files, never from the renderer. */
  'aop.upload': {
    scope: 'zone',
    permission: write('upload an AOP certificate', SSL_WRITE),
    call: ({ client, at, request, signal }) => uploadAopCertificate(client, at, request, signal),
    audit: {
      words: 'Uploaded AOP certificate',
      before: (request, at) => `${request.kind} certificate on zone ${zoneLabel(at)}`,
      detail: (request, at) => ({ zone: zoneLabel(at), kind: request.kind }),
      after: (r) => ({ target: `${r.kind} certificate ${r.id}`, objectId: r.id, detail: { expiresOn: r.expiresOn ?? null } }),
    },
  },
} as const satisfies OperationsOf<'aop'>
