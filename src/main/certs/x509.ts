/**
 * "Decode this certificate or CSR, or say in the user's words why not": the one place that turns a
 * decoder's exception into a `bad_input` AppError. It loads @peculiar/x509, so the trust store and
 * `certdesk trust list` never import it at the top level (the ESLint layer rule says so).
 */
import * as x509 from '@peculiar/x509'
import { AppError } from '../../shared/errors'

/** What to tell the person when the bytes do not decode: the message, the hint and, if any, a reason code. */
export interface DecodeWords {
  message: string
  hint: string
  reason?: string
}

type Encoded = string | Uint8Array | ArrayBuffer

function decoded<T>(decode: () => T, words: DecodeWords): T {
  try {
    return decode()
  } catch (error) {
    throw new AppError('bad_input', words.message, {
      hint: words.hint,
      ...(words.reason ? { details: { reason: words.reason } } : {}),
      cause: error,
    })
  }
}

/** An X.509 certificate from DER or PEM text; a damaged one is a `bad_input` AppError with `words`. */
export function decodeCertificate(input: Encoded, words: DecodeWords): x509.X509Certificate {
  return decoded(() => new x509.X509Certificate(input), words)
}

/** A PKCS#10 request from DER or PEM text; a damaged one is a `bad_input` AppError with `words`. */
export function decodeCsr(input: Encoded, words: DecodeWords): x509.Pkcs10CertificateRequest {
  return decoded(() => new x509.Pkcs10CertificateRequest(input), words)
}
