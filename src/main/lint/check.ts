/**
 * What the app's certificate checker does with pasted text or a dropped file: identify it, decode
 * every certificate for the detail view, and lint it — one certificate alone, several as a chain.
 * Anything that is not a certificate is refused with what it actually is.
 */
import { AppError } from '../../shared/errors'
import { checkCheckedCount } from '../../shared/pem'
import type { CertificateCheck, CertificateInput, LintProfileId } from '../../shared/lint-model'
import { systemTrustAnchors } from './anchors'
import { lintChain, type LintChainOptions } from './chain'
import { lintCertificate } from './engine'
import { readCertificateData } from './input'
import { detect } from '../pki/detect'
import { inspectCertificate } from './inspect'
import { parsePeer, type Purpose } from './path'

export function decodeInput(input: CertificateInput): Uint8Array {
  if (input.text !== undefined) return new TextEncoder().encode(input.text)
  const bytes = Buffer.from(input.base64 ?? '', 'base64')
  if (bytes.length === 0) throw new AppError('bad_input', `${input.name ?? 'The file'} is empty.`)
  return new Uint8Array(bytes)
}

export interface CheckOptions {
  profile?: LintProfileId
  expiringDays?: number
  now?: Date
  /** Path validation: an ISO 8601 time to validate at, a purpose, the peer's host name or IP, the machine's roots as anchors. */
  at?: string
  purpose?: Purpose
  peer?: string
  systemRoots?: boolean
}

/** The path-validation options of a check, or null when none is asked for. */
function pathOptions(options: CheckOptions): Pick<LintChainOptions, 'purpose' | 'peer' | 'anchors' | 'anchorsName'> | null {
  if (!options.purpose && options.peer === undefined && !options.systemRoots) return null
  const peer = options.peer === undefined ? undefined : parsePeer(options.peer.trim(), 'hostname')
  if (peer === null)
    throw new AppError('bad_input', `"${options.peer}" is not a host name or an IP address.`, {
      hint: 'Type the name the client connects to, e.g. app.example.com or 192.0.2.10.',
    })
  return {
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(peer ? { peer } : {}),
    ...(options.systemRoots ? { anchors: systemTrustAnchors(), anchorsName: "this machine's trusted roots" } : {}),
  }
}

export function checkCertificate(input: CertificateInput, options: CheckOptions = {}): CertificateCheck {
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
  const now = options.at ? new Date(options.at) : options.now
  const lintOptions = {
    profile: options.profile ?? 'auto',
    ...(options.expiringDays ? { expiringDays: options.expiringDays } : {}),
    ...(now ? { now } : {}),
  }
  const path = pathOptions(options)
  const details = file.certificates.map((der) => inspectCertificate(der))
  if (file.certificates.length === 1 && !path) {
    return {
      kind: file.kind,
      description: file.description,
      certificates: details,
      reports: [lintCertificate(file.certificates[0]!, lintOptions)],
      chain: null,
    }
  }
  const chain = lintChain(file.certificates, { ...lintOptions, ...path })
  return { kind: file.kind, description: file.description, certificates: details, reports: chain.certificates.map((c) => c.report), chain }
}
