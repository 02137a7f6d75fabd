/**
 * PKCS#10 certificate signing requests, as Cloudflare's create-client-certificate endpoint wants
 * them (Cloudflare docs: Create Client Certificate: PEM, "newline-encoded"). Every field is checked against the RFC 5280 upper bounds
 * before anything is signed, so a bad value is a specific message, not an opaque CA rejection.
 */
import { KeyObject, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import { isIP } from 'node:net'
import * as x509 from '@peculiar/x509'
import { CLOUDFLARE_CLIENT_KEYS } from '../../shared/constants'
import { AppError } from '../../shared/errors'
import type { CsrSubject, SanEntry } from '../../shared/pki-model'
import { CSR_LABELS } from '../certs/pem'
import { decodeCsr } from '../certs/x509'
import * as der from './der-writer'
import type { KeyPair } from './keys'
import { decodePem, toPem } from './encode'

export type { CsrSubject, SanEntry }

/** RFC 5280 Appendix A upper bounds (ub-common-name 64, ub-organization-name 64, ub-locality-name 128, …). */
export const SUBJECT_LIMITS = { cn: 64, o: 64, ou: 64, st: 128, l: 128, email: 255 } as const

const FIELD_NAMES: Record<keyof CsrSubject, string> = {
  cn: 'Common name (CN)',
  o: 'Organization (O)',
  ou: 'Organizational unit (OU)',
  c: 'Country (C)',
  st: 'State or province (ST)',
  l: 'Locality (L)',
  email: 'Email address',
}

function badInput(message: string, hint: string, field?: string): AppError {
  return new AppError('bad_input', message, { hint, ...(field ? { details: { field } } : {}) })
}

// Control characters break PEM tooling and can hide text in a UI; no certificate needs them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/

/** Checks and normalises a subject (trimmed, country upper-cased); throws a specific bad_input. */
export function validateSubject(subject: CsrSubject): CsrSubject {
  const out: CsrSubject = { cn: '' }
  for (const key of Object.keys(FIELD_NAMES) as (keyof CsrSubject)[]) {
    const raw = subject[key]
    if (raw === undefined) continue
    if (typeof raw !== 'string') throw badInput(`${FIELD_NAMES[key]} must be text.`, 'Enter the value as plain text.', key)
    const value = raw.trim()
    if (value === '') continue
    if (CONTROL.test(value))
      throw badInput(
        `${FIELD_NAMES[key]} contains a control character (line break, tab or similar).`,
        'Remove line breaks and tabs from the value.',
        key,
      )
    if (key === 'c') {
      if (!/^[A-Za-z]{2}$/.test(value))
        throw badInput(
          `Country (C) must be a two-letter ISO 3166 code such as US or DE, not "${value}".`,
          'Use the two-letter country code.',
          key,
        )
      out.c = value.toUpperCase()
      continue
    }
    const limit = SUBJECT_LIMITS[key]
    const length = [...value].length
    if (length > limit)
      throw badInput(
        `${FIELD_NAMES[key]} is ${length} characters; RFC 5280 allows at most ${limit}.`,
        `Shorten the ${FIELD_NAMES[key].toLowerCase()} to ${limit} characters or fewer.`,
        key,
      )
    if (key === 'email' && !EMAIL.test(value))
      throw badInput(
        `Email address "${value}" is not an address like name@example.com.`,
        'Enter a full email address or leave it empty.',
        key,
      )
    out[key] = value
  }
  if (!out.cn) throw badInput('Common name (CN) is required.', 'Enter a common name, e.g. the device or user the certificate is for.', 'cn')
  return out
}

/** The subject as an X.501 name; strings typed explicitly so user text is never parsed as DN syntax. */
export function subjectName(subject: CsrSubject): x509.Name {
  const s = validateSubject(subject)
  const rdns: x509.JsonAttributeAndObjectValue[] = []
  const utf8 = (type: string, value: string | undefined): void => {
    if (value) rdns.push({ [type]: [{ utf8String: value }] })
  }
  if (s.c) rdns.push({ C: [{ printableString: s.c }] })
  utf8('ST', s.st)
  utf8('L', s.l)
  utf8('O', s.o)
  utf8('OU', s.ou)
  utf8('CN', s.cn)
  if (s.email) rdns.push({ E: [{ ia5String: s.email }] })
  return new x509.Name(rdns as unknown as x509.JsonName)
}

/** A DNS name as SANs and name constraints take it (a leading `*.` wildcard label allowed). */
export function validDnsName(value: string): boolean {
  if (value.length > 253) return false
  const labels = value.replace(/\.$/, '').split('.')
  return labels.every((label, i) => (i === 0 && label === '*' && labels.length > 2) || DNS_LABEL.test(label))
}

/** Parses `DNS:name`, `IP:addr`, `URI:scheme:…` or `email:addr` (a bare name is taken as DNS). */
export function parseSan(text: string): SanEntry {
  const trimmed = text.trim()
  const match = /^(dns|ip|uri|email):(.*)$/i.exec(trimmed)
  const entry: SanEntry = match
    ? { type: match[1]!.toLowerCase() as SanEntry['type'], value: match[2]!.trim() }
    : { type: 'dns', value: trimmed }
  return validateSan(entry)
}

export function validateSan(entry: SanEntry): SanEntry {
  const { type, value } = entry
  const hint = 'Write SANs as DNS:host.example.com, IP:10.0.0.1, URI:spiffe://example.org/x or email:a@example.com.'
  if (value === '') throw badInput(`The ${type.toUpperCase()} subject alternative name is empty.`, hint, 'san')
  if (CONTROL.test(value) || /\s/.test(value))
    throw badInput(`The subject alternative name "${value}" contains whitespace or control characters.`, hint, 'san')
  switch (type) {
    case 'dns':
      if (!validDnsName(value))
        throw badInput(
          `"${value}" is not a valid DNS name (letters, digits and hyphens, labels of at most 63 characters; a ` +
            `wildcard only as the whole leftmost label).`,
          hint,
          'san',
        )
      return { type, value: value.toLowerCase() }
    case 'ip':
      if (isIP(value) === 0) throw badInput(`"${value}" is not an IPv4 or IPv6 address.`, hint, 'san')
      return entry
    case 'uri':
      if (!/^[a-z][a-z0-9+.-]*:/i.test(value) || !URL.canParse(value))
        throw badInput(`"${value}" is not an absolute URI (it needs a scheme such as https: or spiffe:).`, hint, 'san')
      return entry
    case 'email':
      if (!EMAIL.test(value) || value.length > 255) throw badInput(`"${value}" is not an email address.`, hint, 'san')
      return entry
  }
}

export function sanExtension(sans: SanEntry[], critical = false): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    sans.map((s) => ({ type: s.type === 'uri' ? 'url' : s.type, value: s.value }) as x509.JsonGeneralName),
    critical,
  )
}

