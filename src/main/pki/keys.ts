/**
 * Key pairs as WebCrypto CryptoKeys (what @peculiar/x509 signs with). RSA is generated in a
 * worker_threads pool sized to the cores — seconds of CPU for RSA-4096 must not block the main
 * process — and imported here from PKCS#8/SPKI DER. EC keys take microseconds, so WebCrypto makes
 * them in-process.
 */
import { existsSync } from 'node:fs'
import { createPrivateKey, createPublicKey, type KeyObject, type webcrypto } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../shared/errors'
import { KEY_TYPES, type KeyType } from '../../shared/pki-model'
import { cancelledError, WorkerPool } from './worker-pool'

export { KEY_TYPES, type KeyType }

type CryptoKey = webcrypto.CryptoKey

export interface KeyPair {
  privateKey: CryptoKey
  publicKey: CryptoKey
  type: KeyType
}

type RsaType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096'
const RSA_BITS: Record<RsaType, number> = { 'rsa-2048': 2048, 'rsa-3072': 3072, 'rsa-4096': 4096 }
const EC_CURVES = { 'ec-p256': 'P-256', 'ec-p384': 'P-384' } as const

export function isKeyType(value: unknown): value is KeyType {
  return typeof value === 'string' && (KEY_TYPES as readonly string[]).includes(value)
}

function isRsa(type: KeyType): type is RsaType {
  return type in RSA_BITS
}

/** The WebCrypto algorithm a key of this type is imported/generated with. */
export function keyAlgorithm(type: KeyType): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  return isRsa(type) ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: EC_CURVES[type] }
}

/** How a key of this type signs: RSA PKCS#1 v1.5 + SHA-256, ECDSA with the hash matching its curve. */
export function signingAlgorithm(type: KeyType): webcrypto.Algorithm | webcrypto.EcdsaParams {
  if (isRsa(type)) return { name: 'RSASSA-PKCS1-v1_5' }
  return { name: 'ECDSA', hash: type === 'ec-p384' ? 'SHA-384' : 'SHA-256' }
}

/** The KeyType of a CryptoKey generated or imported here. */
export function keyTypeOf(key: CryptoKey): KeyType {
  const alg = key.algorithm as Partial<webcrypto.RsaHashedKeyAlgorithm & webcrypto.EcKeyAlgorithm>
  if (alg.name === 'RSASSA-PKCS1-v1_5' && alg.modulusLength) {
    const type = `rsa-${alg.modulusLength}`
    if (isKeyType(type)) return type
  }
  if (alg.name === 'ECDSA') {
    if (alg.namedCurve === 'P-256') return 'ec-p256'
    if (alg.namedCurve === 'P-384') return 'ec-p384'
  }
  throw unsupportedKey(`${alg.name ?? 'unknown'} ${alg.modulusLength ?? alg.namedCurve ?? ''}`.trim())
}

function unsupportedKey(what: string): AppError {
  return new AppError('bad_input', `The key is ${what}, which Certdesk does not issue with.`, {
    hint: `Use one of ${KEY_TYPES.join(', ')} (RSA 2048/3072/4096 or ECDSA P-256/P-384).`,
  })
}

interface KeygenResult {
  pkcs8: ArrayBuffer
  spki: ArrayBuffer
}

let pool: WorkerPool<{ bits: number }, KeygenResult> | undefined

/** The worker script: next to the bundle (out/main/, or out/main/ from a chunk), else the .ts source under vitest. */
export function keygenWorkerUrl(base: string = import.meta.url): URL {
  // Candidates held in an array so the bundler does not try to treat them as assets.
  const candidates = ['./keygen-worker.js', '../keygen-worker.js', './keygen-worker.ts']
  for (const candidate of candidates) {
    const url = new URL(candidate, base)
    if (existsSync(fileURLToPath(url))) return url
  }
  throw new AppError('internal', 'The key generation worker (keygen-worker.js) is missing from this build.', {
    hint: 'Rebuild with `npm run build`; electron.vite.config.ts must list keygen-worker as a main entry.',
  })
}

/** The shared RSA pool, started on first use with one worker per core. */
export function keyPool(): WorkerPool<{ bits: number }, KeygenResult> {
  pool ??= new WorkerPool(keygenWorkerUrl(), availableParallelism(), 'Key generation')
  return pool
}

/** Stop the pool's workers (app quit, end of a CLI run or test file). A later call starts a new pool. */
export async function shutdownKeyPool(): Promise<void> {
  const current = pool
  pool = undefined
  await current?.close()
}

export interface GenerateKeyOptions {
  signal?: AbortSignal
}

/** A new extractable key pair (extractable so it can go to the vault or a PEM file). */
export async function generateKey(type: KeyType, options: GenerateKeyOptions = {}): Promise<KeyPair> {
  if (!isKeyType(type))
    throw new AppError('bad_input', `Unknown key type "${String(type)}".`, { hint: `Choose one of ${KEY_TYPES.join(', ')}.` })
  const { signal } = options
  if (signal?.aborted) throw cancelledError('Key generation')
  if (!isRsa(type)) {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: EC_CURVES[type] }, true, ['sign', 'verify'])
    if (signal?.aborted) throw cancelledError('Key generation')
    return { privateKey: pair.privateKey, publicKey: pair.publicKey, type }
  }
  const { pkcs8, spki } = await keyPool().run({ bits: RSA_BITS[type] }, signal)
  const algorithm = keyAlgorithm(type)
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']),
    crypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  ])
  if (signal?.aborted) throw cancelledError('Key generation')
  return { privateKey, publicKey, type }
}

/** The KeyType of a Node KeyObject, or a specific bad_input error. */
export function keyTypeOfKeyObject(key: KeyObject): KeyType {
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    const type = `rsa-${details.modulusLength}`
    if (isKeyType(type)) return type
    throw unsupportedKey(`RSA-${details.modulusLength ?? '?'}`)
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1') return 'ec-p256'
    if (details.namedCurve === 'secp384r1') return 'ec-p384'
    throw unsupportedKey(`ECDSA on curve ${details.namedCurve ?? '?'}`)
  }
  throw unsupportedKey(key.asymmetricKeyType ?? 'an unknown key type')
}

/** Import a PKCS#8 DER private key (and derive its public key) as an extractable pair. */
export async function importPrivateKey(pkcs8: Uint8Array): Promise<KeyPair> {
  let keyObject: KeyObject
  try {
    keyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
  } catch (error) {
    throw new AppError('bad_input', 'The private key could not be decoded: it is not valid PKCS#8 DER.', {
      hint: 'Check the key file is complete; `openssl pkey -in KEY -noout` shows the same problem.',
      cause: error,
    })
  }
  return importKeyObject(keyObject)
}

/** Import a Node private KeyObject (from PEM, PKCS#1, SEC1, decrypted PKCS#8…) as a CryptoKey pair. */
export async function importKeyObject(keyObject: KeyObject): Promise<KeyPair> {
  const type = keyTypeOfKeyObject(keyObject)
  const algorithm = keyAlgorithm(type)
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' })
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' })
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']),
    crypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  ])
  return { privateKey, publicKey, type }
}

/** PKCS#8 DER of an extractable private key. */
export async function exportPkcs8Der(privateKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey))
}

/** SPKI DER of a public key. */
export async function exportSpkiDer(publicKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('spki', publicKey))
}
