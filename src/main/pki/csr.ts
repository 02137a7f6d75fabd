/**
 * PKCS#10 certificate signing requests, as Cloudflare's create-client-certificate endpoint wants
 * them (seed 001: PEM, "newline-encoded"). Every field is checked against the RFC 5280 upper bounds
 * before anything is signed, so a bad value is a specific message, not an opaque CA rejection.
 */
import { isIP } from 'node:net'
import * as x509 from '@peculiar/x509'
import { AppError } from '../../shared/errors'
import type { CsrSubject, SanEntry } from '../../shared/pki-model'
import { signingAlgorithm, type KeyPair } from './keys'
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
    if (CONTROL.test(value)) throw badInput(`${FIELD_NAMES[key]} contains a control character (line break, tab or similar).`, 'Remove line breaks and tabs from the value.', key)
    if (key === 'c') {
      if (!/^[A-Za-z]{2}$/.test(value)) throw badInput(`Country (C) must be a two-letter ISO 3166 code such as US or DE, not "${value}".`, 'Use the two-letter country code.', key)
      out.c = value.toUpperCase()
      continue
    }
    const limit = SUBJECT_LIMITS[key]
    const length = [...value].length
    if (length > limit) throw badInput(`${FIELD_NAMES[key]} is ${length} characters; RFC 5280 allows at most ${limit}.`, `Shorten the ${FIELD_NAMES[key].toLowerCase()} to ${limit} characters or fewer.`, key)
    if (key === 'email' && !EMAIL.test(value)) throw badInput(`Email address "${value}" is not an address like name@example.com.`, 'Enter a full email address or leave it empty.', key)
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
  const entry: SanEntry = match ? { type: match[1]!.toLowerCase() as SanEntry['type'], value: match[2]!.trim() } : { type: 'dns', value: trimmed }
  return validateSan(entry)
}

export function validateSan(entry: SanEntry): SanEntry {
  const { type, value } = entry
  const hint = 'Write SANs as DNS:host.example.com, IP:10.0.0.1, URI:spiffe://example.org/x or email:a@example.com.'
  if (value === '') throw badInput(`The ${type.toUpperCase()} subject alternative name is empty.`, hint, 'san')
  if (CONTROL.test(value) || /\s/.test(value)) throw badInput(`The subject alternative name "${value}" contains whitespace or control characters.`, hint, 'san')
  switch (type) {
    case 'dns':
      if (!validDnsName(value)) throw badInput(`"${value}" is not a valid DNS name (letters, digits and hyphens, labels of at most 63 characters; a wildcard only as the whole leftmost label).`, hint, 'san')
      return { type, value: value.toLowerCase() }
    case 'ip':
      if (isIP(value) === 0) throw badInput(`"${value}" is not an IPv4 or IPv6 address.`, hint, 'san')
      return entry
    case 'uri':
      if (!/^[a-z][a-z0-9+.-]*:/i.test(value) || !URL.canParse(value)) throw badInput(`"${value}" is not an absolute URI (it needs a scheme such as https: or spiffe:).`, hint, 'san')
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

/** Builds, signs and verifies a CSR. The PEM uses real `\n` line breaks and ends with one. */
export async function createCsr(options: CreateCsrOptions): Promise<CreatedCsr> {
  const name = subjectName(options.subject)
  const sans = (options.sans ?? []).map((s) => (typeof s === 'string' ? parseSan(s) : validateSan(s)))
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: options.keys,
    signingAlgorithm: signingAlgorithm(options.keys.type),
    extensions: sans.length ? [sanExtension(sans)] : [],
  })
  // A signature that does not verify would be refused by the CA; catch it here, where it happened.
  if (!(await csr.verify())) throw new AppError('internal', 'The new CSR failed its own signature check.', { hint: 'Try again; if it persists the key may be damaged.' })
  const der = new Uint8Array(csr.rawData)
  return { pem: toPem(der, 'CERTIFICATE REQUEST'), der }
}

/** Parses a PEM or DER CSR and verifies its signature; every failure is a specific bad_input. */
export async function readCsr(input: string | Uint8Array): Promise<x509.Pkcs10CertificateRequest> {
  let der: Uint8Array
  if (typeof input === 'string') {
    const block = decodePem(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], 'a certificate signing request (CSR)')
    der = block.der
  } else {
    der = input
  }
  let csr: x509.Pkcs10CertificateRequest
  try {
    csr = new x509.Pkcs10CertificateRequest(der)
  } catch (error) {
    throw new AppError('bad_input', 'The CSR could not be decoded: its DER content is damaged.', {
      hint: 'Generate the CSR again; `openssl req -in CSR -noout -text` shows the same problem.',
      cause: error,
    })
  }
  let valid: boolean
  try {
    valid = await csr.verify()
  } catch {
    throw badInput('The CSR uses a key or signature algorithm Certdesk cannot verify.', 'Use an RSA or ECDSA (P-256/P-384) key.')
  }
  if (!valid) throw badInput('The CSR signature does not verify: it was altered after signing or signed with another key.', 'Generate the CSR again from its private key.')
  return csr
}

/** Subject fields read back from a CSR, for display and for the vault's CSR lookup. */
export function csrSubject(csr: x509.Pkcs10CertificateRequest): CsrSubject {
  const field = (name: string): string | undefined => csr.subjectName.getField(name)[0]
  const out: CsrSubject = { cn: field('CN') ?? '' }
  for (const [key, name] of [['o', 'O'], ['ou', 'OU'], ['c', 'C'], ['st', 'ST'], ['l', 'L'], ['email', 'E']] as const) {
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
