import type { CertificateInput } from '../../../shared/lint-model'
import { wrapPem } from '../../../shared/pem'

/** Text for the APIs that take PEM: pasted/dropped PEM as it is, DER bytes wrapped as a CERTIFICATE. */
export function inputToPem(input: CertificateInput): string {
  if (input.text !== undefined) return input.text
  return wrapPem(input.base64 ?? '', 'CERTIFICATE')
}
