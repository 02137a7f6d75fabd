/**
 * Key generation: every type yields WebCrypto keys that sign and verify, OpenSSL accepts the PKCS#8,
 * RSA runs in the worker pool and can be cancelled while queued or while running.
 */
import { afterAll, describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import {
  exportPkcs8Der,
  generateKey,
  importPrivateKey,
  keyPool,
  keyTypeOf,
  KEY_TYPES,
  shutdownKeyPool,
  signingAlgorithm,
  type KeyType,
} from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

async function expectCancelled(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'cancelled')
}

describe('generateKey', () => {
  const expectations: Record<KeyType, RegExp> = {
    'rsa-2048': /Private-Key: \(2048 bit/,
    'rsa-3072': /Private-Key: \(3072 bit/,
    'rsa-4096': /Private-Key: \(4096 bit/,
    'ec-p256': /NIST CURVE: P-256/,
    'ec-p384': /NIST CURVE: P-384/,
  }

  test.each(KEY_TYPES)('%s: signs, verifies, and openssl checks the PKCS#8', async (type) => {
    const pair = await generateKey(type)
    expect(pair.type).toBe(type)
    expect(keyTypeOf(pair.privateKey)).toBe(type)
    expect(pair.privateKey.extractable).toBe(true)
    const data = new TextEncoder().encode('certdesk')
    const alg = signingAlgorithm(type)
    const sig = await crypto.subtle.sign(alg, pair.privateKey, data)
    expect(await crypto.subtle.verify(alg, pair.publicKey, sig, data)).toBe(true)
    const der = await exportPkcs8Der(pair.privateKey)
    const file = dir.file(`${type}.der`, der)
    const text = await openssl(['pkey', '-inform', 'DER', '-in', file, '-noout', '-text', '-check'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(expectations[type])
    // Round trip through the importer derives the same public key.
    const again = await importPrivateKey(der)
    expect(again.type).toBe(type)
    expect(Buffer.from(await crypto.subtle.exportKey('spki', again.publicKey))).toEqual(
      Buffer.from(await crypto.subtle.exportKey('spki', pair.publicKey)),
    )
  })

  test('two RSA keys differ and run in parallel workers', async () => {
    const [a, b] = await Promise.all([generateKey('rsa-2048'), generateKey('rsa-2048')])
    expect(Buffer.from(await exportPkcs8Der(a.privateKey))).not.toEqual(Buffer.from(await exportPkcs8Der(b.privateKey)))
  })

  test('an unknown type is a specific bad_input', async () => {
    await expect(generateKey('rsa-1024' as KeyType)).rejects.toMatchObject({ code: 'bad_input', message: 'Unknown key type "rsa-1024".' })
  })

  test('an already aborted signal cancels before any work', async () => {
    await expectCancelled(generateKey('rsa-2048', { signal: AbortSignal.abort() }))
    await expectCancelled(generateKey('ec-p256', { signal: AbortSignal.abort() }))
  })

  test('queued jobs are dropped and a running one is discarded on abort; the pool keeps working', async () => {
    const pool = keyPool()
    const controller = new AbortController()
    // More jobs than workers so some are queued.
    const jobs = Array.from({ length: pool.size + 3 }, () => generateKey('rsa-4096', { signal: controller.signal }))
    expect(pool.pending).toBe(3)
    const started = Date.now()
    controller.abort()
    for (const job of jobs) await expectCancelled(job)
    // Cancellation is immediate: no RSA-4096 generation was waited for.
    expect(Date.now() - started).toBeLessThan(500)
    expect(pool.pending).toBe(0)
    // The workers finish their discarded jobs and then serve new ones.
    const next = await generateKey('rsa-2048')
    expect(next.type).toBe('rsa-2048')
  }, 120_000)

  test('a worker failure is an internal AppError and the pool recovers', async () => {
    await expect(keyPool().run({ bits: 7 })).rejects.toMatchObject({ code: 'internal' })
    expect((await generateKey('rsa-2048')).type).toBe('rsa-2048')
  })

  test('importPrivateKey refuses garbage with a specific bad_input', async () => {
    await expect(importPrivateKey(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('not valid PKCS#8'),
    })
  })
})
