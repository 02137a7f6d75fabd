/**
 * PKCS#12 (.p12/.pfx) export and import. pkijs supplies every ASN.1 structure and the password MAC;
 * the bag encryption is done here with node:crypto so both schemes share one path:
 *  - modern (default): PBES2 = PBKDF2-HMAC-SHA256 + AES-256-CBC for the key and the certificates,
 *    MAC HMAC-SHA256 — what OpenSSL 3 writes by default;
 *  - `legacy`: pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 PKCS#12 KDF) and a SHA-1 MAC, for older
 *    Android, iOS and macOS importers that do not know PBES2. pkijs has no PKCS#12-PBE cipher and
 *    does not export its KDF, hence the small KDF below.
 * Import reads both, plus unencrypted bags; RC2-40 (pre-3.0 OpenSSL's default for certificates) is
 * refused with a specific message because OpenSSL 3 no longer ships RC2 in its default provider.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  hash,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { AppError } from '../../shared/errors'
import { asArrayBuffer } from './ber'
import { assertKeyMatchesSpki } from './encode'

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbeSha1Rc2_40: '1.2.840.113549.1.12.1.6',
  pbeSha1Rc2_128: '1.2.840.113549.1.12.1.5',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const

/** PBKDF2 iterations for modern files; 3DES/MAC iterations as OpenSSL uses (PKCS12_DEFAULT_ITER). */
const PBKDF2_ITERATIONS = 100_000
const LEGACY_ITERATIONS = 2048
const MAC_ITERATIONS = 2048

function bad(message: string, hint: string, reason: string, cause?: unknown): AppError {
  return new AppError('bad_input', message, { hint, details: { reason }, ...(cause === undefined ? {} : { cause }) })
}

function wrongPassword(cause?: unknown): AppError {
  return bad(
    'Wrong password: the PKCS#12 file could not be opened with it.',
    'Check the password (it is case-sensitive); it was set when the file was exported.',
    'wrong_password',
    cause,
  )
}

/** Block sizes (u = digest, v = input block) of the hashes RFC 7292's KDF and MAC run on. */
const KDF_HASHES: Record<string, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
}

/**
 * RFC 7292 Appendix B.2 key derivation, used by PKCS#12 PBE ciphers (SHA-1) and the password MAC (the MAC's hash).
 * `id` 1 = key, 2 = IV, 3 = MAC key.
 */
export function pkcs12Kdf(
  password: string,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha1',
): Buffer {
  const { u, v } = KDF_HASHES[hash]!
  // BMPString: UTF-16BE with a two-byte zero terminator.
  const bmp = Buffer.from(`${password}\0`, 'utf16le').swap16()
  const repeatTo = (src: Uint8Array, n: number): Buffer => {
    const out = Buffer.alloc(n)
    for (let i = 0; i < n; i++) out[i] = src[i % src.length]!
    return out
  }
  const S = salt.length ? repeatTo(salt, v * Math.ceil(salt.length / v)) : Buffer.alloc(0)
  const P = repeatTo(bmp, v * Math.ceil(bmp.length / v))
  const I = Buffer.concat([S, P])
  const D = Buffer.alloc(v, id)
  const result: Buffer[] = []
  for (let produced = 0; produced < length; produced += u) {
    let A: Buffer = createHash(hash).update(D).update(I).digest()
    for (let i = 1; i < iterations; i++) A = nodeHash(hash, A)
    result.push(A)
    const B = repeatTo(A, v)
    // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry
        I[j + k] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  return Buffer.concat(result).subarray(0, length)
}

/** One-shot digest (node:crypto's hash(), faster than createHash in the KDF's loop). */
function nodeHash(algorithm: string, data: Uint8Array): Buffer {
  return hash(algorithm, data, 'buffer')
}

interface Encrypted {
  algorithm: pkijs.AlgorithmIdentifier
  data: Uint8Array
}

/** How a file's bags are encrypted: the cipher and the iteration count of its key derivation and MAC. */
interface Scheme {
  password: string
  legacy: boolean
  /** PBKDF2 iterations (modern) and MAC iterations. */
  iterations: number
  macIterations: number
}

/**
 * Encrypts bags for one file. Modern: one salt and one PBKDF2 derivation for the whole file, a fresh random IV per
 * bag (so a backup of many keys pays for a high iteration count once). Legacy: the PKCS#12 KDF derives key and IV
 * from a fresh salt per bag, as OpenSSL does.
 */
function sealer(scheme: Scheme): (plain: Uint8Array) => Encrypted {
  const { password, legacy, iterations } = scheme
  if (legacy) {
    return (plain) => {
      const salt = randomBytes(8)
      const key = pkcs12Kdf(password, salt, 1, LEGACY_ITERATIONS, 24)
      const iv = pkcs12Kdf(password, salt, 2, LEGACY_ITERATIONS, 8)
      const cipher = createCipheriv('des-ede3-cbc', key, iv)
      const data = Buffer.concat([cipher.update(plain), cipher.final()])
      const params = new asn1js.Sequence({
        value: [new asn1js.OctetString({ valueHex: asArrayBuffer(salt) }), new asn1js.Integer({ value: LEGACY_ITERATIONS })],
      })
      return { algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbeSha1TripleDes, algorithmParams: params }), data }
    }
  }
  const salt = randomBytes(16)
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256')
  return (plain) => {
    const iv = randomBytes(16)
    const cipher = createCipheriv('aes-256-cbc', key, iv)
    const data = Buffer.concat([cipher.update(plain), cipher.final()])
    const kdf = new pkijs.PBKDF2Params({
      salt: new asn1js.OctetString({ valueHex: asArrayBuffer(salt) }),
      iterationCount: iterations,
      prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID.hmacSha256, algorithmParams: new asn1js.Null() }),
    })
    const pbes2 = new pkijs.PBES2Params({
      keyDerivationFunc: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbkdf2, algorithmParams: kdf.toSchema() }),
      encryptionScheme: new pkijs.AlgorithmIdentifier({
        algorithmId: OID.aes256Cbc,
        algorithmParams: new asn1js.OctetString({ valueHex: asArrayBuffer(iv) }),
      }),
    })
    return { algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbes2, algorithmParams: pbes2.toSchema() }), data }
  }
}

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
}
const PRF_HASHES: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
}
const MAC_HASHES: Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}

