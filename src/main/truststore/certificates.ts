/**
 * Certificates as the trust stores see them: a lean PEM splitter for whole bundles (listing must
 * be fast, so no per-certificate @peculiar/x509 objects — node:crypto's X509Certificate is
 * native), and the gatekeeper that refuses anything but a valid CA certificate before install.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { RootSummary, TrustEntry } from '../../shared/truststore-model'
import { isPrivateKeyLabel, pemBeginLabels, pemCertificates, pemLabelKind, scanPem, toPem } from '../certs/pem'
import { digest } from '../certs/fingerprint'

const BEGIN = '-----BEGIN CERTIFICATE-----'

/** Every `CERTIFICATE` block of a PEM text as DER, in order (the linear scanner). Other blocks are skipped. */
export const splitPemCertificates = pemCertificates

/** PEM of a DER certificate (the toolkit's `toPem`). */
export const derToPem = (der: Uint8Array): string => toPem(der)

/** `CN=a\nO=b` (node's form) → `CN=a, O=b`. */
export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ')
}

export interface CertFacts {
  sha256: string
  sha1: string
  subject: string
  issuer: string
  serial: string
  notBefore: string
  notAfter: string
}

/** A certificate whose bytes node:crypto cannot decode, or whose validity times are not dates. */
export function damagedCertificate(what: string, cause?: unknown): AppError {
  return new AppError('bad_input', `The certificate is damaged: ${what}.`, {
    hint: 'Export the certificate again from its source (PEM or DER).',
    details: { reason: 'not_a_certificate' },
    ...(cause === undefined ? {} : { cause }),
  })
}

/** Decodes one DER certificate; a damaged one is a `bad_input` AppError, never a raw crypto error. */
export function decodeCertificate(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der)
  } catch (cause) {
    throw damagedCertificate('its bytes are not an X.509 certificate', cause)
  }
}

/**
 * node:crypto prints an unreadable time as "Bad time value" but its Date for it is Invalid Date or,
 * seen in tests, an arbitrary one (year 113519): a time counts only when the printed form parses to
 * the same instant.
 */
function isoTime(cert: X509Certificate, field: 'notBefore' | 'notAfter'): string {
  const [text, date] = field === 'notBefore' ? [cert.validFrom, cert.validFromDate] : [cert.validTo, cert.validToDate]
  if (Number.isNaN(date.getTime()) || Date.parse(text) !== date.getTime()) throw damagedCertificate(`its ${field} time is not a valid date`)
  return date.toISOString()
}

/** Throws a `bad_input` AppError (never a RangeError) for a certificate whose times are not dates. */
export function certFacts(der: Buffer, cert: X509Certificate = decodeCertificate(der)): CertFacts {
  return {
    sha256: digest(der, 'sha256'),
    sha1: digest(der, 'sha1'),
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    serial: cert.serialNumber.toUpperCase(),
    notBefore: isoTime(cert, 'notBefore'),
    notAfter: isoTime(cert, 'notAfter'),
  }
}

/** A certificate held by a store. `der` stays in main (never sent over IPC). */
export type StoredCert = TrustEntry & { der?: Buffer }

/** Builds a store entry from DER; undecodable blocks yield null so one bad entry cannot hide the rest. */
export function entryFromDer(der: Buffer, extra: Pick<TrustEntry, 'trust' | 'origin'> & Partial<TrustEntry>): StoredCert | null {
  let facts: CertFacts
  try {
    facts = certFacts(der)
  } catch {
    return null
  }
  return { ...facts, ...extra, der }
}

/** The entries of a PEM text; with `keep`, only the certificates it keeps are decoded (a lookup by fingerprint). */
export function entriesFromPemText(
  text: string,
  extra: Pick<TrustEntry, 'trust' | 'origin'> & Partial<TrustEntry>,
  keep?: (der: Buffer) => boolean,
): StoredCert[] {
  const out: StoredCert[] = []
  for (const der of splitPemCertificates(text)) {
    if (keep && !keep(der)) continue
    const entry = entryFromDer(der, extra)
    if (entry) out.push(entry)
  }
  return out
}

/** Certificates in a file that may be PEM (any number of blocks) or one DER certificate. */
export function certificatesInFile(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1')
  if (text.includes(BEGIN)) return splitPemCertificates(text)
  try {
    new X509Certificate(bytes)
    return [bytes]
  } catch {
    return []
  }
}

/** A root that passed the install checks. */
export interface RootCertificate {
  der: Buffer
  pem: string
  cert: X509Certificate
  summary: RootSummary
}

function refuse(reason: string, message: string, hint: string): AppError {
  return new AppError('bad_input', message, { hint, details: { reason } })
}

function isDerPrivateKey(bytes: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: bytes, format: 'der', type })
      return true
    } catch {
      // try the next encoding
    }
  }
  return false
}

/** DER tag/length at `at`: where the content starts and ends, or null if it overruns. */
function tlv(buf: Buffer, at: number): { tag: number; start: number; end: number } | null {
  if (at + 2 > buf.length) return null
  const tag = buf[at] as number
  let len = buf[at + 1] as number
  let head = 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n < 1 || n > 4 || at + 2 + n > buf.length) return null
    len = 0
    for (let k = 0; k < n; k++) len = len * 256 + (buf[at + 2 + k] as number)
    head = 2 + n
  }
  const end = at + head + len
  return end > buf.length ? null : { tag, start: at + head, end }
}

