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
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto'
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

/** RFC 7292 Appendix B.2 key derivation (SHA-1), used by PKCS#12 PBE ciphers. `id` 1 = key, 2 = IV. */
export function pkcs12Kdf(password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const u = 20
  const v = 64
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
    let A = createHash('sha1').update(D).update(I).digest()
    for (let i = 1; i < iterations; i++) A = createHash('sha1').update(A).digest()
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

interface Encrypted {
  algorithm: pkijs.AlgorithmIdentifier
  data: Uint8Array
}

function encrypt(plain: Uint8Array, password: string, legacy: boolean): Encrypted {
  const salt = randomBytes(legacy ? 8 : 16)
  if (legacy) {
    const key = pkcs12Kdf(password, salt, 1, LEGACY_ITERATIONS, 24)
    const iv = pkcs12Kdf(password, salt, 2, LEGACY_ITERATIONS, 8)
    const cipher = createCipheriv('des-ede3-cbc', key, iv)
    const data = Buffer.concat([cipher.update(plain), cipher.final()])
    const params = new asn1js.Sequence({
      value: [new asn1js.OctetString({ valueHex: asArrayBuffer(salt) }), new asn1js.Integer({ value: LEGACY_ITERATIONS })],
    })
    return { algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbeSha1TripleDes, algorithmParams: params }), data }
  }
  const iv = randomBytes(16)
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, PBKDF2_ITERATIONS, 32, 'sha256')
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  const data = Buffer.concat([cipher.update(plain), cipher.final()])
  const kdf = new pkijs.PBKDF2Params({
    salt: new asn1js.OctetString({ valueHex: asArrayBuffer(salt) }),
    iterationCount: PBKDF2_ITERATIONS,
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

/** Decrypts one bag or SafeContents; throws wrong_password or unsupported_cipher. */
function decrypt(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: string): Uint8Array {
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
        const hash = kdf.prf ? PRF_HASHES[kdf.prf.algorithmId] : 'sha1'
        if (!hash) throw unsupported(`PBKDF2 with PRF ${kdf.prf?.algorithmId}`)
        const salt = new Uint8Array((kdf.salt as asn1js.OctetString).valueBlock.valueHexView)
        const iv = new Uint8Array((pbes2.encryptionScheme.algorithmParams as asn1js.OctetString).valueBlock.valueHexView)
        const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, kdf.iterationCount, cipher.keyLength, hash)
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

/** A .p12 holding `privateKeyPkcs8` (DER), its `certificate` (DER) and an optional chain. */
export async function exportPkcs12(
  privateKeyPkcs8: Uint8Array,
  certificate: Uint8Array,
  options: Pkcs12ExportOptions,
): Promise<Uint8Array> {
  const { password, legacy = false } = options
  if (typeof password !== 'string' || password.length === 0)
    throw bad(
      'The PKCS#12 password is empty.',
      'Choose a password: importers refuse or mishandle PKCS#12 files without one.',
      'empty_password',
    )
  const leaf = parseCertificate(certificate, 'The certificate')
  let keyObject: KeyObject
  try {
    keyObject = createPrivateKey({ key: Buffer.from(privateKeyPkcs8), format: 'der', type: 'pkcs8' })
  } catch (error) {
    throw bad(
      'The private key could not be decoded (it must be PKCS#8 DER).',
      'Give the key that belongs to the certificate.',
      'damaged_content',
      error,
    )
  }
  assertKeyMatchesSpki(keyObject, new Uint8Array(leaf.subjectPublicKeyInfo.toSchema().toBER()))
  ;(options.chain ?? []).forEach((der, i) => parseCertificate(der, `Chain certificate ${i + 1}`))
  // localKeyID pairs the key with its certificate in Windows and macOS importers.
  const keyId = new asn1js.OctetString({ valueHex: asArrayBuffer(createHash('sha1').update(certificate).digest()) })
  const name = options.friendlyName?.trim() || leafCommonName(leaf)
  const leafAttributes = [
    attribute(OID.localKeyId, keyId),
    ...(name ? [attribute(OID.friendlyName, new asn1js.BmpString({ value: name }))] : []),
  ]

  // certValue is the certificate's DER in an OCTET STRING: the caller's exact bytes, not a re-encoding.
  const certBags = [certificate, ...(options.chain ?? [])].map(
    (der, i) =>
      new pkijs.SafeBag({
        bagId: OID.certBag,
        bagValue: new pkijs.CertBag({ certId: OID.x509Certificate, certValue: new asn1js.OctetString({ valueHex: asArrayBuffer(der) }) }),
        ...(i === 0 ? { bagAttributes: leafAttributes } : {}),
      }),
  )
  const certContents = new Uint8Array(new pkijs.SafeContents({ safeBags: certBags }).toSchema().toBER())
  const encryptedCerts = encrypt(certContents, password, legacy)
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

  const shrouded = encrypt(privateKeyPkcs8, password, legacy)
  const keyBag = new pkijs.SafeBag({
    bagId: OID.shroudedKeyBag,
    bagValue: new pkijs.PKCS8ShroudedKeyBag({
      encryptionAlgorithm: shrouded.algorithm,
      encryptedData: new asn1js.OctetString({ valueHex: asArrayBuffer(shrouded.data) }),
    }),
    bagAttributes: leafAttributes,
  })
  const keyInfo = new pkijs.ContentInfo({
    contentType: OID.data,
    content: new asn1js.OctetString({ valueHex: new pkijs.SafeContents({ safeBags: [keyBag] }).toSchema().toBER() }),
  })

  const pfx = new pkijs.PFX({
    parsedValue: { integrityMode: 0, authenticatedSafe: new pkijs.AuthenticatedSafe({ safeContents: [certInfo, keyInfo] }) },
  })
  await pfx.makeInternalValues({
    password: asArrayBuffer(new TextEncoder().encode(password)),
    iterations: MAC_ITERATIONS,
    pbkdf2HashAlgorithm: 'SHA-256',
    hmacHashAlgorithm: legacy ? 'SHA-1' : 'SHA-256',
  })
  return new Uint8Array(pfx.toSchema().toBER())
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

/** Opens a .p12/.pfx with its password: checks the MAC, decrypts the bags, pairs key and certificate. */
export async function importPkcs12(der: Uint8Array, password: string): Promise<Pkcs12Contents> {
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
    await pfx.parseInternalValues({
      password: asArrayBuffer(new TextEncoder().encode(password)),
      checkIntegrity: pfx.macData !== undefined,
    })
  } catch (error) {
    if (error instanceof Error && /Integrity/.test(error.message)) throw wrongPassword(error)
    throw bad(
      'The PKCS#12 file is damaged or uses public-key integrity, which Certdesk does not open.',
      'Export it again with a password.',
      'unsupported_pkcs12',
      error,
    )
  }
  const authSafe = pfx.parsedValue?.authenticatedSafe
  if (!authSafe) throw bad('The PKCS#12 file has no content.', 'Export it again.', 'unsupported_pkcs12')

  const keys: Uint8Array[] = []
  const certs: Uint8Array[] = []
  let friendlyName: string | undefined
  for (const info of authSafe.safeContents) {
    let contents: pkijs.SafeContents
    try {
      if (info.contentType === OID.data) {
        contents = pkijs.SafeContents.fromBER((info.content as asn1js.OctetString).getValue())
      } else if (info.contentType === OID.encryptedData) {
        const eci = new pkijs.EncryptedData({ schema: info.content }).encryptedContentInfo
        contents = pkijs.SafeContents.fromBER(
          asArrayBuffer(decrypt(eci.contentEncryptionAlgorithm, new Uint8Array(eci.getEncryptedContent()), password)),
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
      const nameAttr = bag.bagAttributes?.find((a) => a.type === OID.friendlyName)
      if (nameAttr && friendlyName === undefined) friendlyName = String((nameAttr.values[0] as asn1js.BmpString).valueBlock.value)
      if (bag.bagId === OID.keyBag) keys.push(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()))
      else if (bag.bagId === OID.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag
        keys.push(decrypt(shrouded.encryptionAlgorithm, new Uint8Array(shrouded.encryptedData.valueBlock.valueHexView), password))
      } else if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag
        if (certBag.certId === OID.x509Certificate && certBag.certValue instanceof asn1js.OctetString)
          certs.push(new Uint8Array(certBag.certValue.valueBlock.valueHexView))
      }
    }
  }
  const privateKey = keys[0]
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