/** Derived keys of one file, by KDF parameters: a file whose bags share a salt is derived once. */
type KeyCache = Map<string, Buffer>

/** Decrypts one bag or SafeContents; throws wrong_password or unsupported_cipher. */
function decrypt(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: string, cache: KeyCache = new Map()): Uint8Array {
  const unsupported = (name: string) =>
    bad(
      `This PKCS#12 file is encrypted with ${name}, which Certdesk cannot open.`,
      'Re-export it with AES-256 (OpenSSL 3: `openssl pkcs12 -export` defaults) or 3DES (`-legacy` / ' +
        '`-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES`).',
      'unsupported_cipher',
    )
  try {
    switch (algorithm.algorithmId) {
      case OID.pbeSha1TripleDes: {
        const params = algorithm.algorithmParams as asn1js.Sequence
        const [saltEl, iterEl] = params.valueBlock.value as [asn1js.OctetString, asn1js.Integer]
        const salt = new Uint8Array(saltEl.valueBlock.valueHexView)
        const iterations = iterEl.valueBlock.valueDec
        const decipher = createDecipheriv(
          'des-ede3-cbc',
          pkcs12Kdf(password, salt, 1, iterations, 24),
          pkcs12Kdf(password, salt, 2, iterations, 8),
        )
        return Buffer.concat([decipher.update(data), decipher.final()])
      }
      case OID.pbes2: {
        const pbes2 = new pkijs.PBES2Params({ schema: algorithm.algorithmParams })
        if (pbes2.keyDerivationFunc.algorithmId !== OID.pbkdf2) throw unsupported(`key derivation ${pbes2.keyDerivationFunc.algorithmId}`)
        const kdf = new pkijs.PBKDF2Params({ schema: pbes2.keyDerivationFunc.algorithmParams })
        const cipher = PBES2_CIPHERS[pbes2.encryptionScheme.algorithmId]
        if (!cipher) throw unsupported(`cipher ${pbes2.encryptionScheme.algorithmId}`)
        const hashName = kdf.prf ? PRF_HASHES[kdf.prf.algorithmId] : 'sha1'
        if (!hashName) throw unsupported(`PBKDF2 with PRF ${kdf.prf?.algorithmId}`)
        const salt = Buffer.from((kdf.salt as asn1js.OctetString).valueBlock.valueHexView)
        const iv = new Uint8Array((pbes2.encryptionScheme.algorithmParams as asn1js.OctetString).valueBlock.valueHexView)
        const cacheKey = `${hashName}:${kdf.iterationCount}:${cipher.keyLength}:${salt.toString('hex')}`
        let key = cache.get(cacheKey)
        if (!key) {
          key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, kdf.iterationCount, cipher.keyLength, hashName)
          cache.set(cacheKey, key)
        }
        const decipher = createDecipheriv(cipher.name, key, iv)
        return Buffer.concat([decipher.update(data), decipher.final()])
      }
      case OID.pbeSha1Rc2_40:
      case OID.pbeSha1Rc2_128:
        throw unsupported('RC2 (the pre-2016 OpenSSL default)')
      default:
        throw unsupported(`algorithm ${algorithm.algorithmId}`)
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    // A wrong key shows up as bad CBC padding.
    throw wrongPassword(error)
  }
}

