import type { CertificateInput } from '../../../shared/lint-model'

/** Text for the APIs that take PEM: pasted/dropped PEM as it is, DER bytes wrapped as a CERTIFICATE. */
export function inputToPem(input: CertificateInput): string {
  if (input.text !== undefined) return input.text
  const body = (input.base64 ?? '').replace(/\s+/g, '')
  const lines = body.match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}
