/**
 * "What is this file?" for anything a person drops, picks or pastes: certificate, chain, CSR,
 * private key (plain or encrypted), public key, PKCS#12, PKCS#7 — as PEM or DER. Everything else is
 * refused with the specific reason (truncated PEM, bad base64 at a line, a CRL, random bytes…), and
 * `expectKind` turns "this is X" into "this is X; Y was expected".
 */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as x509 from '@peculiar/x509'
import { AppError } from '../../shared/errors'
import type { DetectedSummary, PkiKind } from '../../shared/pki-model'
import { decodeBer } from './ber'
import { pemLabelKind } from '../certs/pem'
import { describeLabel, looksLikePem, parsePem, type PemBlock } from './encode'
import { decodePkcs7, OID_SIGNED_DATA } from './pkcs7'

export interface DetectedItem {
  kind: Exclude<PkiKind, 'chain'>
  der: Uint8Array
  /** PEM label, when the input was PEM. */
  label?: string
  /** 1-based line of the PEM block. */
  line?: number
}

export interface Detected {
  /** What the input is as a whole: several certificates are a `chain`. */
  kind: PkiKind
  format: 'pem' | 'der'
  description: string
  /** Every object found, in order (a PEM file may hold a key and its certificate). */
  items: DetectedItem[]
  /** DER certificates of a certificate, chain or PKCS#7 (PKCS#12 contents need the password). */
  certificates: Uint8Array[]
}

const KIND_NAMES: Record<PkiKind, string> = {
  certificate: 'a certificate',
  chain: 'a certificate chain',
  csr: 'a certificate signing request (CSR)',
  'private-key': 'a private key',
  'encrypted-private-key': 'an encrypted private key',
  'public-key': 'a public key',
  pkcs12: 'a PKCS#12 bundle (.p12/.pfx)',
  pkcs7: 'a PKCS#7 certificate bundle (.p7b)',
}

export function describeKind(kind: PkiKind): string {
  return KIND_NAMES[kind]
}

const HINT = 'Certdesk reads certificates, chains, CSRs, private and public keys (PEM or DER), PKCS#12 (.p12/.pfx) and PKCS#7 (.p7b) files.'

function bad(message: string, reason: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('bad_input', message, { hint: HINT, details: { reason, ...details } })
}

const NOT_SUPPORTED: Record<string, string> = {
  'X509 CRL': 'a certificate revocation list (CRL)',
  'DH PARAMETERS': 'Diffie-Hellman parameters',
  'EC PARAMETERS': 'EC curve parameters (not a key)',
  'OPENSSH PRIVATE KEY': 'an OpenSSH private key (ssh-keygen format)',
  'PGP PUBLIC KEY BLOCK': 'a PGP public key',
  'PGP PRIVATE KEY BLOCK': 'a PGP private key',
  'PGP MESSAGE': 'a PGP message',
}

/** Checks a PEM block's DER really is what its label says, so a damaged body is caught here. */
function checkItem(kind: DetectedItem['kind'], block: PemBlock): void {
  const where = `the ${describeLabel(block.label).replace(/^an? /, '')} at line ${block.line}`
  const fail = (cause: unknown): never => {
    throw new AppError(
      'bad_input',
      `The PEM label says ${describeLabel(block.label)}, but ${where} could not be decoded: its content is damaged.`,
      {
        hint: 'Copy the block again from its source; a character may have been lost.',
        details: { reason: 'damaged_content', line: block.line },
        cause,
      },
    )
  }
  // A certificate or CSR is one DER SEQUENCE: anything else is refused before the ASN.1 library walks
  // megabytes of it (a 4 MiB line of "AAAA" is 3 MiB of zero bytes, a second of asn1js time).
  if ((kind === 'certificate' || kind === 'csr') && block.der[0] !== 0x30) fail(new Error('not a DER SEQUENCE'))
  try {
    switch (kind) {
      case 'certificate':
        new x509.X509Certificate(block.der)
        return
      case 'csr':
        new x509.Pkcs10CertificateRequest(block.der)
        return
      case 'private-key': {
        if (/ENCRYPTED/.test(block.headers['Proc-Type'] ?? '')) return
        const type = block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : block.label === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8'
        createPrivateKey({ key: Buffer.from(block.der), format: 'der', type })
        return
      }
      case 'encrypted-private-key':
        if (!isEncryptedPrivateKeyInfo(block.der)) fail(new Error('not an EncryptedPrivateKeyInfo'))
        return
      case 'public-key':
        createPublicKey({ key: Buffer.from(block.der), format: 'der', type: block.label === 'RSA PUBLIC KEY' ? 'pkcs1' : 'spki' })
        return
      case 'pkcs7':
        decodePkcs7(block.der)
        return
      case 'pkcs12':
        if (identifyDer(block.der) !== 'pkcs12') fail(new Error('not a PFX'))
        return
    }
  } catch (error) {
    if (error instanceof AppError && error.details?.['reason'] === 'damaged_content') throw error
    fail(error)
  }
}