export interface CreateCsrOptions {
  keys: KeyPair
  subject: CsrSubject
  /** Entries or their text form (`DNS:…`). */
  sans?: (SanEntry | string)[]
}

export interface CreatedCsr {
  pem: string
  der: Uint8Array
}

const OID = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  E: '1.2.840.113549.1.9.1',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
} as const

/** The subject Name DER: C, ST, L, O, OU, CN, emailAddress — one attribute per RDN, as OpenSSL writes. */
export function encodeSubject(subject: CsrSubject): Buffer {
  const s = validateSubject(subject)
  const rdn = (type: string, value: Buffer): Buffer => der.set(der.seq(der.oid(type), value))
  const rdns: Buffer[] = []
  if (s.c) rdns.push(rdn(OID.C, der.printable(s.c)))
  if (s.st) rdns.push(rdn(OID.ST, der.utf8(s.st)))
  if (s.l) rdns.push(rdn(OID.L, der.utf8(s.l)))
  if (s.o) rdns.push(rdn(OID.O, der.utf8(s.o)))
  if (s.ou) rdns.push(rdn(OID.OU, der.utf8(s.ou)))
  rdns.push(rdn(OID.CN, der.utf8(s.cn)))
  if (s.email) rdns.push(rdn(OID.E, der.ia5(s.email)))
  return der.seq(...rdns)
}

/** GeneralNames DER for validated SAN entries. */
export function encodeSans(sans: SanEntry[]): Buffer {
  return der.seq(
    ...sans.map((san) => {
      switch (san.type) {
        case 'email':
          return der.context(1, false, Buffer.from(san.value, 'latin1'))
        case 'dns':
          return der.context(2, false, Buffer.from(san.value, 'latin1'))
        case 'uri':
          return der.context(6, false, Buffer.from(san.value, 'utf8'))
        case 'ip':
          return der.context(7, false, der.ipBytes(san.value))
      }
    }),
  )
}

const EC_CURVE_OIDS: Record<string, string> = { 'P-256': '1.2.840.10045.3.1.7', 'P-384': '1.3.132.0.34' }

/** SPKI DER. For EC keys it is assembled from the JWK point: half the cost of OpenSSL's SPKI encoder. */
function spkiDer(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType === 'ec') {
    const jwk = publicKey.export({ format: 'jwk' })
    const curve = jwk.crv ? EC_CURVE_OIDS[jwk.crv] : undefined
    if (curve && jwk.x && jwk.y) {
      const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')])
      return der.seq(der.seq(der.oid('1.2.840.10045.2.1'), der.oid(curve)), der.bitString(point))
    }
  }
  return publicKey.export({ type: 'spki', format: 'der' })
}

/** AlgorithmIdentifier DER and Node hash name for a key type's signature. */
function signatureAlgorithm(type: KeyPair['type']): { algorithm: Buffer; hash: string } {
  if (type === 'ec-p384') return { algorithm: der.seq(der.oid('1.2.840.10045.4.3.3')), hash: 'sha384' }
  if (type === 'ec-p256') return { algorithm: der.seq(der.oid('1.2.840.10045.4.3.2')), hash: 'sha256' }
  return { algorithm: der.seq(der.oid('1.2.840.113549.1.1.11'), der.NULL), hash: 'sha256' }
}

