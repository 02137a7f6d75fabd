import type { CertificateInput } from '../../../shared/lint-model'
import { wrapPem } from '../../../shared/pem'

/** A certificate or chain the user gave (PemInput): as the lint channel takes it, and as PEM text. */
export interface PemValue {
  input: CertificateInput
  pem: string
  /** Where it came from, for messages: a file name or "the pasted text". */
  source: string
}

/** Text for the APIs that take PEM: pasted/dropped PEM as it is, DER bytes wrapped as a CERTIFICATE. */
export function inputToPem(input: CertificateInput): string {
  if (input.text !== undefined) return input.text
  return wrapPem(input.base64 ?? '', 'CERTIFICATE')
}