function isEncryptedPrivateKeyInfo(der: Uint8Array): boolean {
  const seq = topSequence(der)
  const [alg, data] = seq ?? []
  return (
    seq?.length === 2 &&
    alg instanceof asn1js.Sequence &&
    alg.valueBlock.value[0] instanceof asn1js.ObjectIdentifier &&
    data instanceof asn1js.OctetString
  )
}

/** Children of the outer SEQUENCE when `der` is exactly one DER SEQUENCE; otherwise null. */
function topSequence(der: Uint8Array): asn1js.AsnType[] | null {
  const parsed = decodeBer(der)
  if (!parsed.ok || parsed.offset !== der.length || !(parsed.result instanceof asn1js.Sequence)) return null
  return parsed.result.valueBlock.value
}

const isSeq = (el: asn1js.AsnType | undefined): boolean => el instanceof asn1js.Sequence
const isInt = (el: asn1js.AsnType | undefined, value?: number): boolean =>
  el instanceof asn1js.Integer && (value === undefined || el.valueBlock.valueDec === value)

/** Names a DER object by shape and then by a real parse; null when it is none of the known kinds. */
function identifyDer(der: Uint8Array): DetectedItem['kind'] | null {
  const top = topSequence(der)
  if (!top) return null
  const [a, b, c] = top
  // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL }
  if (isInt(a, 3) && isSeq(b) && (b as asn1js.Sequence).valueBlock.value[0] instanceof asn1js.ObjectIdentifier) return 'pkcs12'
  // ContentInfo ::= SEQUENCE { contentType OID, [0] EXPLICIT content }
  if (a instanceof asn1js.ObjectIdentifier && a.valueBlock.toString() === OID_SIGNED_DATA) return 'pkcs7'
  // Certificate / CertificationRequest ::= SEQUENCE { tbs SEQUENCE, signatureAlgorithm, signature BIT STRING }
  if (isSeq(a) && isSeq(b) && c instanceof asn1js.BitString && top.length === 3) {
    const tbs = (a as asn1js.Sequence).valueBlock.value
    const csrShape = isInt(tbs[0], 0) && isSeq(tbs[1]) && isSeq(tbs[2]) && tbs[3]?.idBlock.tagClass === 3
    try {
      if (csrShape) {
        new x509.Pkcs10CertificateRequest(der)
        return 'csr'
      }
      new x509.X509Certificate(der)
      return 'certificate'
    } catch {
      return null
    }
  }
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
  if (top.length === 2 && isSeq(a) && b instanceof asn1js.BitString)
    return tryKey(() => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }), 'public-key')
  if (isEncryptedPrivateKeyInfo(der)) return 'encrypted-private-key'
  // PrivateKeyInfo (PKCS#8), RSAPrivateKey (PKCS#1), ECPrivateKey (SEC 1) all start with a small INTEGER.
  if (isInt(a)) {
    for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
      if (tryKey(() => createPrivateKey({ key: Buffer.from(der), format: 'der', type }), 'private-key')) return 'private-key'
    }
  }
  return null
}

function tryKey<K extends DetectedItem['kind']>(parse: () => unknown, kind: K): K | null {
  try {
    parse()
    return kind
  } catch {
    return null
  }
}

function summarise(items: DetectedItem[], format: 'pem' | 'der', certificates: Uint8Array[]): Detected {
  const certCount = items.filter((i) => i.kind === 'certificate').length
  const others = items.filter((i) => i.kind !== 'certificate')
  let kind: PkiKind
  if (others.length === 0) kind = certCount > 1 ? 'chain' : 'certificate'
  else kind = others[0]!.kind
  let description = kind === 'chain' ? `a certificate chain of ${certCount} certificates` : describeKind(kind)
  if (kind === 'pkcs7')
    description = `a PKCS#7 certificate bundle with ${certificates.length} certificate${certificates.length === 1 ? '' : 's'}`
  if (others.length > 0 && certCount > 0) description += ` and ${certCount} certificate${certCount === 1 ? '' : 's'}`
  description += format === 'pem' ? ' (PEM)' : ' (DER)'
  return { kind, format, description, items, certificates }
}

