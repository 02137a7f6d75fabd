/** decodeCertificate / decodeCsr: the bytes decode, or a bad_input AppError in the caller's words with the decoder's error as cause. */
import { describe, expect, test } from 'vitest'
import { decodeCertificate, decodeCsr } from '../../../src/main/certs/x509'
import { createRootCa } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { generateKey } from '../../../src/main/pki/keys'
import { AppError } from '../../../src/shared/errors'

const words = { message: 'The thing could not be decoded.', hint: 'Copy it again.', reason: 'damaged_content' }

describe('decode', () => {
  test('a certificate and a CSR decode from PEM text', async () => {
    const root = await createRootCa({ cn: 'Decode Root', keyType: 'ec-p256', days: 2 })
    expect(decodeCertificate(root.certificatePem, words).subject).toBe('CN=Decode Root')
    const csr = await createCsr({ keys: await generateKey('ec-p256'), subject: { cn: 'decode-csr' } })
    expect(decodeCsr(csr.der, words).subject).toBe('CN=decode-csr')
  })

  test('damaged bytes are a bad_input AppError in the words given, keeping the cause', () => {
    for (const decode of [decodeCertificate, decodeCsr]) {
      let caught: unknown
      try {
        decode(new Uint8Array([0x30, 0x03, 0x02, 0x01]), words)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(AppError)
      expect(caught).toMatchObject({ code: 'bad_input', message: words.message, hint: words.hint, details: { reason: 'damaged_content' } })
      expect((caught as AppError).cause).toBeInstanceOf(Error)
    }
  })
})