const signAsync = (hash: string, data: Uint8Array, key: SignKeyInput): Promise<Buffer> =>
  new Promise((resolve, reject) => nodeSign(hash, data, key, (error, sig) => (error ? reject(error) : resolve(sig))))
const verifyAsync = (hash: string, data: Uint8Array, key: VerifyKeyInput, sig: Uint8Array): Promise<boolean> =>
  new Promise((resolve, reject) => nodeVerify(hash, data, key, sig, (error, ok) => (error ? reject(error) : resolve(ok))))
type SignKeyInput = Parameters<typeof nodeSign>[2]
type VerifyKeyInput = Parameters<typeof nodeVerify>[2]

/**
 * Builds, signs and verifies a PKCS#10 CSR. The DER is written directly (see der-writer.ts) and
 * signed with Node's OpenSSL on the thread pool: fast enough for bulk issuance (thousands a second),
 * and parsed back by @peculiar/x509 and `openssl req -verify` in the tests. The PEM uses real `\n`
 * line breaks and ends with one.
 */
export async function createCsr(options: CreateCsrOptions): Promise<CreatedCsr> {
  const subject = encodeSubject(options.subject)
  const sans = (options.sans ?? []).map((s) => (typeof s === 'string' ? parseSan(s) : validateSan(s)))
  const privateKey = KeyObject.from(options.keys.privateKey)
  const publicKey = KeyObject.from(options.keys.publicKey)
  const spki = spkiDer(publicKey)
  const attributes = sans.length
    ? der.context(
        0,
        true,
        der.seq(der.oid(OID.extensionRequest), der.set(der.seq(der.seq(der.oid(OID.subjectAltName), der.octets(encodeSans(sans)))))),
      )
    : der.context(0, true)
  const info = der.seq(der.smallInt(0), subject, spki, attributes)
  const { algorithm, hash } = signatureAlgorithm(options.keys.type)
  const ec = options.keys.type.startsWith('ec')
  const signature = await signAsync(hash, info, ec ? { key: privateKey, dsaEncoding: 'der' } : privateKey)
  // A signature that does not verify would be refused by the CA; catch it here, where it happened.
  if (!(await verifyAsync(hash, info, ec ? { key: publicKey, dsaEncoding: 'der' } : publicKey, signature))) {
    throw new AppError('internal', 'The new CSR failed its own signature check.', {
      hint: 'Try again; if it persists the key may be damaged.',
    })
  }
  const csr = new Uint8Array(der.seq(info, algorithm, der.bitString(signature)))
  return { pem: toPem(csr, 'CERTIFICATE REQUEST'), der: csr }
}

/** Parses a PEM or DER CSR and verifies its signature; every failure is a specific bad_input. */
export async function readCsr(input: string | Uint8Array): Promise<x509.Pkcs10CertificateRequest> {
  let der: Uint8Array
  if (typeof input === 'string') {
    const block = decodePem(input, CSR_LABELS, 'a certificate signing request (CSR)')
    der = block.der
  } else {
    der = input
  }
  const csr = decodeCsr(der, {
    message: 'The CSR could not be decoded: its DER content is damaged.',
    hint: 'Generate the CSR again; `openssl req -in CSR -noout -text` shows the same problem.',
  })
  let valid: boolean
  try {
    valid = await csr.verify()
  } catch {
    throw badInput('The CSR uses a key or signature algorithm Certdesk cannot verify.', `Use ${CLOUDFLARE_CLIENT_KEYS} keys.`)
  }
  if (!valid)
    throw badInput(
      'The CSR signature does not verify: it was altered after signing or signed with another key.',
      'Generate the CSR again from its private key.',
    )
  return csr
}

/** Subject fields read back from a CSR, for display and for the vault's CSR lookup. */
export function csrSubject(csr: x509.Pkcs10CertificateRequest): CsrSubject {
  const field = (name: string): string | undefined => csr.subjectName.getField(name)[0]
  const out: CsrSubject = { cn: field('CN') ?? '' }
  for (const [key, name] of [
    ['o', 'O'],
    ['ou', 'OU'],
    ['c', 'C'],
    ['st', 'ST'],
    ['l', 'L'],
    ['email', 'E'],
  ] as const) {
    const value = field(name)
    if (value !== undefined) out[key] = value
  }
  return out
}

/** SANs of a CSR's extensionRequest, as entries. */
export function csrSans(csr: x509.Pkcs10CertificateRequest): SanEntry[] {
  const ext = csr.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension)
  if (!ext) return []
  return ext.names.items.flatMap((n): SanEntry[] => {
    if (n.type === 'dns' || n.type === 'ip' || n.type === 'email') return [{ type: n.type, value: n.value }]
    if (n.type === 'url') return [{ type: 'uri', value: n.value }]
    return []
  })
}
