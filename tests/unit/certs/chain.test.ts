/**
 * Chain order: any shuffle of a 4-certificate chain comes back in order and OpenSSL agrees with it; and
 * Check (lintChain) and Upload (prepareCaChain) order alike, so they accept and refuse the same bundles.
 */
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createIntermediateCa, createRootCa, signCsr } from '../../../src/main/pki/ca'
import { findIssuer, isSelfSigned, orderOneChain as orderChain } from '../../../src/main/certs/chain'
import { parseCertificate } from '../../../src/main/lint/der'
import { prepareCaChain } from '../../../src/main/cloudflare/account-mtls'
import { lintChain } from '../../../src/main/lint'
import { createCsr } from '../../../src/main/pki/csr'
import { joinPem, parsePem, toPem } from '../../../src/main/pki/encode'
import { generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { openssl, tempDir } from '../../support/tools'

const dir = tempDir()
afterAll(async () => {
  dir.remove()
  await shutdownKeyPool()
})

const der = (pem: string) => parsePem(pem)[0]!.der
const hex = (d: Uint8Array[]) => d.map((x) => Buffer.from(x).toString('hex'))
let chain: Uint8Array[]
let strangerRoot: Uint8Array
let twinRoot: Uint8Array

beforeAll(async () => {
  const root = await createRootCa({ cn: 'Order Root', keyType: 'ec-p256', days: 30 })
  const mid = await createIntermediateCa({
    cn: 'Order Mid',
    keyType: 'ec-p256',
    days: 30,
    issuer: root.certificatePem,
    issuerKey: root.privateKey,
  })
  const low = await createIntermediateCa({
    cn: 'Order Low',
    keyType: 'ec-p256',
    days: 30,
    pathLen: 0,
    issuer: mid.certificatePem,
    issuerKey: mid.privateKey,
  })
  const leaf = await signCsr({
    caCertPem: low.certificatePem,
    caKey: low.privateKey,
    csrPem: (await createCsr({ keys: await generateKey('ec-p256'), subject: { cn: 'order-leaf' } })).pem,
    profile: 'client',
    days: 5,
  })
  chain = [leaf.certificatePem, low.certificatePem, mid.certificatePem, root.certificatePem].map(der)
  strangerRoot = der((await createRootCa({ cn: 'Stranger Root', keyType: 'ec-p256', days: 5 })).certificatePem)
  // Same name as the real root, different key: only the key identifiers tell them apart.
  twinRoot = der((await createRootCa({ cn: 'Order Root', keyType: 'ec-p256', days: 5 })).certificatePem)
})

describe('orderChain', () => {
  test('every shuffle comes back leaf-first, and root-first on request', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (perm) => {
        const shuffled = perm.map((i) => chain[i]!)
        return (
          hex(orderChain(shuffled)).join() === hex(chain).join() &&
          hex(orderChain(shuffled, 'root-first')).join() === hex([...chain].reverse()).join()
        )
      }),
      { numRuns: 100 },
    )
  })

  test('openssl verifies the leaf with the ordered bundle as untrusted intermediates', async () => {
    const [leaf, ...rest] = orderChain([chain[2]!, chain[0]!, chain[3]!, chain[1]!])
    const ca = dir.file('root.pem', toPem(rest.at(-1)!, 'CERTIFICATE'))
    const untrusted = dir.file('inter.pem', joinPem(rest.slice(0, -1).map((d) => toPem(d, 'CERTIFICATE'))))
    const res = await openssl([
      'verify',
      '-x509_strict',
      '-CAfile',
      ca,
      '-untrusted',
      untrusted,
      dir.file('leaf.pem', toPem(leaf!, 'CERTIFICATE')),
    ])
    expect(res.code, res.stderr).toBe(0)
  })

  test('a chain without its root, and a lone certificate, are fine', () => {
    expect(hex(orderChain([chain[1]!, chain[0]!]))).toEqual(hex(chain.slice(0, 2)))
    expect(hex(orderChain([chain[3]!]))).toEqual(hex([chain[3]!]))
  })

  test('certificates of different chains are refused, naming them', () => {
    expect(() => orderChain([...chain, strangerRoot])).toThrow(
      expect.objectContaining({
        code: 'bad_input',
        details: { reason: 'not_one_chain' },
        message: expect.stringContaining('Stranger Root'),
      }),
    )
    expect(() => orderChain([chain[0]!, chain[2]!])).toThrow(expect.objectContaining({ details: { reason: 'not_one_chain' } }))
    expect(() => orderChain([...chain, twinRoot])).toThrow(expect.objectContaining({ details: { reason: 'not_one_chain' } }))
    expect(() => orderChain([])).toThrow(expect.objectContaining({ details: { reason: 'empty' } }))
    expect(() => orderChain([new Uint8Array([1, 2])])).toThrow(expect.objectContaining({ details: { reason: 'damaged_content' } }))
  })
})

describe('Check and Upload agree', () => {
  const pem = (ders: Uint8Array[]): string => joinPem(ders.map((d) => toPem(d, 'CERTIFICATE')))
  const uploadAccepts = (ders: Uint8Array[]): boolean => {
    try {
      prepareCaChain(pem(ders))
      return true
    } catch {
      return false
    }
  }
  const checkPasses = (ders: Uint8Array[]): boolean => lintChain(ders, { profile: 'cloudflare-upload' }).passed

  test('a CA bundle given leaf-last or leaf-first passes both, and is uploaded root first', () => {
    const [, low, mid, root] = chain as [Uint8Array, Uint8Array, Uint8Array, Uint8Array]
    for (const bundle of [
      [root, mid, low],
      [low, mid, root],
    ]) {
      expect(checkPasses(bundle)).toBe(true)
      expect(uploadAccepts(bundle)).toBe(true)
      expect(hex(prepareCaChain(pem(bundle)).certificates.map((c) => new Uint8Array(c.rawData)))).toEqual(hex([root, mid, low]))
    }
  })

  test('a root with the same name but another key, a stranger, a duplicate or a leaf: both refuse', () => {
    const [leaf, low, mid, root] = chain as [Uint8Array, Uint8Array, Uint8Array, Uint8Array]
    const bundles = {
      'twin root in place of the root': [mid, twinRoot],
      'twin root beside the root': [low, mid, root, twinRoot],
      'a stranger root': [mid, root, strangerRoot],
      'a duplicate intermediate': [mid, root, mid],
      'a leaf': [leaf, low, mid, root],
    }
    for (const [what, bundle] of Object.entries(bundles)) {
      expect({ what, check: checkPasses(bundle) }).toEqual({ what, check: false })
      expect({ what, upload: uploadAccepts(bundle) }).toEqual({ what, upload: false })
    }
    // Subject-string ordering put the twin above the intermediate; the key identifiers say it did not issue it.
    expect(() => prepareCaChain(pem([mid, twinRoot]))).toThrow(expect.objectContaining({ details: { reason: 'not_one_chain' } }))
  })
})

describe('findIssuer', () => {
  test('picks the CA whose key signed the certificate, not a same-name twin; roots are self-signed', () => {
    const [, , mid, root] = chain.map(parseCertificate) as [
      unknown,
      unknown,
      ReturnType<typeof parseCertificate>,
      ReturnType<typeof parseCertificate>,
    ]
    const twin = parseCertificate(twinRoot)
    expect(findIssuer(mid, [twin, root])).toBe(root)
    expect(findIssuer(mid, [twin])).toBeUndefined()
    expect(isSelfSigned(root)).toBe(true)
    expect(isSelfSigned(mid)).toBe(false)
  })
})