export interface Pkcs12ExportOptions {
  password: string
  /** PBE-SHA1-3DES + SHA-1 MAC for older importers; default AES-256-CBC/PBKDF2-SHA256 + SHA-256 MAC. */
  legacy?: boolean
  /** Issuing CA certificates (DER), leaf's issuer first. */
  chain?: Uint8Array[]
  /** Shown by importers (Keychain Access, certmgr) as the identity's name. */
  friendlyName?: string
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] })
}

function parseCertificate(der: Uint8Array, what: string): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(asArrayBuffer(der))
  } catch (error) {
    throw bad(`${what} could not be decoded.`, 'Give PEM or DER X.509 certificates.', 'damaged_content', error)
  }
}

function readKeyObject(privateKeyPkcs8: Uint8Array, what: string): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(privateKeyPkcs8), format: 'der', type: 'pkcs8' })
  } catch (error) {
    throw bad(
      `${what} could not be decoded (it must be PKCS#8 DER).`,
      'Give the key that belongs to the certificate.',
      'damaged_content',
      error,
    )
  }
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0)
    throw bad(
      'The PKCS#12 password is empty.',
      'Choose a password: importers refuse or mishandle PKCS#12 files without one.',
      'empty_password',
    )
}

/** One private key of a multi-key file, with its certificates (its own first, then its chain). */
export interface Pkcs12KeyEntry {
  pkcs8: Uint8Array
  certificates: Uint8Array[]
  /** Pairs the key with its own certificate (the first of `certificates`). */
  localKeyId: Uint8Array
  friendlyName?: string | undefined
}

/** An application secret carried in the encrypted part of the file (RFC 7292 secretBag). */
export interface Pkcs12Secret {
  /** The secret's type (secretTypeId). */
  typeId: string
  value: Uint8Array
  friendlyName?: string | undefined
}

export interface Pkcs12BundleOptions {
  password: string
  /** PBKDF2 iterations for the bags and the MAC's key derivation. */
  iterations: number
  secrets?: Pkcs12Secret[]
}

/** A plain ASN.1 value where pkijs wants an object with toSchema (SecretBag's secretValue). */
function schemaOf(value: asn1js.AsnType): pkijs.SchemaCompatible {
  return { toSchema: () => value, fromSchema: () => {}, toJSON: () => ({}) } as unknown as pkijs.SchemaCompatible
}

function bagAttributes(localKeyId: Uint8Array, friendlyName: string | undefined): pkijs.Attribute[] {
  return [
    attribute(OID.localKeyId, new asn1js.OctetString({ valueHex: asArrayBuffer(localKeyId) })),
    ...(friendlyName ? [attribute(OID.friendlyName, new asn1js.BmpString({ value: friendlyName }))] : []),
  ]
}

/**
 * The one PKCS#12 writer: certificates and secrets in an encrypted SafeContents, shrouded key bags in a second one,
 * and a password MAC over both (RFC 7292 PKCS#12 KDF with the MAC's hash: what every importer checks).
 */
