/**
 * Account mTLS certificates: bring-your-own CAs for API Shield and the BYOPKI Gateway root
 * (Cloudflare docs: Deploy custom certificate). Uploads are checked and ordered here — root first,
 * then intermediates down the chain, as Cloudflare wants — and a private key, when given, must
 * belong to a certificate of the chain.
 * Delete refuses, with the services named, while the certificate has associations.
 */
import { createPublicKey } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import type { MTLSCertificate } from 'cloudflare/resources/mtls-certificates/mtls-certificates'
import {
  MtlsCertificateType,
  type MtlsAssociation,
  type MtlsCertificateSummary,
  type UploadedCertificateFacts,
} from '../../shared/cloudflare-model'
import { AppError } from '../../shared/errors'
import { orderOneChain } from '../certs/chain'
import { decodeCertificate } from '../certs/x509'
import { checkPemCount, isPrivateKeyLabel, pemBeginLabels, scanPem, wrapPem } from '../../shared/pem'
import type { CloudflareClient } from './client'
import { accountContext as ctx, guard, guarded } from './errors'
import { accountLabel, byId, callById, named, type ByIdCall, type OperationsOf } from './operation'
import { ACCOUNT_SSL_READ, ACCOUNT_SSL_WRITE, read, write } from './operations'

export interface AccountScope {
  accountId: string
  accountName?: string | undefined
}

/** The issuer, serial number, expiry and upload time Cloudflare reports of an uploaded certificate, those it gave. */
export function uploadedFacts(c: {
  issuer?: string | undefined
  serial_number?: string | undefined
  expires_on?: string | undefined
  uploaded_on?: string | undefined
}): UploadedCertificateFacts {
  return {
    ...(c.issuer ? { issuer: c.issuer } : {}),
    ...(c.serial_number ? { serialNumber: c.serial_number } : {}),
    ...(c.expires_on ? { expiresOn: c.expires_on } : {}),
    ...(c.uploaded_on ? { uploadedOn: c.uploaded_on } : {}),
  }
}

export function toMtlsSummary(c: MTLSCertificate & { id?: string }): MtlsCertificateSummary {
  const type = MtlsCertificateType.safeParse(c.type)
  return {
    id: c.id ?? '',
    ...(c.name ? { name: c.name } : {}),
    ca: c.ca ?? false,
    ...(c.signature ? { signature: c.signature } : {}),
    ...(type.success ? { type: type.data } : {}),
    ...uploadedFacts(c),
  }
}

// ---------------------------------------------------------------------------------------------
// Chain preparation (pure)

function isCa(cert: x509.X509Certificate): boolean {
  const bc = cert.getExtension(x509.BasicConstraintsExtension)
  return bc?.ca === true
}

export interface PreparedChain {
  /** PEM, root first, then each certificate issued by the one before it. */
  pem: string
  certificates: x509.X509Certificate[]
}

/**
 * Parse a PEM bundle and order it root first. Throws bad_input, saying what is wrong, for a key
 * pasted in place of the certificate, an unparseable block, a chain with gaps or several roots, or
 * (for `ca: true`) a certificate without basicConstraints CA:TRUE.
 */
