/**
 * What the app's certificate checker does with pasted text or a dropped file: identify it, decode
 * every certificate for the detail view, and lint it — one certificate alone, several as a chain.
 * Anything that is not a certificate is refused with what it actually is.
 */
import { AppError } from '../../shared/errors'
import { checkCheckedCount } from '../../shared/pem'
import type { CertificateCheck, CertificateInput, LintProfileId } from '../../shared/lint-model'
import { lintChain } from './chain'
import { lintCertificate } from './engine'
import { readCertificateData } from './input'
import { detect } from '../pki/detect'
import { inspectCertificate } from './inspect'

export function decodeInput(input: CertificateInput): Uint8Array {
  if (input.text !== undefined) return new TextEncoder().encode(input.text)
  const bytes = Buffer.from(input.base64 ?? '', 'base64')
  if (bytes.length === 0) throw new AppError('bad_input', `${input.name ?? 'The file'} is empty.`)
  return new Uint8Array(bytes)
}

export function checkCertificate(
  input: CertificateInput,
  options: { profile?: LintProfileId; expiringDays?: number; now?: Date } = {},
): CertificateCheck {
  const name = input.name ?? 'The input'
  const file = readCertificateData(decodeInput(input), name, detect)
  checkCheckedCount(file.certificates.length, name)
  if (file.certificates.length === 0) {
    throw new AppError('bad_input', `${name} is ${file.description}; a certificate was expected.`, {
      hint:
        file.kind === 'private-key'
          ? 'Private keys stay with you: choose the certificate (.pem/.crt/.cer) instead.'
          : file.kind === 'csr'
            ? 'A CSR becomes a certificate once a CA signs it: issue it from Client certificates, or sign it with a local CA.'
            : 'Choose a PEM or DER certificate, a chain, or a PKCS#7 (.p7b) bundle.',
    })
  }
  const lintOptions = {
    profile: options.profile ?? 'auto',
    ...(options.expiringDays ? { expiringDays: options.expiringDays } : {}),
    ...(options.now ? { now: options.now } : {}),
  }
  const details = file.certificates.map((der) => inspectCertificate(der))
  if (file.certificates.length === 1) {
    return {
      kind: file.kind,
      description: file.description,
      certificates: details,
      reports: [lintCertificate(file.certificates[0]!, lintOptions)],
      chain: null,
    }
  }
  const chain = lintChain(file.certificates, lintOptions)
  return { kind: file.kind, description: file.description, certificates: details, reports: chain.certificates.map((c) => c.report), chain }
}
