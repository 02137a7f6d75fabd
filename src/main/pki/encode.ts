/**
 * PEM and DER, and private keys in PKCS#8 (plain and password-encrypted).
 *
 * The PEM parser is strict where it matters to a person holding a damaged file: a block without its
 * END line, a base64 line that is not base64, mismatched labels — each is a specific bad_input
 * naming the label or the line, never a silent empty result.
 *
 * Encrypted PKCS#8 is Node's (OpenSSL's) PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, which
 * `openssl asn1parse` shows and every current tool reads.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { toPem } from '../certs/pem'

export interface PemBlock {
  label: string
  der: Uint8Array
  /** RFC 1421 headers (`Proc-Type`, `DEK-Info`) of legacy OpenSSL-encrypted keys. */
  headers: Record<string, string>
  /** 1-based line of the BEGIN line. */
  line: number
}

const hintPem = 'Copy the whole block, from the -----BEGIN line to the -----END line, without changing it.'

function bad(message: string, hint: string, details?: Record<string, unknown>): AppError {
  return new AppError('bad_input', message, { hint, ...(details ? { details } : {}) })
}

const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/

// Whether text holds a BEGIN line, joining PEM texts and DER to PEM: the certificate toolkit's, re-exported.
export { joinPem, looksLikePem } from '../certs/pem'
export { toPem }

/**
 * Every PEM block in `text`, in order. Text outside blocks is ignored (as OpenSSL does: people paste
 * `openssl x509 -text` output around it). Throws a specific bad_input for a damaged block.
 */
export function parsePem(text: string): PemBlock[] {
  const lines = text.split(/\r?\n|\r/)
  const blocks: PemBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const begin = /^\s*-----BEGIN ([^-]*)-----\s*$/.exec(lines[i]!)
    if (!begin) {
      if (/-----BEGIN /.test(lines[i]!))
        throw bad(`Line ${i + 1} has a malformed PEM BEGIN line: ${JSON.stringify(lines[i]!.trim().slice(0, 80))}.`, hintPem, {
          line: i + 1,
        })
      continue
    }
    const label = begin[1]!
    const start = i
    const headers: Record<string, string> = {}
    const body: string[] = []
    let ended = false
    let inHeaders = true
    for (i = i + 1; i < lines.length; i++) {
      const line = lines[i]!.trim()
      const end = /^-----END ([^-]*)-----$/.exec(line)
      if (end) {
        if (end[1] !== label)
          throw bad(`The PEM block "${label}" (line ${start + 1}) ends with "END ${end[1]}" on line ${i + 1}.`, hintPem, { line: i + 1 })
        ended = true
        break
      }
      if (line.startsWith('-----BEGIN ')) break
      if (inHeaders) {
        const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
        if (header) {
          headers[header[1]!] = header[2]!
          continue
        }
        if (line === '' && Object.keys(headers).length > 0) {
          inHeaders = false
          continue
        }
        inHeaders = false
      }
      if (line === '') continue
      if (!BASE64_LINE.test(line)) {
        throw bad(`The PEM block "${label}" has invalid base64 at line ${i + 1}.`, hintPem, { line: i + 1, label })
      }
      body.push(line)
    }
    if (!ended)
      throw bad(`PEM block truncated: no END line for ${label}.`, `${hintPem} The "-----END ${label}-----" line is missing.`, {
        label,
        line: start + 1,
      })
    const joined = body.join('')
    if (joined.length === 0) throw bad(`The PEM block "${label}" (line ${start + 1}) is empty.`, hintPem, { label })
    if (joined.length % 4 !== 0 || /=[^=]/.test(joined))
      throw bad(
        `The PEM block "${label}" (line ${start + 1}) has damaged base64: its length or padding is wrong, so part of it is missing.`,
        hintPem,
        { label },
      )
    blocks.push({ label, der: new Uint8Array(Buffer.from(joined, 'base64')), headers, line: start + 1 })
  }
  return blocks
}

/** Describes a PEM label or kind for messages ("a private key", "a certificate"). */
export function describeLabel(label: string): string {
  const names: Record<string, string> = {
    CERTIFICATE: 'a certificate',
    'TRUSTED CERTIFICATE': 'a certificate',
    'CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
    'NEW CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
    'PRIVATE KEY': 'a private key',
    'RSA PRIVATE KEY': 'a private key',
    'EC PRIVATE KEY': 'a private key',
    'ENCRYPTED PRIVATE KEY': 'an encrypted private key',
    'PUBLIC KEY': 'a public key',
    'RSA PUBLIC KEY': 'a public key',
    PKCS7: 'a PKCS#7 bundle',
    PKCS12: 'a PKCS#12 bundle',
    'X509 CRL': 'a certificate revocation list',
  }
  return names[label] ?? `a PEM "${label}" block`
}

