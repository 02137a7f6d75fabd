// Issue #14 false alarms: each was a finding (or a refusal) about a certificate that verifiers accept.
import { describe, expect, it } from 'vitest'
import { inspectCertificate, lintCertificate, lintChain } from '../../../src/main/lint'
import { bitString, oid, seq } from '../../../src/main/pki/der-writer'
import { caExts, certificate, cn, gn, leafExts, newKey, T0, type Key } from '../../support/chain-forge'

const [rk, ik, lk, ok] = [newKey(), newKey(), newKey(), newKey()] as [Key, Key, Key, Key]
const ROOT = cn('FA Root')
const INTER = cn('FA Intermediate')
const now = new Date(T0)
const root = (serial?: number): Uint8Array =>
  certificate({ subject: ROOT, issuer: ROOT, key: rk, signer: rk, exts: caExts(rk, rk), ...(serial === undefined ? {} : { serial }) })
const inter = (key: Key = ik): Uint8Array => certificate({ subject: INTER, issuer: ROOT, key, signer: rk, exts: caExts(ik, rk) })
const leaf = (serial?: number): Uint8Array =>
  certificate({
    subject: cn('leaf'),
    issuer: INTER,
    key: lk,
    signer: ik,
    exts: leafExts(lk, ik),
    ...(serial === undefined ? {} : { serial }),
  })
const otherRoot = (): Uint8Array =>
  certificate({ subject: cn('Other Root'), issuer: cn('Other Root'), key: ok, signer: ok, exts: caExts(ok, ok) })

const findings = (report: { findings: { ruleId: string; severity: string }[] }, id: string) =>
  report.findings.filter((f) => f.ruleId === id)

describe('issue #14 false alarms', () => {
  it('a trust anchor with serial number 0 gets a warning, not an error (RFC 5280 6.1.1 (d))', () => {
    const alone = lintCertificate(root(0), { now })
    expect(findings(alone, 'cert.serial.zero').map((f) => f.severity)).toEqual(['warning'])
    expect(alone.passed).toBe(true)
    const chain = lintChain([leaf(), inter(), root(0)], { now })
    expect(findings(chain.certificates[2]!.report, 'cert.serial.zero').map((f) => f.severity)).toEqual(['warning'])
    expect(chain.passed).toBe(true)
    // Anywhere else it is still an error.
    const leafZero = lintChain([leaf(0), inter(), root()], { now })
    expect(findings(leafZero.certificates[0]!.report, 'cert.serial.zero').map((f) => f.severity)).toEqual(['error'])
  })

  it('cert.aki.missing does not fire on a self-signed root that is not the last certificate in the file', () => {
    // A bundle with an unrelated root after the chain: the chain's root has no AKI, and needs none.
    const report = lintChain([leaf(), inter(), root(), otherRoot()], { now })
    const rootReport = report.certificates.find((c) => c.subject === 'CN=FA Root')!.report
    expect(rootReport.findings.map((f) => f.ruleId)).not.toContain('cert.aki.missing')
    const strict = lintChain([leaf(), inter(), root(), otherRoot()], { now, profile: 'python-strict' })
    expect(strict.certificates.flatMap((c) => c.report.findings.map((f) => f.ruleId))).not.toContain('cert.aki.missing')
  })

  it('a certificate whose key does not decode is reported on that certificate and the rest are linted', () => {
    // An EC key on a curve OID nobody knows, then an RSA key whose BIT STRING holds no RSAPublicKey.
    const unknownCurve: Key = { ...ik, spki: seq(seq(oid('1.2.840.10045.2.1'), oid('1.2.3.4.5')), bitString(Buffer.alloc(65, 4))) }
    const notRsa: Key = { ...ik, spki: seq(seq(oid('1.2.840.113549.1.1.1'), Buffer.from([5, 0])), bitString(Buffer.from([4, 1, 0]))) }
    for (const bad of [unknownCurve, notRsa]) {
      const report = lintChain([leaf(), inter(bad), root()], { now })
      expect(report.certificates).toHaveLength(3)
      const signature = report.chainFindings.find((f) => f.ruleId === 'chain.signature.invalid')!
      expect(signature.message).toMatch(/^certificate 1 \(the leaf end, "CN=leaf"\).*could not be checked/)
      expect(report.certificates[2]!.report.passed).toBe(true)
    }
    const damaged = lintChain([leaf(), inter(notRsa), root()], { now })
    expect(damaged.certificates[1]!.report.findings.map((f) => f.ruleId)).toContain('key.damaged')
  })

  it('inspect and lint both handle a leaf with 2,048 DNS SANs', () => {
    const sans = Array.from({ length: 2048 }, (_, i) => gn.dns(`host-${i}.example.test`))
    const big = certificate({ subject: cn('many'), issuer: INTER, key: lk, signer: ik, exts: leafExts(lk, ik, sans) })
    const details = inspectCertificate(big)
    expect(details.subjectAltNames).toHaveLength(2048)
    expect(details.subjectAltNames[2047]).toEqual({ type: 'dns', value: 'host-2047.example.test' })
    const report = lintChain([big, inter(), root()], { now, peer: { hostname: 'host-2047.example.test' } })
    expect(report.passed).toBe(true)
  })

  it('--profile server on a chain whose leaf end is a CA says so instead of failing leaf checks', () => {
    const report = lintChain([inter(), root()], { now, profile: 'server' })
    const first = report.certificates[0]!.report
    expect(first.requestedProfile).toBe('server')
    expect(first.profile).toBe('intermediate-ca')
    expect(first.reason).toMatch(/--profile server is for the server's own certificate/)
    const ids = first.findings.map((f) => f.ruleId)
    expect(ids).toEqual(['leaf.server.is_ca'])
    // A real server leaf is still checked as one.
    expect(lintChain([leaf(), inter(), root()], { now, profile: 'server' }).certificates[0]!.report.profile).toBe('server')
  })
})
