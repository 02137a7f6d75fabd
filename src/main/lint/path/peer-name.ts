/**
 * Does the leaf name the peer the user asked about? RFC 6125 6.4: a host name against dNSName SANs
 * (a wildcard only as the whole left-most label, matching exactly one label; never a partial label
 * like "a*.example.com"), the subject CN only when there is no dNSName SAN (6.4.4); an IP address
 * against iPAddress SANs only.
 */
import { isIP } from 'node:net'
import { ipBytes } from '../../pki/der-writer'
import { GN, text, type GeneralName } from './general-names'

export type PeerName = { hostname: string } | { ip: string }

const lower = (s: string): string => s.toLowerCase().replace(/\.$/, '')

/** RFC 6125 6.4.3 with no partial-label wildcards: "*" alone as the left-most label, two labels or more after it. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = lower(pattern)
  const h = lower(host)
  if (!p.includes('*')) return p === h
  if (!p.startsWith('*.') || p.indexOf('*', 1) >= 0) return false
  const suffix = p.slice(1) // ".example.com"
  if (suffix.split('.').length < 3) return false // "*.com" names a whole TLD
  const dot = h.indexOf('.')
  return dot > 0 && h.slice(dot) === suffix
}

/** Why the leaf does not name `peer`, or null when it does. */
export function peerNameProblem(peer: PeerName, sans: GeneralName[] | null, cns: string[]): string | null {
  if ('ip' in peer) {
    const want = ipBytes(peer.ip)
    const ips = (sans ?? []).filter((n) => n.type === GN.ip)
    if (ips.some((n) => Buffer.compare(Buffer.from(n.value), want) === 0)) return null
    return ips.length ? `none of its ${ips.length} iPAddress SAN(s) is ${peer.ip}` : `it has no iPAddress SAN, so it cannot name ${peer.ip}`
  }
  const dns = (sans ?? []).filter((n) => n.type === GN.dns).map(text)
  if (dns.length) {
    if (dns.some((d) => hostMatches(d, peer.hostname))) return null
    const shown = dns.slice(0, 5).join(', ') + (dns.length > 5 ? `, … (${dns.length} in all)` : '')
    return `its dNSName SANs (${shown}) do not match ${peer.hostname}`
  }
  if (cns.some((cn) => hostMatches(cn, peer.hostname))) return null
  return cns.length ? `it has no dNSName SAN and its CN (${cns.join(', ')}) is not ${peer.hostname}` : `it names no host at all`
}

/** The peer from --hostname / --ip text; null when it is neither a host name nor an address. */
export function parsePeer(value: string, kind: 'hostname' | 'ip'): PeerName | null {
  if (kind === 'ip') return isIP(value) ? { ip: value } : null
  if (isIP(value)) return { ip: value }
  return /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(value)
    ? { hostname: value }
    : null
}