/** The first block with one of `labels`; otherwise a message naming what the text is instead. */
export function decodePem(text: string, labels: string[], what: string): PemBlock {
  if (text.trim() === '') throw bad(`The input is empty; ${what} was expected.`, 'Paste or choose a PEM file.')
  const blocks = parsePem(text)
  if (blocks.length === 0) throw bad(`The input is not PEM: no "-----BEGIN" line found; ${what} was expected.`, hintPem)
  const found = blocks.find((b) => labels.includes(b.label))
  if (found) return found
  throw bad(`This is ${describeLabel(blocks[0]!.label)}; ${what} was expected.`, 'Choose the right file.', { label: blocks[0]!.label })
}

// ---------------------------------------------------------------------------------------------
// Private keys

export const PRIVATE_KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']

/** PKCS#8 PEM of a private key, optionally encrypted (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC). */
export function privateKeyToPem(pkcs8: Uint8Array, password?: string): string {
  if (password === undefined) return toPem(pkcs8, 'PRIVATE KEY')
  if (password.length === 0) throw bad('The password is empty.', 'Choose a password, or export without encryption.')
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }) as string
}

/**
 * Reads a private key (PEM PKCS#8/PKCS#1/SEC1, encrypted or not, or DER PKCS#8) into a KeyObject.
 * Encrypted keys need `password`: a wrong one is "wrong password"; a password for a plain key is
 * "not an encrypted key" when `requireEncrypted` is set.
 */
export function readPrivateKey(input: string | Uint8Array, password?: string, options: { requireEncrypted?: boolean } = {}): KeyObject {
  const hint = 'Give the private key file (PEM "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY").'
  let encrypted: boolean
  let source: { key: string | Buffer; format: 'pem' | 'der'; type?: 'pkcs8' }
  if (typeof input === 'string') {
    const block = decodePem(input, PRIVATE_KEY_LABELS, 'a private key')
    encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /ENCRYPTED/.test(block.headers['Proc-Type'] ?? '')
    source = { key: input.slice(input.indexOf(`-----BEGIN ${block.label}-----`)), format: 'pem' }
  } else {
    encrypted = isEncryptedPkcs8Der(input)
    source = { key: Buffer.from(input), format: 'der', type: 'pkcs8' }
  }
  if (options.requireEncrypted && !encrypted)
    throw bad(
      'This is not an encrypted key: it is a plain private key, so there is nothing to decrypt.',
      'Use it as it is, or encrypt it with `certdesk key new --encrypt`.',
      { reason: 'not_encrypted' },
    )
  if (encrypted && password === undefined)
    throw bad('The private key is encrypted; a password is needed to open it.', 'Give the password that was used to export the key.', {
      reason: 'password_required',
    })
  try {
    return createPrivateKey(encrypted ? { ...source, passphrase: password! } : source)
  } catch (error) {
    if (encrypted)
      throw new AppError('bad_input', 'Wrong password: the encrypted private key could not be decrypted with it.', {
        hint: 'Check the password (it is case-sensitive) and try again.',
        details: { reason: 'wrong_password' },
        cause: error,
      })
    throw new AppError('bad_input', 'The private key is damaged: it could not be decoded.', {
      hint: `${hint} \`openssl pkey -in KEY -noout\` shows the same problem.`,
      cause: error,
    })
  }
}

/** PKCS#8 DER of a KeyObject. */
export function pkcs8Der(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }))
}

/** EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING } — vs PrivateKeyInfo's leading INTEGER. */
function isEncryptedPkcs8Der(der: Uint8Array): boolean {
  // SEQUENCE, length, then the first child: SEQUENCE (0x30) for encrypted, INTEGER (0x02) for plain.
  if (der[0] !== 0x30 || der.length < 4) return false
  const lenBytes = der[1]! & 0x80 ? (der[1]! & 0x7f) + 2 : 2
  return der[lenBytes] === 0x30
}

/** Throws when `key` is not the private half of the certificate's (or CSR's) public key. */
export function assertKeyMatchesSpki(key: KeyObject, spki: Uint8Array, what = 'the certificate'): void {
  const ours = createPublicKey(key).export({ type: 'spki', format: 'der' })
  if (!Buffer.from(spki).equals(ours)) {
    throw bad(
      `The private key does not match ${what}: it belongs to a different key pair.`,
      `Choose the key that was generated together with ${what} (the one its CSR was made from).`,
      { reason: 'key_mismatch' },
    )
  }
}

/** Lower-case hex SHA-256 of DER bytes (certificate fingerprints as Cloudflare reports them). */
export function sha256Hex(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}