function writePfx(keys: Pkcs12KeyEntry[], secrets: Pkcs12Secret[], scheme: Scheme): Uint8Array {
  const seal = sealer(scheme)
  const certBags = keys.flatMap((key) => {
    const attributes = bagAttributes(key.localKeyId, key.friendlyName)
    // certValue is the certificate's DER in an OCTET STRING: the caller's exact bytes, not a re-encoding.
    return key.certificates.map(
      (der, i) =>
        new pkijs.SafeBag({
          bagId: OID.certBag,
          bagValue: new pkijs.CertBag({ certId: OID.x509Certificate, certValue: new asn1js.OctetString({ valueHex: asArrayBuffer(der) }) }),
          ...(i === 0 ? { bagAttributes: attributes } : {}),
        }),
    )
  })
  const secretBags = secrets.map(
    (secret) =>
      new pkijs.SafeBag({
        bagId: OID.secretBag,
        bagValue: new pkijs.SecretBag({
          secretTypeId: secret.typeId,
          secretValue: schemaOf(new asn1js.OctetString({ valueHex: asArrayBuffer(secret.value) })),
        }),
        ...(secret.friendlyName
          ? { bagAttributes: [attribute(OID.friendlyName, new asn1js.BmpString({ value: secret.friendlyName }))] }
          : {}),
      }),
  )
  const certContents = new Uint8Array(new pkijs.SafeContents({ safeBags: [...certBags, ...secretBags] }).toSchema().toBER())
  const encryptedCerts = seal(certContents)
  const certInfo = new pkijs.ContentInfo({
    contentType: OID.encryptedData,
    content: new pkijs.EncryptedData({
      version: 0,
      encryptedContentInfo: new pkijs.EncryptedContentInfo({
        contentType: OID.data,
        contentEncryptionAlgorithm: encryptedCerts.algorithm,
        encryptedContent: new asn1js.OctetString({ valueHex: asArrayBuffer(encryptedCerts.data) }),
      }),
    }).toSchema(),
  })
  const keyBags = keys.map((key) => {
    const shrouded = seal(key.pkcs8)
    return new pkijs.SafeBag({
      bagId: OID.shroudedKeyBag,
      bagValue: new pkijs.PKCS8ShroudedKeyBag({
        encryptionAlgorithm: shrouded.algorithm,
        encryptedData: new asn1js.OctetString({ valueHex: asArrayBuffer(shrouded.data) }),
      }),
      bagAttributes: bagAttributes(key.localKeyId, key.friendlyName),
    })
  })
  const keyInfo = new pkijs.ContentInfo({
    contentType: OID.data,
    content: new asn1js.OctetString({ valueHex: new pkijs.SafeContents({ safeBags: keyBags }).toSchema().toBER() }),
  })
  const authSafe = new Uint8Array(new pkijs.AuthenticatedSafe({ safeContents: [certInfo, keyInfo] }).toSchema().toBER(false))
  const macHash = scheme.legacy ? 'sha1' : 'sha256'
  const macSalt = randomBytes(16)
  const macData = new pkijs.MacData({
    mac: new pkijs.DigestInfo({
      digestAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: scheme.legacy ? '1.3.14.3.2.26' : '2.16.840.1.101.3.4.2.1',
        algorithmParams: new asn1js.Null(),
      }),
      digest: new asn1js.OctetString({ valueHex: asArrayBuffer(mac(authSafe, scheme.password, macSalt, scheme.macIterations, macHash)) }),
    }),
    macSalt: new asn1js.OctetString({ valueHex: asArrayBuffer(macSalt) }),
    iterations: scheme.macIterations,
  })
  const pfx = new pkijs.PFX({
    version: 3,
    authSafe: new pkijs.ContentInfo({ contentType: OID.data, content: new asn1js.OctetString({ valueHex: asArrayBuffer(authSafe) }) }),
    macData,
  })
  return new Uint8Array(pfx.toSchema().toBER())
}

/** RFC 7292 password MAC: HMAC over the authenticated safe, its key from the PKCS#12 KDF (id 3). */
function mac(content: Uint8Array, password: string, salt: Uint8Array, iterations: number, hashName: keyof typeof KDF_HASHES): Buffer {
  const key = pkcs12Kdf(password, salt, 3, iterations, KDF_HASHES[hashName]!.u, hashName as 'sha1')
  return createHmac(hashName, key).update(content).digest()
}

