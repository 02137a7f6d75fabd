/**
 * The verdict on a root for This machine, in one sentence a non-expert understands, computed from
 * the verify report: every store and runtime that was checked, not only the stores.
 */
import type { RuntimeCheck, VerifyLine, VerifyReport } from './truststore-model'

export type VerdictKind = 'trusted' | 'partly' | 'not-installed' | 'unknown'

export interface TrustVerdict {
  kind: VerdictKind
  sentence: string
  /** Short badge text for the same verdict. */
  badge: string
}

/** The root's name as people say it: the subject's CN, else the whole subject, else its fingerprint. */
export function rootName(report: Pick<VerifyReport, 'root' | 'fingerprint'>): string {
  const subject = report.root?.subject ?? ''
  const cn = /(?:^|[,/]\s*)CN\s*=\s*([^,/]+)/.exec(subject)?.[1]?.trim()
  if (cn) return cn
  if (subject.trim()) return subject.trim()
  return `the root ${report.fingerprint.algorithm.toUpperCase()} ${report.fingerprint.hex.slice(0, 16)}…`
}

/** What a store is called in the sentence: "the system", "Firefox", "Chrome", "Java", else its label. */
export function storeName(line: Pick<VerifyLine, 'storeId' | 'label'>): string {
  if (/^(linux-system|darwin-|windows-)/.test(line.storeId)) return 'the system'
  if (line.storeId === 'java-cacerts') return 'Java'
  if (line.storeId.startsWith('nss:')) {
    if (/^firefox/i.test(line.label)) return 'Firefox'
    if (/^(chrome|chromium)/i.test(line.label)) return 'Chrome'
  }
  return line.label
}

const RUNTIME_NAMES: Record<RuntimeCheck['runtime'], string> = { node: 'Node.js', python: 'Python', java: 'Java', git: 'git' }

/** "a", "a and b", "a, b and c"; names said once. */
function list(names: readonly string[]): string {
  const unique = [...new Set(names)]
  return unique.length <= 1 ? (unique[0] ?? '') : `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)!}`
}

/** Names for a group of lines; a name shared with the other group is spelled out by label so the sentence does not contradict itself. */
function names(lines: readonly VerifyLine[], others: readonly VerifyLine[]): string[] {
  const otherNames = new Set(others.map(storeName))
  return lines.map((l) => (otherNames.has(storeName(l)) ? l.label : storeName(l)))
}

export function trustVerdict(report: VerifyReport): TrustVerdict {
  const name = rootName(report)
  const trusted = report.lines.filter((l) => l.status === 'trusted')
  const present = report.lines.filter((l) => l.status === 'present-not-trusted')
  const missing = report.lines.filter((l) => l.status === 'missing')
  const unreadable = report.lines.filter((l) => l.status === 'error')
  // A drifted runtime fix counts as not trusting, as it does for `trust verify`'s exit code.
  const refusingRuntimes = report.runtimes.filter((r) => r.trusts === false || r.drift).map((r) => RUNTIME_NAMES[r.runtime])
  const probeFailed = report.probe !== undefined && !report.probe.verified
  const probeText = probeFailed ? `, and the handshake with ${report.probe!.host} failed` : ''

  if (trusted.length === 0 && present.length === 0) {
    if (report.lines.length === 0 || unreadable.length === report.lines.length) {
      return {
        kind: 'unknown',
        badge: 'could not check',
        sentence: `Certdesk could not read any trust store here, so it cannot tell whether this computer trusts ${name}.`,
      }
    }
    const partial = unreadable.length ? ` (${list(unreadable.map(storeName))} could not be read)` : ''
    return { kind: 'not-installed', badge: 'not installed', sentence: `${name} is not installed here${partial}${probeText}.` }
  }

  const notTrusting = [...present, ...missing, ...unreadable]
  if (notTrusting.length === 0 && refusingRuntimes.length === 0 && !probeFailed) {
    return { kind: 'trusted', badge: 'trusted everywhere', sentence: `This computer trusts ${name} in every place that matters.` }
  }
  const by = trusted.length === report.lines.length ? 'every trust store here' : list(names(trusted, notTrusting))
  const refusers = [...names([...present, ...missing], trusted), ...refusingRuntimes]
  const unread = unreadable.length ? `; ${list(unreadable.map(storeName))} could not be checked` : ''
  const sentence = trusted.length
    ? `${name} is trusted by ${by}${refusers.length ? ` but not by ${list(refusers)}` : ''}`
    : `${name} is installed here but not trusted by ${list(refusers)}`
  return { kind: 'partly', badge: 'not trusted everywhere', sentence: `${sentence}${unread}${probeText}.` }
}
