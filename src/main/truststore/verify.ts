/**
 * The helpdesk answer: given a fingerprint (any tool's spelling, Cloudflare's included), a PEM, or
 * a certificate file, one line per store — trusted, present-not-trusted or missing — with the fix.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { X509Certificate } from 'node:crypto'
import { isAbsolute, resolve } from 'node:path'
import { AppError } from '../../shared/errors'
import type { RootSummary, VerifyLine } from '../../shared/truststore-model'
import {
  certFacts,
  certificatesInFile,
  decodeCertificate,
  notACertificateReason,
  unwrapCertificateBlock,
  type StoredCert,
} from './certificates'
import { parseFingerprint, type Fingerprint } from '../certs/fingerprint'
import type { TrustStore } from './types'

export interface ResolvedInput {
  fingerprint: Fingerprint
  root?: RootSummary
  der?: Buffer
}

/**
 * PEM text, a fingerprint string, or — only when `allowFiles` (the CLI) — a file path relative to
 * `cwd`. The app passes `allowFiles: false`: a string from the renderer must never make main read a file.
 */
export function resolveCertOrFingerprint(
  input: string,
  cwd: string = process.cwd(),
  options: { allowFiles?: boolean } = {},
): ResolvedInput {
  const allowFiles = options.allowFiles ?? true
  const text = input.trim()
  if (!text) throw new AppError('bad_input', 'Nothing to look for: give a fingerprint, a PEM or a certificate file.')
  let bytes: Buffer | null = null
  const path = isAbsolute(text) ? text : resolve(cwd, text)
  if (text.includes('-----BEGIN')) bytes = Buffer.from(text)
  else if (allowFiles && !text.includes('\n') && existsSync(path) && statSync(path).isFile()) bytes = readFileSync(path)
  else if (allowFiles && /[\\/]|\.(pem|crt|cer|der)$/i.test(text)) {
    throw new AppError('bad_input', `"${text}" is neither a fingerprint nor a readable certificate file.`, {
      hint: 'Give a SHA-256/SHA-1/MD5 fingerprint or the path of a .pem/.crt/.cer file.',
    })
  }
  if (bytes === null) return { fingerprint: parseFingerprint(text) }
  bytes = unwrapCertificateBlock(bytes)
  // A key bundled with its certificate is refused too: a key has no business in a trust lookup.
  if (notACertificateReason(bytes) === 'private_key') throw notACertificate(bytes)
  const ders = certificatesInFile(bytes)
  if (ders.length === 0) throw notACertificate(bytes)
  if (ders.length !== 1) {
    throw new AppError('bad_input', `This file holds ${ders.length} certificates; give one root.`, {
      hint: 'Give one PEM or DER certificate, or a fingerprint.',
      details: { reason: 'multiple_certificates' },
    })
  }
  const der = ders[0] as Buffer
  const cert = decodeCertificate(der)
  const facts = certFacts(der, cert)
  return { fingerprint: { algorithm: 'sha256', hex: facts.sha256 }, der, root: { ...facts, selfSigned: cert.checkIssued(cert) } }
}

/** Names what was given instead of a certificate (the PKI library is not loaded for this: `trust list` stays fast). */
function notACertificate(bytes: Buffer): AppError {
  const hint = 'Give one PEM or DER certificate, or a fingerprint.'
  switch (notACertificateReason(bytes)) {
    case 'private_key':
      return new AppError('bad_input', 'This file contains a private key; give the certificate alone.', {
        hint,
        details: { reason: 'private_key' },
      })
    case 'csr':
      return new AppError('bad_input', 'This is a certificate signing request (CSR); a certificate was expected.', {
        hint,
        details: { reason: 'csr' },
      })
    default:
      return new AppError('bad_input', 'No certificate could be read from this input.', { hint, details: { reason: 'not_a_certificate' } })
  }
}

function fixFor(store: TrustStore, status: 'present-not-trusted' | 'missing', entry?: StoredCert): string {
  const d = store.describe()
  const install = `certdesk trust install ROOT.pem --store ${d.id}`
  if (status === 'missing') return install
  switch (true) {
    case d.kind === 'nss':
      return `certutil -M -d sql:${d.location} -n "${entry?.location ?? 'NICKNAME'}" -t "C,," (or ${install})`
    case d.id.startsWith('darwin'):
      return 'Open Keychain Access, double-click the root, set "When using this certificate" to "Always Trust" (or ' + install + ')'
    case d.id === 'linux-system':
      return entry?.note?.includes('ignores')
        ? `Rename ${entry.location} to end in .crt and run ${d.tool}, or ${install}`
        : `Run ${d.tool} as root (or ${install})`
    default:
      return install
  }
}

/**
 * One line per store; a store that cannot be read says so instead of pretending "missing".
 * `foundEntries`, when given, collects every entry the stores returned (a root asked for by
 * fingerprint gets its name from them).
 */
export async function verifyInStores(stores: TrustStore[], fp: Fingerprint, foundEntries?: StoredCert[]): Promise<VerifyLine[]> {
  return Promise.all(
    stores.map(async (store): Promise<VerifyLine> => {
      const d = store.describe()
      let found: StoredCert[]
      try {
        found = await store.find(fp)
        foundEntries?.push(...found)
      } catch (error) {
        return {
          storeId: d.id,
          label: d.label,
          status: 'error',
          detail: (error as Error).message,
          fix: 'Check that the store tool works, then retry.',
        }
      }
      const trusted = found.find((e) => e.trust === 'trusted')
      if (trusted) return { storeId: d.id, label: d.label, status: 'trusted', detail: trusted.location ?? d.location }
      if (found[0])
        return {
          storeId: d.id,
          label: d.label,
          status: 'present-not-trusted',
          detail: found[0].note ?? found[0].location ?? d.location,
          fix: fixFor(store, 'present-not-trusted', found[0]),
        }
      return { storeId: d.id, label: d.label, status: 'missing', fix: fixFor(store, 'missing') }
    }),
  )
}

/** The summary of a root a store holds, for a verify asked by fingerprint (the store entry has the DER). */
export function summaryFromEntries(entries: readonly StoredCert[]): RootSummary | undefined {
  const der = entries.find((e) => e.der)?.der
  if (!der) return undefined
  const cert = new X509Certificate(der)
  return { ...certFacts(der, cert), selfSigned: cert.checkIssued(cert) }
}
