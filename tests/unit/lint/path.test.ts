// Path validation pieces: malformed name constraints as single-certificate findings, RFC 6125 host
// matching, and how a path finding names its certificate and section.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lintCertificate, lintChain, parsePeer, PATH_RULES } from '../../../src/main/lint'
import { hostMatches } from '../../../src/main/lint/path'
import { GN } from '../../../src/main/lint/path/general-names'
import { checkName, type NameConstraints } from '../../../src/main/lint/path/name-constraints'
import { caExts, certificate, cn, ext, gn, leafExts, newKey, T0, type Ext, type Key } from '../../support/chain-forge'

const [rk, ik, lk] = [newKey(), newKey(), newKey()] as [Key, Key, Key]
const now = new Date(T0)
const ROOT = cn('Path Root')
const root = (more: Ext[] = []): Uint8Array =>
  certificate({ subject: ROOT, issuer: ROOT, key: rk, signer: rk, exts: [...caExts(rk, rk), ...more] })
const inter = (more: Ext[] = []): Uint8Array =>
  certificate({ subject: cn('Path Intermediate'), issuer: ROOT, key: ik, signer: rk, exts: [...caExts(ik, rk), ...more] })

describe('name constraints as written', () => {
  const malformed = (nc: Ext): string | undefined =>
    lintCertificate(root([nc]), { now }).findings.find((f) => f.ruleId === 'ca.name_constraints.malformed')?.message

  it('flags a non-contiguous IPv4 mask, a wrong-length iPAddress, a wildcard dNSName and an empty NameConstraints', () => {
    expect(malformed(ext.nc([gn.ipNet('10.0.0.0', '255.0.255.0')]))).toMatch(/non-contiguous mask 255\.0\.255\.0/)
    expect(malformed(ext.nc([gn.ipRaw([10, 0, 0, 0, 255])]))).toMatch(/has 5 octets; it must be 8 .* or 32/)
    expect(malformed(ext.nc([gn.dns('*.example.test')]))).toMatch(/holds a wildcard/)
    expect(malformed(ext.nc(null, null))).toMatch(/empty NameConstraints/)
    expect(malformed(ext.nc([gn.dns('example.test'), gn.ipNet('10.0.0.0', '255.0.0.0')], [gn.dns('bad.example.test')]))).toBeUndefined()
  })
})

describe('RFC 6125 host names', () => {
  it('matches a wildcard only as the whole left-most label, over exactly one label', () => {
    expect(hostMatches('app.example.test', 'APP.example.test.')).toBe(true)
    expect(hostMatches('*.example.test', 'app.example.test')).toBe(true)
    expect(hostMatches('*.example.test', 'a.b.example.test')).toBe(false)
    expect(hostMatches('*.example.test', 'example.test')).toBe(false)
    expect(hostMatches('a*.example.test', 'app.example.test')).toBe(false)
    expect(hostMatches('*pp.example.test', 'app.example.test')).toBe(false)
    expect(hostMatches('app.*.test', 'app.example.test')).toBe(false)
    expect(hostMatches('*.test', 'example.test')).toBe(false)
  })

  it('reads --hostname and --ip', () => {
    expect(parsePeer('app.example.test', 'hostname')).toEqual({ hostname: 'app.example.test' })
    expect(parsePeer('10.0.0.1', 'hostname')).toEqual({ ip: '10.0.0.1' })
    expect(parsePeer('2001:db8::1', 'ip')).toEqual({ ip: '2001:db8::1' })
    expect(parsePeer('app.example.test', 'ip')).toBeNull()
    expect(parsePeer('bad host', 'hostname')).toBeNull()
  })
})

describe('path findings', () => {
  it('name the certificate by position, role and subject, and cite the section', () => {
    const leaf = certificate({
      subject: cn('leaf'),
      issuer: cn('Path Intermediate'),
      key: lk,
      signer: ik,
      exts: leafExts(lk, ik, [gn.dns('app.other.test')]),
    })
    const report = lintChain([leaf, inter([ext.nc([gn.dns('example.test')])]), root()], { now })
    const finding = report.chainFindings.find((f) => f.ruleId === 'path.name_constraints.permitted')!
    expect(finding.message).toBe(
      'certificate 1 (the leaf end, "CN=leaf"): dNSName "app.other.test" is outside the permitted subtrees of ' +
        'certificate 2 (an intermediate, "CN=Path Intermediate")',
    )
    expect(report.passed).toBe(false)
    for (const rule of PATH_RULES) expect(rule.source).toMatch(/RFC (5280|6125) \d/)
  })

  it('applies a constraint to every certificate below it, not to the one that carries it', () => {
    const leaf = certificate({ subject: cn('leaf'), issuer: cn('Path Intermediate'), key: lk, signer: ik, exts: leafExts(lk, ik) })
    // The root permits only names under CN=Nowhere: the intermediate and the leaf are both outside.
    const report = lintChain([leaf, inter(), root([ext.nc([gn.dir(cn('Nowhere'))])])], { now })
    expect(report.chainFindings.filter((f) => f.ruleId === 'path.name_constraints.permitted').map((f) => f.message.slice(0, 14))).toEqual([
      'certificate 2 ',
      'certificate 1 ',
    ])
  })
})

describe('dNSName constraints compared on the bytes', () => {
  // The reference: the names decoded as Latin-1 text and compared in lower case, as before the byte comparison.
  const reference = (name: string, base: string): boolean => {
    if (base === '') return true
    const [n, b] = [name.toLowerCase(), base.toLowerCase()]
    if (n.length > b.length) return n.endsWith(b) && (b.startsWith('.') || n[n.length - b.length - 1] === '.')
    return n === b
  }
  const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'))
  const constraint = (base: string, excluded: boolean): NameConstraints => {
    const sub = { base: { type: GN.dns, value: bytes(base) }, minMax: false }
    return { permitted: excluded ? [] : [sub], excluded: excluded ? [sub] : [], problems: [] }
  }

  it('folds case as Latin-1 text does, and matches labels only at a dot', () => {
    // Letters, dots and the Latin-1 upper/lower pairs (À/à, Þ/þ, and × ÷ ß that have none).
    const letter = fc.constantFrom('a', 'B', 'c', 'Z', '.', '-', '\u00c0', '\u00e0', '\u00de', '\u00fe', '\u00d7', '\u00f7', '\u00df')
    const label = fc.array(letter, { maxLength: 6 }).map((a) => a.join(''))
    fc.assert(
      fc.property(label, label, label, fc.boolean(), (prefix, base, caseFlip, excluded) => {
        const name = prefix + (caseFlip.length % 2 ? base.toUpperCase() : base)
        const inside = reference(name, base)
        const r = checkName({ type: GN.dns, value: bytes(name) }, constraint(base, excluded))
        expect(r.ok).toBe(excluded ? !inside : inside)
      }),
      { numRuns: 2000 },
    )
    expect(checkName({ type: GN.dns, value: bytes('Device-1.EXAMPLE.test') }, constraint('example.TEST', false)).ok).toBe(true)
    expect(checkName({ type: GN.dns, value: bytes('badexample.test') }, constraint('example.test', false)).ok).toBe(false)
    expect(checkName({ type: GN.dns, value: bytes('\u00c0b.test') }, constraint('\u00e0B.TEST', true)).ok).toBe(false)
  })
})
