/** A real CSR, as the app would build it: a fresh P-256 key and a PKCS#10 request made with WebCrypto + @peculiar/x509. */
import type { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const

export interface TestCsr {
  pem: string
  keys: webcrypto.CryptoKeyPair
  /** The key's SubjectPublicKeyInfo, to compare with what a certificate issued for this CSR carries. */
  publicKeyDer: ArrayBuffer
}

/** `extra` is appended to the subject after `CN=<cn>` (e.g. `, O=Certdesk Tests`). */
export async function makeCsr(cn: string, extra = ''): Promise<TestCsr> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}${extra}`,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  })
  return { pem: csr.toString('pem'), keys, publicKeyDer: await crypto.subtle.exportKey('spki', keys.publicKey) }
}
