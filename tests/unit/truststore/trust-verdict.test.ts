import { describe, expect, test } from 'vitest'
import type { RuntimeCheck, VerifyLine, VerifyReport } from '../../../src/shared/truststore-model'
import { rootName, trustVerdict } from '../../../src/shared/trust-verdict'

const SYSTEM = { storeId: 'linux-system', label: 'System (Debian/Ubuntu)' }
const FIREFOX = { storeId: 'nss:/home/u/.mozilla/firefox/abc.default-release', label: 'Firefox profile default-release' }
const FIREFOX_DEV = { storeId: 'nss:/home/u/.mozilla/firefox/xyz.dev', label: 'Firefox profile dev' }
const CHROME = { storeId: 'nss:/home/u/.pki/nssdb', label: 'Chrome/Chromium (~/.pki/nssdb)' }
const JAVA = { storeId: 'java-cacerts', label: 'Java cacerts (JAVA_HOME)' }

function report(
  lines: VerifyLine[],
  runtimes: Array<Pick<RuntimeCheck, 'runtime' | 'trusts'>> = [],
  probe?: { verified: boolean },
): VerifyReport {
  return {
    fingerprint: { algorithm: 'sha256', hex: 'ab'.repeat(32) },
    root: {
      sha256: 'ab'.repeat(32),
      sha1: 'cd'.repeat(20),
      subject: 'C=US, O=Example, CN=Example Root CA',
      issuer: 'C=US, O=Example, CN=Example Root CA',
      serial: '01',
      notBefore: '',
      notAfter: '',
      selfSigned: true,
    },
    lines,
    allTrusted: lines.every((l) => l.status === 'trusted'),
    runtimes: runtimes.map((r) => ({ ...r, source: 'x', note: '' })),
    ...(probe ? { probe: { host: 'api.example.com', port: 443, verified: probe.verified, chain: [] } } : {}),
  }
}

describe('trustVerdict: one sentence from the report', () => {
  test('trusted by every store and every runtime checked', () => {
    const v = trustVerdict(
      report(
        [
          { ...SYSTEM, status: 'trusted' },
          { ...FIREFOX, status: 'trusted' },
        ],
        [
          { runtime: 'node', trusts: true },
          { runtime: 'python', trusts: null },
        ],
      ),
    )
    expect(v).toEqual({
      kind: 'trusted',
      badge: 'trusted everywhere',
      sentence: 'This computer trusts Example Root CA in every place that matters.',
    })
  })

  test('in no store: "not installed", never "not trusted everywhere"', () => {
    const v = trustVerdict(
      report(
        [
          { ...SYSTEM, status: 'missing' },
          { ...FIREFOX, status: 'missing' },
        ],
        [{ runtime: 'node', trusts: false }],
      ),
    )
    expect(v.kind).toBe('not-installed')
    expect(v.badge).toBe('not installed')
    expect(v.sentence).toBe('Example Root CA is not installed here.')
  })

  test('trusted by the system but missing from Firefox', () => {
    const v = trustVerdict(
      report([
        { ...SYSTEM, status: 'trusted' },
        { ...FIREFOX, status: 'missing' },
        { ...CHROME, status: 'trusted' },
      ]),
    )
    expect(v.kind).toBe('partly')
    expect(v.sentence).toBe('Example Root CA is trusted by the system and Chrome but not by Firefox.')
  })

  test('every store trusts it but a runtime does not: not "trusted everywhere"', () => {
    const v = trustVerdict(
      report(
        [
          { ...SYSTEM, status: 'trusted' },
          { ...JAVA, status: 'trusted' },
        ],
        [
          { runtime: 'node', trusts: false },
          { runtime: 'git', trusts: true },
        ],
      ),
    )
    expect(v.kind).toBe('partly')
    expect(v.badge).not.toBe('trusted everywhere')
    expect(v.sentence).toBe('Example Root CA is trusted by every trust store here but not by Node.js.')
  })

  test('present but not trusted, and a failed handshake, are said', () => {
    expect(trustVerdict(report([{ ...SYSTEM, status: 'present-not-trusted' }])).sentence).toBe(
      'Example Root CA is installed here but not trusted by the system.',
    )
    expect(trustVerdict(report([{ ...SYSTEM, status: 'trusted' }], [], { verified: false })).sentence).toBe(
      'Example Root CA is trusted by every trust store here, and the handshake with api.example.com failed.',
    )
  })

  test('two Firefox profiles that disagree are named by profile', () => {
    const v = trustVerdict(
      report([
        { ...FIREFOX, status: 'trusted' },
        { ...FIREFOX_DEV, status: 'missing' },
      ]),
    )
    expect(v.sentence).toBe('Example Root CA is trusted by Firefox profile default-release but not by Firefox profile dev.')
  })

  test('unreadable stores: unknown when none could be read, and named otherwise', () => {
    expect(trustVerdict(report([{ ...SYSTEM, status: 'error' }])).kind).toBe('unknown')
    expect(
      trustVerdict(
        report([
          { ...SYSTEM, status: 'missing' },
          { ...JAVA, status: 'error' },
        ]),
      ).sentence,
    ).toBe('Example Root CA is not installed here (Java could not be read).')
    expect(
      trustVerdict(
        report([
          { ...SYSTEM, status: 'trusted' },
          { ...JAVA, status: 'error' },
        ]),
      ).sentence,
    ).toBe('Example Root CA is trusted by the system; Java could not be checked.')
  })

  test('the name: CN, else the subject, else the fingerprint', () => {
    const base = report([])
    expect(rootName(base)).toBe('Example Root CA')
    expect(rootName({ ...base, root: { ...base.root!, subject: 'O=No Common Name Inc' } })).toBe('O=No Common Name Inc')
    expect(rootName({ fingerprint: base.fingerprint })).toBe('the root SHA256 abababababababab…')
  })
})