export function prepareCaChain(bundle: string, requireCa = true): PreparedChain {
  const text = bundle.replace(/\r\n?/g, '\n')
  const labels = pemBeginLabels(text)
  if (labels.some(isPrivateKeyLabel) && !labels.includes('CERTIFICATE')) {
    throw new AppError('bad_input', 'That is a private key, not a certificate (Cloudflare would answer "Unable to parse certificate").', {
      hint: 'Paste the CA certificate in the certificate field and the key, if needed, in the private key field.',
    })
  }
  const blocks = scanPem(text)
    .filter((b) => b.label === 'CERTIFICATE' && b.body !== '')
    .map((b) => wrapPem(b.body, 'CERTIFICATE'))
  if (blocks.length === 0)
    throw new AppError('bad_input', 'No PEM certificate found: expected "-----BEGIN CERTIFICATE-----".', {
      hint: 'Export the CA certificate (and any intermediates) in PEM format.',
    })
  checkPemCount(blocks.length, 'certificates', 'The bundle')
  const certs = blocks.map((block, i) =>
    decodeCertificate(block, {
      message: `Certificate ${i + 1} of the bundle could not be decoded.`,
      hint: 'Copy each certificate whole, including its BEGIN and END lines.',
    }),
  )
  const roots = certs.filter((c) => c.subject === c.issuer)
  if (roots.length > 1) throw new AppError('bad_input', `The bundle holds ${roots.length} root certificates; upload one chain at a time.`)
  // The checker's ordering (AKI/SKI and signature), so a bundle that passes Check is not refused here.
  const byDer = new Map<Uint8Array, x509.X509Certificate>(certs.map((c) => [new Uint8Array(c.rawData), c]))
  const ordered = orderOneChain([...byDer.keys()], 'root-first').map((der) => byDer.get(der)!)
  if (requireCa) {
    const notCa = ordered.filter((c) => !isCa(c))
    if (notCa.length) {
      throw new AppError(
        'bad_input',
        `Only CA certificates can be uploaded as a CA: ${notCa.map((c) => c.subject).join('; ')} lacks basicConstraints CA:TRUE.`,
        {
          hint:
            'Upload the issuing CA, not a leaf certificate. A BYOPKI root needs basicConstraints=critical,CA:TRUE and ' +
            'keyUsage=critical,keyCertSign,cRLSign (Cloudflare docs: Deploy custom certificate).',
        },
      )
    }
  }
  return { pem: `${ordered.map((c) => c.toString('pem')).join('\n')}\n`, certificates: ordered }
}

/** The private key must be PEM and belong to one certificate of the chain (never logged, never echoed). */
export function checkPrivateKey(keyPem: string, chain: PreparedChain): string {
  const text = keyPem.replace(/\r\n?/g, '\n').trim()
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new AppError('bad_input', 'The private key is not a PEM private key.', {
      hint: 'Paste an unencrypted PEM key (BEGIN PRIVATE KEY or BEGIN RSA/EC PRIVATE KEY).',
    })
  }
  let spki: Buffer
  try {
    spki = createPublicKey(text).export({ type: 'spki', format: 'der' })
  } catch {
    throw new AppError('bad_input', 'The private key could not be read (damaged, or encrypted with a passphrase).', {
      hint: 'Decrypt the key first (openssl pkey -in key.pem -out plain.pem) and paste the result.',
    })
  }
  const match = chain.certificates.some((c) => Buffer.from(c.publicKey.rawData).equals(spki))
  if (!match)
    throw new AppError('bad_input', 'The private key does not belong to any certificate of the chain.', {
      hint: 'Pick the key that was used to create this CA.',
    })
  return `${text}\n`
}

// ---------------------------------------------------------------------------------------------
// API

export interface UploadCaRequest {
  name?: string | undefined
  /** PEM: one CA, or a chain in any order (sent root first). */
  chainPem: string
  privateKeyPem?: string | undefined
}

export async function uploadCaChain(
  client: CloudflareClient,
  scope: AccountScope,
  request: UploadCaRequest,
  signal?: AbortSignal,
): Promise<MtlsCertificateSummary & { chain: PreparedChain }> {
  const chain = prepareCaChain(request.chainPem, true)
  const privateKey = request.privateKeyPem ? checkPrivateKey(request.privateKeyPem, chain) : undefined
  const name = request.name?.trim()
  const c = await guard(ctx(scope, 'mtls.upload', name ? `"${name}"` : undefined), async () =>
    client.sdk.mtlsCertificates.create(
      {
        account_id: scope.accountId,
        ca: true,
        certificates: chain.pem,
        ...(name ? { name } : {}),
        ...(privateKey ? { private_key: privateKey } : {}),
      },
      { signal, maxRetries: 0 },
    ),
  )
  return { ...toMtlsSummary(c as MTLSCertificate), chain }
}