/**
 * Literal `\n` sequences (PEM copied out of a JSON API response, as in Cloudflare docs: Create Client Certificate) become real  *
 * line breaks.
 */
function unescapeJsonPem(text: string): string {
  return /-----BEGIN [A-Z0-9 ]+-----(\\r)?\\n/.test(text) ? text.replace(/\\r\\n|\\n/g, '\n') : text
}

function detectText(raw: string): Detected {
  const text = unescapeJsonPem(raw.replace(/^\uFEFF/, ''))
  if (text.trim() === '') throw bad('The input is empty.', 'empty')
  if (!looksLikePem(text)) {
    const compact = text.replace(/\s+/g, '')
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length >= 16) {
      throw bad('This looks like base64 without its PEM "-----BEGIN …-----" and "-----END …-----" lines.', 'base64_without_pem')
    }
    throw bad('This is not PEM (there is no "-----BEGIN" line) and not a binary certificate file.', 'not_pem')
  }
  const blocks = parsePem(text)
  const items: DetectedItem[] = []
  const certificates: Uint8Array[] = []
  for (const block of blocks) {
    const kind = pemLabelKind(block.label)
    if (!kind) {
      const what = NOT_SUPPORTED[block.label]
      throw bad(
        what
          ? `This is ${what} (line ${block.line}), which Certdesk does not handle.`
          : `The PEM block "${block.label}" (line ${block.line}) is not something Certdesk reads.`,
        'unsupported_label',
        { label: block.label, line: block.line },
      )
    }
    const effective = kind === 'private-key' && /ENCRYPTED/.test(block.headers['Proc-Type'] ?? '') ? 'encrypted-private-key' : kind
    checkItem(kind, block)
    items.push({ kind: effective, der: block.der, label: block.label, line: block.line })
    if (kind === 'certificate') certificates.push(block.der)
    if (kind === 'pkcs7') certificates.push(...decodePkcs7(block.der))
  }
  return summarise(items, 'pem', certificates)
}

function detectDer(der: Uint8Array): Detected {
  const kind = identifyDer(der)
  if (!kind) {
    const parsed = decodeBer(der)
    const reason = !parsed.ok
      ? `ASN.1 decoding failed: ${parsed.error}`
      : parsed.offset !== der.length
        ? `${der.length - parsed.offset} bytes of trailing data after the ASN.1 structure`
        : 'the ASN.1 structure matches none of them'
    throw bad(`This is neither PEM text nor a DER certificate, CSR, key, PKCS#7 or PKCS#12 (${reason}).`, 'unrecognised_binary')
  }
  const certificates = kind === 'certificate' ? [der] : kind === 'pkcs7' ? decodePkcs7(der) : []
  return summarise([{ kind, der }], 'der', certificates)
}

/** Binary input that is really text (a .pem read as bytes) is treated as text. */
function bytesAreText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return ''
  if (bytes[0] === 0x30) return null
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    // Printable ASCII plus tab and line breaks: a text file, to be judged as text.
    // eslint-disable-next-line no-control-regex
    return looksLikePem(text) || /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) ? text : null
  } catch {
    return null
  }
}

/** Says what `input` is; a specific bad_input AppError for anything else. */
export function detect(input: string | Uint8Array): Detected {
  if (typeof input === 'string') return detectText(input)
  const text = bytesAreText(input)
  return text === null ? detectDer(input) : detectText(text)
}

/** The renderer-safe summary of a detection (no key bytes). */
export function summary(detected: Detected): DetectedSummary {
  return {
    kind: detected.kind,
    format: detected.format,
    description: detected.description,
    certificateCount: detected.certificates.length,
    itemKinds: detected.items.map((i) => i.kind),
  }
}

/**
 * Detects and insists on one of `kinds`: "This is a private key; a certificate was expected."
 * A chain satisfies `certificate` only when `kinds` includes `chain`.
 */
export function expectKind(input: string | Uint8Array | Detected, kinds: PkiKind | PkiKind[], what?: string): Detected {
  const wanted = Array.isArray(kinds) ? kinds : [kinds]
  const detected = input instanceof Uint8Array || typeof input === 'string' ? detect(input) : input
  if (wanted.includes(detected.kind)) return detected
  const expected = what ?? wanted.map(describeKind).join(' or ')
  throw new AppError('bad_input', `This is ${describeKind(detected.kind)}; ${expected} was expected.`, {
    hint: 'Choose the right file: the name often says less than its content.',
    details: { reason: 'wrong_kind', found: detected.kind, expected: wanted },
  })
}

export { expectKind as expect }
