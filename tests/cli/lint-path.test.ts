// `certdesk lint FILE --at/--purpose/--hostname/--ip/--trust/--system` through runCli: path validation
// from the command line, exit codes 0 (valid) / 1 (check failed) / 2 (bad input), --json.
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import { ChainReport } from '../../src/shared/lint-model'
import { caExts, certificate, cn, derToPem, EKU_OID, ext, gn, leafExts, newKey, T0, type Key } from '../support/chain-forge'
import { tempDir } from '../support/tools'

const dir = tempDir('certdesk-cli-path-')
afterAll(() => dir.remove())

const [rk, ik, lk, ok] = [newKey(), newKey(), newKey(), newKey()] as [Key, Key, Key, Key]
const ROOT = cn('CLI Path Root')
const INTER = cn('CLI Path Intermediate')
// Valid from a day before T0 for a year; T0 + 30 days is inside, T0 + 400 days is not.
const AT = new Date(T0 + 30 * 86_400_000).toISOString()
const root = certificate({ subject: ROOT, issuer: ROOT, key: rk, signer: rk, exts: caExts(rk, rk) })
const inter = certificate({
  subject: INTER,
  issuer: ROOT,
  key: ik,
  signer: rk,
  exts: [...caExts(ik, rk), ext.nc([gn.dns('example.test')])],
})
const leafFor = (sans: Buffer[], eku = [EKU_OID.serverAuth, EKU_OID.clientAuth]): Uint8Array =>
  certificate({
    subject: cn('leaf'),
    issuer: INTER,
    key: lk,
    signer: ik,
    exts: [...leafExts(lk, ik, sans).filter((e) => e.oid !== '2.5.29.37'), ext.eku(eku)],
  })
const pem = (...ders: Uint8Array[]): string => ders.map(derToPem).join('')
const good = dir.file('good.pem', pem(leafFor([gn.dns('app.example.test'), gn.ip('10.0.0.7')]), inter))
const outside = dir.file('outside.pem', pem(leafFor([gn.dns('app.other.test')]), inter))
const clientOnly = dir.file('client-only.pem', pem(leafFor([gn.dns('app.example.test')], [EKU_OID.clientAuth]), inter))
const rootFile = dir.file('root.pem', pem(root))
const otherRoot = dir.file(
  'other-root.pem',
  pem(certificate({ subject: cn('Other'), issuer: cn('Other'), key: ok, signer: ok, exts: caExts(ok, ok) })),
)
const keyFile = dir.file('key.pem', lk.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {}, cwd: process.cwd() }
  const code = await runCli(argv, io, '0.0.0-test')
  return { code, out: out.join(''), err: err.join('') }
}

const ruleIds = (json: string): string[] => {
  const report = ChainReport.parse(JSON.parse(json))
  return [...report.chainFindings, ...report.certificates.flatMap((c) => c.report.findings)].map((f) => f.ruleId)
}

describe('certdesk lint: path validation flags', () => {
  it('validates a chain against --trust at --at, for a purpose and a host name', async () => {
    const ok = await cli('lint', good, '--trust', rootFile, '--at', AT, '--purpose', 'server', '--hostname', 'app.example.test', '--json')
    expect(ok.code).toBe(0)
    expect(ChainReport.parse(JSON.parse(ok.out)).passed).toBe(true)
    expect((await cli('lint', good, '--trust', rootFile, '--at', AT, '--ip', '10.0.0.7')).code).toBe(0)
  })

  it('fails (exit 1) with the finding that says why, naming the certificate and section', async () => {
    const nc = await cli('lint', outside, '--trust', rootFile, '--at', AT, '--json')
    expect(nc.code).toBe(1)
    const finding = ChainReport.parse(JSON.parse(nc.out)).chainFindings.find((f) => f.ruleId === 'path.name_constraints.permitted')!
    expect(finding.message).toMatch(
      /^certificate 1 \(the leaf end, "CN=leaf"\): dNSName "app.other.test" is outside the permitted subtrees of certificate 2/,
    )
    expect(finding.source).toMatch(/RFC 5280 4\.2\.1\.10, 6\.1\.3 \(b\)/)
    expect(
      ruleIds((await cli('lint', good, '--trust', rootFile, '--at', new Date(T0 + 400 * 86_400_000).toISOString(), '--json')).out),
    ).toContain('path.validity.expired')
    expect(ruleIds((await cli('lint', clientOnly, '--trust', rootFile, '--at', AT, '--purpose', 'server', '--json')).out)).toContain(
      'path.purpose.not_allowed',
    )
    expect(ruleIds((await cli('lint', good, '--trust', rootFile, '--at', AT, '--hostname', 'api.example.test', '--json')).out)).toContain(
      'path.peer_name.mismatch',
    )
    const human = await cli('lint', good, '--trust', otherRoot, '--at', AT)
    expect(human.code).toBe(1)
    expect(human.out).toMatch(/path\.anchor\.not_found/)
    expect(human.out).toMatch(/reaches no trust anchor/)
  })

  it("anchors at the file's top without --trust, and in this machine's store with --system", async () => {
    expect((await cli('lint', good, '--at', AT, '--purpose', 'server')).code).toBe(0)
    const system = await cli('lint', good, '--system', '--at', AT, '--json')
    expect(system.code).toBe(1)
    expect(ruleIds(system.out)).toContain('path.anchor.not_found')
  })

  it('refuses bad flags with exit 2 and one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['--at', 'yesterday'], /--at must be an RFC 3339 time/],
      [['--purpose', 'email'], /--purpose must be client or server/],
      [['--hostname', 'a.example.test', '--ip', '10.0.0.7'], /--hostname or --ip, not both/],
      [['--ip', '10.0.0'], /not an IPv4 or IPv6 address/],
      [['--hostname', 'bad host!'], /is not a host name/],
      [['--trust', rootFile, '--system'], /--trust FILE or --system, not both/],
      [['--trust', keyFile], /--trust needs the trusted CA certificate/],
      [['--trust', rootFile, '--issuer', rootFile], /--issuer is for a lone certificate/],
    ]
    for (const [flags, message] of cases) {
      const r = await cli('lint', good, ...flags)
      expect(r.code, flags.join(' ')).toBe(2)
      expect(r.err, flags.join(' ')).toMatch(message)
    }
  })
})