/** A .p12 holding `privateKeyPkcs8` (DER), its `certificate` (DER) and an optional chain. */
export async function exportPkcs12(
  privateKeyPkcs8: Uint8Array,
  certificate: Uint8Array,
  options: Pkcs12ExportOptions,
): Promise<Uint8Array> {
  const { password, legacy = false } = options
  checkPassword(password)
  const leaf = parseCertificate(certificate, 'The certificate')
  const keyObject = readKeyObject(privateKeyPkcs8, 'The private key')
  assertKeyMatchesSpki(keyObject, new Uint8Array(leaf.subjectPublicKeyInfo.toSchema().toBER()))
  ;(options.chain ?? []).forEach((der, i) => parseCertificate(der, `Chain certificate ${i + 1}`))
  // localKeyID pairs the key with its certificate in Windows and macOS importers.
  const localKeyId = createHash('sha1').update(certificate).digest()
  const name = options.friendlyName?.trim() || leafCommonName(leaf)
  const entry = { pkcs8: privateKeyPkcs8, certificates: [certificate, ...(options.chain ?? [])], localKeyId, friendlyName: name }
  return writePfx([entry], [], { password, legacy, iterations: PBKDF2_ITERATIONS, macIterations: MAC_ITERATIONS })
}

/**
 * A .p12 of many keys (each with its certificates, paired by localKeyId) and application secrets, AES-256-CBC with
 * PBKDF2-SHA256 and an HMAC-SHA256 MAC, both at `iterations`. Each key is checked against its certificate first.
 */
export function exportPkcs12Bundle(keys: Pkcs12KeyEntry[], options: Pkcs12BundleOptions): Uint8Array {
  checkPassword(options.password)
  for (const key of keys) {
    const name = key.friendlyName ? `The key "${key.friendlyName}"` : 'A private key'
    const keyObject = readKeyObject(key.pkcs8, name)
    const own = key.certificates[0]
    if (own) assertKeyMatchesSpki(keyObject, new Uint8Array(parseCertificate(own, 'A certificate').subjectPublicKeyInfo.toSchema().toBER()))
  }
  const { password, iterations } = options
  return writePfx(keys, options.secrets ?? [], { password, legacy: false, iterations, macIterations: iterations })
}

function leafCommonName(cert: pkijs.Certificate): string | undefined {
  const cn = cert.subject.typesAndValues.find((tv) => tv.type === '2.5.4.3')
  return cn ? String(cn.value.valueBlock.value) : undefined
}

export interface Pkcs12Contents {
  /** PKCS#8 DER of the (first) private key, if the file has one. */
  privateKey?: Uint8Array
  /** DER certificates; the one matching the key first. */
  certificates: Uint8Array[]
  friendlyName?: string
}

/** Every bag of a file, as stored, with the attributes that pair them. */
export interface Pkcs12Bags {
  keys: { pkcs8: Uint8Array; localKeyId?: Uint8Array; friendlyName?: string }[]
  certificates: { der: Uint8Array; localKeyId?: Uint8Array; friendlyName?: string }[]
  secrets: Pkcs12Secret[]
  /** The MAC's iteration count (0 without a MAC). */
  macIterations: number
}

function bagInfo(bag: pkijs.SafeBag): { localKeyId?: Uint8Array; friendlyName?: string } {
  const name = bag.bagAttributes?.find((a) => a.type === OID.friendlyName)
  const id = bag.bagAttributes?.find((a) => a.type === OID.localKeyId)
  return {
    ...(name ? { friendlyName: String((name.values[0] as asn1js.BmpString).valueBlock.value) } : {}),
    ...(id ? { localKeyId: new Uint8Array((id.values[0] as asn1js.OctetString).valueBlock.valueHexView) } : {}),
  }
}