/**
 * PKCS#10 shape: SEQUENCE { CertificationRequestInfo SEQUENCE { INTEGER 0, Name, SPKI, [0] attributes },
 * AlgorithmIdentifier, BIT STRING }. Read by hand so listing never loads an X.509 library.
 */
function isDerCsr(bytes: Buffer): boolean {
  const outer = tlv(bytes, 0)
  if (outer?.tag !== 0x30 || outer.end !== bytes.length) return false
  const info = tlv(bytes, outer.start)
  if (info?.tag !== 0x30) return false
  const version = tlv(bytes, info.start)
  if (version?.tag !== 0x02 || version.end - version.start !== 1 || bytes[version.start] !== 0) return false
  const name = tlv(bytes, version.end)
  const spki = name?.tag === 0x30 ? tlv(bytes, name.end) : null
  const attributes = spki?.tag === 0x30 ? tlv(bytes, spki.end) : null
  return attributes?.tag === 0xa0 && attributes.end === info.end
}

/**
 * Accepts exactly one CA certificate, valid now, PEM or DER. Refuses private keys (also a
 * certificate bundled with its key: the key must never be copied into a store), CSRs, leaf
 * certificates, expired roots and anything undecodable, each with its own reason.
 */
/**
 * The renderer hands a binary file over as one CERTIFICATE block, whatever the file holds. When
 * that block's body is not a certificate, the body itself is the input, so a DER private key or
 * CSR is refused as what it is rather than as "not a certificate".
 */
export function unwrapCertificateBlock(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1')
  const blocks = scanPem(text)
  const block = blocks.length === 1 ? blocks[0]! : null
  const alone = block !== null && text.slice(0, block.start).trim() === '' && text.slice(block.end).trim() === ''
  if (!alone || block.label !== 'CERTIFICATE' || Object.keys(block.headers).length > 0 || !/^[A-Za-z0-9+/=]*$/.test(block.body))
    return bytes
  const der = Buffer.from(block.body, 'base64')
  try {
    new X509Certificate(der)
    return bytes
  } catch {
    return der
  }
}

/**
 * What a file holds when it is a private key or a CSR rather than a certificate (PEM or DER),
 * found with node:crypto and a DER walk: cheap enough for every path, no PKI library loaded.
 */
export function notACertificateReason(bytes: Buffer): 'private_key' | 'csr' | null {
  const text = bytes.toString('latin1')
  const pem = text.includes('-----BEGIN')
  const labels = pem ? pemBeginLabels(text) : []
  if (labels.some(isPrivateKeyLabel) || (!pem && isDerPrivateKey(bytes))) return 'private_key'
  if (labels.some((label) => pemLabelKind(label) === 'csr') || (!pem && isDerCsr(bytes))) return 'csr'
  return null
}

export function parseRootForInstall(input: Buffer, now: Date = new Date()): RootCertificate {
  const bytes = unwrapCertificateBlock(input)
  const other = notACertificateReason(bytes)
  if (other === 'private_key') {
    throw refuse(
      'private_key',
      'This file contains a private key. A trust store takes only the CA certificate, and a private key must never be copied into one.',
      'Give the root certificate file (-----BEGIN CERTIFICATE-----) without its key.',
    )
  }
  if (other === 'csr') {
    throw refuse(
      'csr',
      'This file is a certificate signing request (CSR), not a certificate.',
      'Sign the CSR with your CA first, or give the CA certificate itself.',
    )
  }
  const ders = certificatesInFile(bytes)
  if (ders.length === 0) {
    throw refuse(
      'not_a_certificate',
      'This is not a certificate: no PEM CERTIFICATE block and no DER X.509 certificate could be read.',
      'Give a .pem, .crt or .cer file holding the root CA certificate.',
    )
  }
  if (ders.length > 1) {
    throw refuse(
      'multiple_certificates',
      `This file holds ${ders.length} certificates; install one root at a time.`,
      'Split the bundle and give the root (the self-signed one) alone.',
    )
  }
  const der = ders[0] as Buffer
  const cert = decodeCertificate(der)
  const facts = certFacts(der, cert)
  if (!cert.ca) {
    throw refuse(
      'not_ca',
      `"${facts.subject}" is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot act as a trusted root.`,
      'Install the CA that issued it instead (its issuer is ' + facts.issuer + ').',
    )
  }
  if (cert.validToDate.getTime() <= now.getTime()) {
    throw refuse(
      'expired',
      `"${facts.subject}" expired on ${facts.notAfter}; nothing would verify against it.`,
      'Issue a new root (or renew it with the same key) and install that.',
    )
  }
  const selfSigned = cert.checkIssued(cert) && safeVerify(cert)
  return { der, pem: derToPem(der), cert, summary: { ...facts, selfSigned } }
}

function safeVerify(cert: X509Certificate): boolean {
  try {
    return cert.verify(cert.publicKey)
  } catch {
    return false
  }
}

/** Filename-safe slug of a subject's CN, for anchor files and nicknames. */
export function commonName(subject: string): string {
  const cn = /(?:^|, )CN=([^,]+)/.exec(subject)?.[1]
  return (cn ?? subject).trim()
}

export function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'root'
  )
}
