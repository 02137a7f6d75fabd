/** Runs a profile's rules over one parsed certificate and builds the report. */
import { AppError } from '../../shared/errors'
import type { LintCounts, LintFinding, LintProfileId, LintReport } from '../../shared/lint-model'
import { buildContext, type LintContext } from './context'
import { DerError, derProblemInWords, parseCertificate, type ParsedCertificate } from './der'
import { LEAF_IS_CA, PROFILES, resolveAuto, type ConcreteProfileId } from './profiles'
import type { Rule } from './rule'

export const DEFAULT_EXPIRING_DAYS = 30

export interface LintCertificateOptions {
  profile?: LintProfileId
  /** DER of the issuing certificate, for checks that compare with it. */
  issuer?: Uint8Array | ParsedCertificate
  now?: Date
  /** Warn when the certificate expires within this many days (default 30). */
  expiringDays?: number
  /** For chains: whether this certificate is the last (the anchor's position). */
  lastInChain?: boolean
}

/**
 * Parses DER, turning any malformation into a specific bad_input AppError. `parse` may be
 * parseCertificateShared (lint/shared.ts), for chains whose certificates recur.
 */
export function parseOrThrow(der: Uint8Array, what = 'certificate', parse = parseCertificate): ParsedCertificate {
  try {
    return parse(der)
  } catch (error) {
    if (error instanceof DerError) {
      throw new AppError('bad_input', `The ${what} is damaged or not DER: ${derProblemInWords(error)}.`, {
        hint:
          'Check the file is a complete PEM or DER certificate (not a key, CSR or truncated copy); `openssl ' +
          'x509 -in FILE -noout -text` shows the same problem.',
        details: { reason: error.reason, offset: error.offset },
        cause: error,
      })
    }
    throw error
  }
}

export function emptyCounts(): LintCounts {
  return { error: 0, warning: 0, notice: 0 }
}

export function lintParsed(cert: ParsedCertificate, options: LintCertificateOptions = {}): LintReport {
  const requested = options.profile ?? 'auto'
  const issuer =
    options.issuer === undefined || 'der' in options.issuer ? options.issuer : parseOrThrow(options.issuer, 'issuer certificate')
  const base = {
    ...(issuer ? { issuer } : {}),
    now: (options.now ?? new Date()).getTime(),
    expiringDays: options.expiringDays ?? DEFAULT_EXPIRING_DAYS,
    ...(options.lastInChain === undefined ? {} : { lastInChain: options.lastInChain }),
  }
  let profileId: ConcreteProfileId
  let reason: string | undefined
  let ctx: LintContext
  /** Findings forced before the profile's own: a leaf profile asked of a CA says so first. */
  const leading: Rule[] = []
  const leafProfile = requested === 'server' || requested === 'client'
  if (requested === 'auto' || leafProfile) {
    ctx = buildContext(cert, { ...base, expectCa: false })
    if (leafProfile && !ctx.isCa) {
      profileId = requested
    } else {
      const resolved = resolveAuto(ctx)
      profileId = resolved.id
      reason = leafProfile
        ? `${resolved.reason}: --profile ${requested} is for the ${requested}'s own certificate, so this CA is checked as ${resolved.id}`
        : resolved.reason
      if (leafProfile) leading.push(LEAF_IS_CA[requested])
      const expectCa = PROFILES[profileId].expectCa
      if (expectCa) ctx = { ...ctx, expectCa, treatAsCa: true }
    }
  } else {
    profileId = requested
    ctx = buildContext(cert, { ...base, expectCa: PROFILES[profileId].expectCa })
  }
  const profile = PROFILES[profileId]
  const findings: LintFinding[] = []
  const counts = emptyCounts()
  const anchor = ctx.isLast && ctx.selfIssued
  for (const rule of leading.length ? [...leading, ...profile.rules] : profile.rules) {
    const message = rule.check(ctx)
    if (message === null) continue
    const severity = (anchor ? rule.anchorSeverity : undefined) ?? profile.severity ?? rule.severity
    counts[severity]++
    findings.push({ ruleId: rule.id, severity, title: rule.title, message, fix: rule.fix, source: rule.source })
  }
  return { profile: profileId, requestedProfile: requested, ...(reason ? { reason } : {}), findings, counts, passed: counts.error === 0 }
}

/** Lints one DER certificate. Throws AppError('bad_input') when it does not parse. */
export function lintCertificate(der: Uint8Array, options: LintCertificateOptions = {}): LintReport {
  return lintParsed(parseOrThrow(der), options)
}