/** Opens a .p12/.pfx with its password: checks the MAC and decrypts every bag. */
export async function readPkcs12Bags(der: Uint8Array, password: string): Promise<Pkcs12Bags> {
  let pfx: pkijs.PFX
  try {
    pfx = pkijs.PFX.fromBER(asArrayBuffer(der))
  } catch (error) {
    throw bad(
      'This is not a PKCS#12 file: its structure could not be decoded.',
      'Choose a .p12 or .pfx file exported by a browser, OS keychain or `openssl pkcs12 -export`.',
      'not_pkcs12',
      error,
    )
  }
  try {
    await pfx.parseInternalValues({ password: asArrayBuffer(new TextEncoder().encode(password)), checkIntegrity: false })
  } catch (error) {
    throw bad(
      'The PKCS#12 file is damaged or uses public-key integrity, which Certdesk does not open.',
      'Export it again with a password.',
      'unsupported_pkcs12',
      error,
    )
  }
  const macData = pfx.macData
  if (macData && pfx.authSafe.contentType === OID.data) {
    const hashName = MAC_HASHES[macData.mac.digestAlgorithm.algorithmId]
    if (!hashName) throw bad('The PKCS#12 file uses a MAC Certdesk does not know.', 'Export it again.', 'unsupported_pkcs12')
    const content = new Uint8Array((pfx.authSafe.content as asn1js.OctetString).getValue())
    const salt = new Uint8Array(macData.macSalt.valueBlock.valueHexView)
    const expected = mac(content, password, salt, macData.iterations || 1, hashName)
    const stored = Buffer.from(macData.mac.digest.valueBlock.valueHexView)
    if (stored.length !== expected.length || !timingSafeEqual(stored, expected)) throw wrongPassword()
  }
  const authSafe = pfx.parsedValue?.authenticatedSafe
  if (!authSafe) throw bad('The PKCS#12 file has no content.', 'Export it again.', 'unsupported_pkcs12')

  const bags: Pkcs12Bags = { keys: [], certificates: [], secrets: [], macIterations: macData?.iterations ?? 0 }
  const cache: KeyCache = new Map()
  for (const info of authSafe.safeContents) {
    let contents: pkijs.SafeContents
    try {
      if (info.contentType === OID.data) {
        contents = pkijs.SafeContents.fromBER((info.content as asn1js.OctetString).getValue())
      } else if (info.contentType === OID.encryptedData) {
        const eci = new pkijs.EncryptedData({ schema: info.content }).encryptedContentInfo
        contents = pkijs.SafeContents.fromBER(
          asArrayBuffer(decrypt(eci.contentEncryptionAlgorithm, new Uint8Array(eci.getEncryptedContent()), password, cache)),
        )
      } else {
        throw bad(
          'The PKCS#12 file uses certificate-based (enveloped) encryption, which Certdesk does not open.',
          'Export it again with password protection.',
          'unsupported_pkcs12',
        )
      }
    } catch (error) {
      if (error instanceof AppError) throw error
      throw bad('The PKCS#12 file is damaged: a SafeContents could not be decoded.', 'Export it again.', 'damaged_content', error)
    }
    for (const bag of contents.safeBags) {
      const meta = bagInfo(bag)
      if (bag.bagId === OID.keyBag)
        bags.keys.push({ pkcs8: new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()), ...meta })
      else if (bag.bagId === OID.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag
        const pkcs8 = decrypt(shrouded.encryptionAlgorithm, new Uint8Array(shrouded.encryptedData.valueBlock.valueHexView), password, cache)
        bags.keys.push({ pkcs8, ...meta })
      } else if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag
        if (certBag.certId === OID.x509Certificate && certBag.certValue instanceof asn1js.OctetString)
          bags.certificates.push({ der: new Uint8Array(certBag.certValue.valueBlock.valueHexView), ...meta })
      } else if (bag.bagId === OID.secretBag) {
        const secret = bag.bagValue as pkijs.SecretBag
        const value =
          secret.secretValue instanceof asn1js.OctetString ? new Uint8Array(secret.secretValue.valueBlock.valueHexView) : undefined
        if (value)
          bags.secrets.push({ typeId: secret.secretTypeId, value, ...(meta.friendlyName ? { friendlyName: meta.friendlyName } : {}) })
      }
    }
  }
  return bags
}

/** Opens a .p12/.pfx with its password: checks the MAC, decrypts the bags, pairs key and certificate. */
export async function importPkcs12(der: Uint8Array, password: string): Promise<Pkcs12Contents> {
  const bags = await readPkcs12Bags(der, password)
  const certs = bags.certificates.map((c) => c.der)
  const friendlyName = [...bags.certificates, ...bags.keys].find((b) => b.friendlyName !== undefined)?.friendlyName
  const privateKey = bags.keys[0]?.pkcs8
  if (privateKey) {
    // Put the key's own certificate first, whatever order the file stored them in.
    let spki: KeyObject
    try {
      spki = createPrivateKey({ key: Buffer.from(privateKey), format: 'der', type: 'pkcs8' })
    } catch (error) {
      // Only a wrong password that happened to leave valid CBC padding gets here.
      throw wrongPassword(error)
    }
    const index = certs.findIndex((c) => {
      try {
        assertKeyMatchesSpki(spki, new Uint8Array(pkijs.Certificate.fromBER(asArrayBuffer(c)).subjectPublicKeyInfo.toSchema().toBER()))
        return true
      } catch {
        return false
      }
    })
    if (index > 0) certs.unshift(...certs.splice(index, 1))
  }
  return { ...(privateKey ? { privateKey } : {}), certificates: certs, ...(friendlyName ? { friendlyName } : {}) }
}
