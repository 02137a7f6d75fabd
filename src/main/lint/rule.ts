/**
 * The rule shape. A rule has a stable id (never renamed: people filter and suppress by it), the
 * severity it reports at, the standard it enforces, and a fix naming the exact openssl or Certdesk
 * option. `check` returns a specific message when the certificate fails, or null.
 */
import type { Severity } from '../../shared/lint-model'
import type { LintContext } from './context'
import type { PublicKeyInfo } from './der'
import { hasKeyUsage } from './extensions'

export interface Rule {
  id: string
  severity: Severity
  /**
   * The severity on a trust anchor, when lower: an anchor's fields are informational in path
   * validation (RFC 5280 6.1.1 (d)), so a defect there is worth saying but does not fail the path.
   */
  anchorSeverity?: Severity
  source: string
  title: string
  fix: string
  check(ctx: LintContext): string | null
}

export const RFC = (section: string): string => `RFC 5280 ${section}`
/** A check on the certificate's public key alone (key strength, algorithms a consumer accepts). */
export const keyCheck =
  (check: (key: PublicKeyInfo) => string | null): Rule['check'] =>
  ({ cert }) =>
    check(cert.publicKey)

/** A check that finds `message` when keyUsage is present but lacks `bit` (absent keyUsage allows every use). */
export const keyUsageLacks =
  (bit: number, message: string): Rule['check'] =>
  ({ keyUsage }) =>
    keyUsage !== null && !hasKeyUsage(keyUsage, bit) ? message : null

export const OPENSSL_STRICT = 'OpenSSL X509_V_FLAG_X509_STRICT (Python 3.13 ssl.VERIFY_X509_STRICT)'
