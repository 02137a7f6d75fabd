/**
 * Name constraints (RFC 5280 4.2.1.10, 6.1.3 (b)(c)): the five name forms verifiers process —
 * dNSName, rfc822Name, iPAddress, directoryName and URI — applied to the subject and subjectAltName of
 * every certificate below the constraining CA, with the matching rules OpenSSL 3 applies, so a verdict
 * here is the verdict Python's ssl module (OpenSSL) reaches on the same path.
 */
import { children, DerError, readTlv, TAG } from '../der'
import { canonicalRdns, GN, GN_LABEL, ipText, readGeneralName, text, type GeneralName } from './general-names'

export interface Subtree {
  base: GeneralName
  /** minimum or maximum present: RFC 5280 says they MUST NOT be; OpenSSL refuses to process such a subtree. */
  minMax: boolean
}

export interface NameConstraints {
  permitted: Subtree[]
  excluded: Subtree[]
  /** Structural or per-form problems (RFC 5280 4.2.1.10 MUSTs) in the user's words. */
  problems: string[]
}

/** Decodes NameConstraints; throws DerError only when it is not DER at all. */
export function decodeNameConstraints(value: Uint8Array): NameConstraints {
  const seq = readTlv(value, 0, value.length)
  if (seq.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', 'nameConstraints is not a SEQUENCE', 0)
  if (seq.end !== value.length) throw new DerError('trailing_data', 'nameConstraints has trailing bytes', seq.end)
  const out: NameConstraints = { permitted: [], excluded: [], problems: [] }
  for (const el of children(value, seq)) {
    if (el.tag !== 0xa0 && el.tag !== 0xa1) {
      out.problems.push(`unexpected element with tag 0x${el.tag.toString(16)}`)
      continue
    }
    const list = el.tag === 0xa0 ? out.permitted : out.excluded
    const subtrees = children(value, el)
    if (subtrees.length === 0) out.problems.push(`${el.tag === 0xa0 ? 'permittedSubtrees' : 'excludedSubtrees'} is empty`)
    for (const subtree of subtrees) {
      if (subtree.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', 'a GeneralSubtree is not a SEQUENCE', subtree.start)
      const parts = children(value, subtree)
      if (parts.length === 0) throw new DerError('unexpected_tag', 'a GeneralSubtree has no base name', subtree.start)
      const base = readGeneralName(value, parts[0]!.start, parts[0]!.end)
      const minMax = parts.slice(1).some((p) => p.tag === 0x80 || p.tag === 0x81)
      if (parts.slice(1).some((p) => p.tag === 0x80)) out.problems.push('a GeneralSubtree sets minimum (must be absent)')
      if (parts.slice(1).some((p) => p.tag === 0x81)) out.problems.push('a GeneralSubtree sets maximum (must be absent)')
      const problem = baseProblem(base)
      if (problem) out.problems.push(problem)
      list.push({ base, minMax })
    }
  }
  if (out.permitted.length === 0 && out.excluded.length === 0 && out.problems.length === 0)
    out.problems.push('neither permittedSubtrees nor excludedSubtrees is present (an empty NameConstraints)')
  return out
}

/** Whether the mask octets are a run of ones followed by zeros (a CIDR prefix). */
function contiguous(mask: Uint8Array): boolean {
  let zero = false
  for (const byte of mask) {
    for (let b = 7; b >= 0; b--) {
      const one = (byte >> b) & 1
      if (one && zero) return false
      if (!one) zero = true
    }
  }
  return true
}

/** What is wrong with one constraint base under RFC 5280 4.2.1.10, or null. */
function baseProblem(base: GeneralName): string | null {
  if (base.type === GN.ip) {
    const n = base.value.length
    if (n !== 8 && n !== 32) return `an iPAddress constraint has ${n} octets; it must be 8 (IPv4 address and mask) or 32 (IPv6)`
    const half = n / 2
    const mask = base.value.subarray(half)
    if (!contiguous(mask))
      return `the iPAddress constraint ${ipText(base.value.subarray(0, half))} has a non-contiguous mask ${ipText(mask)}`
    return null
  }
  if (base.type === GN.dns) {
    const v = text(base)
    if (v.includes('*'))
      return `the dNSName constraint "${v}" holds a wildcard; constraints name a domain (e.g. example.com or .example.com)`
    if (v !== '' && !/^\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(v)) return `the dNSName constraint "${v}" is not a domain name`
  }
  if ((base.type === GN.uri || base.type === GN.rfc822) && /[\s*]/.test(text(base)))
    return `the ${GN_LABEL[base.type]} constraint "${text(base)}" is not a host or domain`
  return null
}

const lower = (s: string): string => s.toLowerCase()

/** A Latin-1 byte in lower case: what String.prototype.toLowerCase does to the character it decodes to. */
const fold = (b: number): number => ((b >= 0x41 && b <= 0x5a) || (b >= 0xc0 && b <= 0xde && b !== 0xd7) ? b + 0x20 : b)

/** Whether `name` ends with `suffix`, case-folded as Latin-1 text. */
function endsWithFolded(name: Uint8Array, suffix: Uint8Array): boolean {
  const d = name.length - suffix.length
  if (d < 0) return false
  for (let i = 0; i < suffix.length; i++) if (fold(name[d + i]!) !== fold(suffix[i]!)) return false
  return true
}

/**
 * dNSName: equal, or below the base ("example.com" and ".example.com" both cover "a.example.com"),
 * compared on the bytes (IA5 text read as Latin-1, case-folded), without decoding either to a string.
 */
function dnsMatch(name: Uint8Array, base: Uint8Array): boolean {
  if (base.length === 0) return true
  if (name.length > base.length) return endsWithFolded(name, base) && (base[0] === 0x2e || name[name.length - base.length - 1] === 0x2e)
  return name.length === base.length && endsWithFolded(name, base)
}

/** rfc822Name: a mailbox, a host (exact), or ".domain" (any host below it). Null when the name has no "@". */
function emailMatch(name: string, base: string): boolean | null {
  const at = name.lastIndexOf('@')
  if (at < 0) return null
  if (base === '') return true
  const host = name.slice(at + 1)
  if (base.includes('@')) {
    const bat = base.lastIndexOf('@')
    return name.slice(0, at) === base.slice(0, bat) && lower(host) === lower(base.slice(bat + 1))
  }
  if (base.startsWith('.')) return host.length > base.length && lower(host).endsWith(lower(base))
  return lower(host) === lower(base)
}

/** URI: its host, exact or below a ".domain" base. Null when the URI has no authority. */
function uriMatch(name: string, base: string): boolean | null {
  const sep = name.indexOf('://')
  if (sep < 0) return null
  let host = name.slice(sep + 3)
  const end = host.search(/[:/?#]/)
  if (end >= 0) host = host.slice(0, end)
  if (host === '') return null
  if (base.startsWith('.')) return host.length > base.length && lower(host).endsWith(lower(base))
  return lower(host) === lower(base)
}

/** iPAddress: masked comparison. Null when the name or base has an impossible length. */
function ipMatch(name: Uint8Array, base: Uint8Array): boolean | null {
  const n = name.length
  if (n !== 4 && n !== 16) return null
  if (base.length !== 8 && base.length !== 32) return null
  if (base.length !== 2 * n) return false
  for (let i = 0; i < n; i++) if ((name[i]! & base[n + i]!) !== (base[i]! & base[n + i]!)) return false
  return true
}

function dirMatch(name: Uint8Array, base: Uint8Array): boolean {
  const b = canonicalRdns(base)
  const n = canonicalRdns(name)
  return b.length <= n.length && b.every((rdn, i) => rdn === n[i])
}

/** Whether `name` is within `base` (same form); null when the form cannot be compared (unsupported syntax). */
function within(name: GeneralName, base: GeneralName): boolean | null {
  switch (base.type) {
    case GN.dns:
      return dnsMatch(name.value, base.value)
    case GN.rfc822:
      return emailMatch(text(name), text(base))
    case GN.uri:
      return uriMatch(text(name), text(base))
    case GN.ip:
      return ipMatch(name.value, base.value)
    case GN.directory:
      return dirMatch(name.value, base.value)
    default:
      return null
  }
}

export type ConstraintResult =
  { ok: true } | { ok: false; kind: 'permitted' | 'excluded' | 'syntax'; name: GeneralName; base?: GeneralName }

const OK: ConstraintResult = { ok: true }

/** Whether `nc` has a subtree (permitted or excluded) of this name form: a name of any other form passes it untouched. */
export function constrainsForm(nc: NameConstraints, type: number): boolean {
  for (const sub of nc.permitted) if (sub.base.type === type) return true
  for (const sub of nc.excluded) if (sub.base.type === type) return true
  return false
}

/** One name against the constraints: permitted subtrees of its form must include it, no excluded one may. */
export function checkName(name: GeneralName, nc: NameConstraints): ConstraintResult {
  let sawForm = false
  let matched = false
  for (const sub of nc.permitted) {
    if (sub.base.type !== name.type) continue
    if (sub.minMax) return { ok: false, kind: 'syntax', name, base: sub.base }
    sawForm = true
    if (matched) continue
    const r = within(name, sub.base)
    if (r === null) return { ok: false, kind: 'syntax', name, base: sub.base }
    if (r) matched = true
  }
  if (sawForm && !matched) return { ok: false, kind: 'permitted', name }
  for (const sub of nc.excluded) {
    if (sub.base.type !== name.type) continue
    if (sub.minMax) return { ok: false, kind: 'syntax', name, base: sub.base }
    const r = within(name, sub.base)
    if (r === null) return { ok: false, kind: 'syntax', name, base: sub.base }
    if (r) return { ok: false, kind: 'excluded', name, base: sub.base }
  }
  return OK
}

/**
 * A commonName that reads as a host name (letters, digits, "-", "_", at least one dot, no empty
 * label): verifiers treat it as a dNSName for constraints when the certificate has no dNSName SAN.
 */
export function cnAsDnsName(cn: string): string | null {
  const v = cn.endsWith('.') ? cn.slice(0, -1) : cn
  if (!v.includes('.')) return null
  const labels = v.split('.')
  return labels.every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$/.test(l)) ? v : null
}

/** A name in words for messages: `dNSName "a.example.com"`, `iPAddress 10.0.0.1`, `directoryName CN=…`. */
export function describeGeneralName(name: GeneralName, describeDn: (der: Uint8Array) => string): string {
  const label = GN_LABEL[name.type] ?? 'name'
  if (name.type === GN.ip) {
    const v = name.value
    // A constraint holds address and mask (8 or 32 octets); a name, the address alone.
    const net = v.length === 8 || v.length === 32
    return `${label} ${net ? `${ipText(v.subarray(0, v.length / 2))}/${ipText(v.subarray(v.length / 2))}` : ipText(v)}`
  }
  if (name.type === GN.directory) return `${label} "${describeDn(name.value)}"`
  if (name.type === GN.dns || name.type === GN.rfc822 || name.type === GN.uri) return `${label} "${text(name)}"`
  return label
}