export async function listMtlsCertificates(
  client: CloudflareClient,
  scope: AccountScope,
  types?: readonly MtlsCertificateType[],
  signal?: AbortSignal,
): Promise<MtlsCertificateSummary[]> {
  // The API takes several types comma-separated; filtered here too in case a server ignores the filter.
  const query = types?.length ? { type: [types.join(',')] as MtlsCertificateType[] } : {}
  const page = await guard(ctx(scope, 'mtls.list'), async () =>
    client.sdk.mtlsCertificates.list({ account_id: scope.accountId, ...query }, { signal }),
  )
  const all = page.result.map((c) => toMtlsSummary(c))
  return types?.length ? all.filter((c) => c.type === undefined || types.includes(c.type)) : all
}

export const getMtlsAssociations: ByIdCall<AccountScope, MtlsAssociation[]> = async (client, scope, id, signal) => {
  const get = () => client.sdk.mtlsCertificates.associations.get(id, { account_id: scope.accountId }, { signal })
  const toAssociation = (a: { service?: string; status?: string }) => ({
    service: a.service ?? 'unknown service',
    status: a.status ?? 'unknown',
  })
  return guarded(ctx(scope, 'mtls.associations', `mTLS certificate ${id}`), get, (page) => page.result.map(toAssociation))
}

/** Refuses — naming the services — while anything uses the certificate; Cloudflare would refuse too. */
export const deleteMtlsCertificate: ByIdCall<AccountScope, { id: string }> = async (client, scope, id, signal) => {
  const associations = await getMtlsAssociations(client, scope, id, signal)
  if (associations.length) {
    const uses = associations.map((a) => `${a.service} (${a.status})`).join(', ')
    throw new AppError('cf_in_use', `This certificate is still used by ${uses}, so it cannot be deleted.`, {
      hint:
        'Remove it from those services first — e.g. clear its hostname associations, or deactivate the Gateway certificate — ' +
        'then delete it.',
      details: { associations },
    })
  }
  await guard(ctx(scope, 'mtls.delete', `mTLS certificate ${id}`), async () =>
    client.sdk.mtlsCertificates.delete(id, { account_id: scope.accountId }, { signal }),
  )
  return { id }
}

/** The operations of `mtls:*` (what an operation declares: operation.ts). */
export const mtlsOperations = {
  'mtls.list': {
    scope: 'account',
    permission: read('list account mTLS certificates', ACCOUNT_SSL_READ),
    call: ({ client, at, request, signal }) => listMtlsCertificates(client, at, request.types, signal),
  },
  /** The prepared chain stays out of the answer: the summary is what the renderer shows. */
  'mtls.upload': {
    scope: 'account',
    permission: write('upload a CA certificate', ACCOUNT_SSL_WRITE),
    call: async ({ client, at, request, signal, note }) => {
      const { chain, ...summary } = await uploadCaChain(client, at, request, signal)
      note({ chainLength: chain.certificates.length })
      return summary
    },
    audit: {
      words: 'Uploaded account CA certificate',
      before: (request) => ({ target: request.name ?? 'CA certificate', ...(request.name ? { objectName: request.name } : {}) }),
      detail: (_, at) => ({ account: accountLabel(at), withPrivateKey: false }),
      after: (r) => named(r.name ?? r.issuer ?? 'CA', r.id),
    },
  },
  'mtls.associations': {
    scope: 'account',
    permission: read('list where a CA certificate is used', ACCOUNT_SSL_READ),
    call: callById(getMtlsAssociations),
  },
  'mtls.delete': {
    scope: 'account',
    permission: write('delete an account mTLS certificate', ACCOUNT_SSL_WRITE),
    call: callById(deleteMtlsCertificate),
    audit: { words: 'Deleted account CA certificate', before: byId, detail: (_, at) => ({ account: accountLabel(at) }) },
  },
} as const satisfies OperationsOf<'mtls'>
