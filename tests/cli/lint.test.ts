// `certdesk lint` / `certdesk inspect` through runCli, on openssl-made files: exit codes 0/1/2,
// human and --json output.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import { ChainReport, InspectResult, LintReport } from '../../src/shared/lint-model'
import { CA_EXT, CLIENT_EXT, Forge, type Issued } from '../support/forge'

const forge = new Forge()
let root: Issued
let weakRoot: Issued
let client: Issued
let chainPath: string

function capture() {
  const out: string[] = []
  const err: string[] = []
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {}, cwd: process.cwd() },
    out: () => out.join(''),
    err: () => err.join(''),
  }
}

async function cli(...argv: string[]) {
  const c = capture()
  const code = await runCli(argv, c.io, '0.0.0-test')
  return { code, out: c.out(), err: c.err() }
}

beforeAll(() => {
  const rootExt = CA_EXT.filter((l) => !l.startsWith('authorityKey'))
  root = forge.issue({ name: 'CLI Root', ext: rootExt })
  weakRoot = forge.issue({ name: 'Weak Root', ext: ['basicConstraints=CA:TRUE', 'subjectKeyIdentifier=hash'] })
  client = forge.issue({ name: 'cli-client', ext: CLIENT_EXT, issuer: root })
  chainPath = forge.write('chain.pem', readFileSync(client.pem, 'utf8') + readFileSync(root.pem, 'utf8'))
}, 60_000)

afterAll(() => forge.cleanup())

describe('certdesk lint', () => {
  it('exits 0 for a clean certificate and says which profile auto chose', async () => {
    const r = await cli('lint', root.pem)
    expect(r.code).toBe(0)
    expect(r.out).toContain('profile root-ca (auto: a self-signed CA certificate)')
    expect(r.out).toContain('PASS')
  })

  it('exits 1 with the findings when errors are found, in text and JSON', async () => {
    const r = await cli('lint', weakRoot.pem, '--profile', 'python-strict')
    expect(r.code).toBe(1)
    expect(r.out).toContain('ERROR   ca.basic_constraints.not_critical')
    expect(r.out).toContain('fix: Re-issue with `basicConstraints = critical, CA:TRUE`')
    const j = await cli('lint', weakRoot.pem, '--profile', 'gateway-byopki', '--json')
    expect(j.code).toBe(1)
    const report = LintReport.parse(JSON.parse(j.out))
    expect(report.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['ca.basic_constraints.not_critical', 'ca.key_usage.missing', 'gateway.key.rsa_size']),
    )
  })

  it('lints a chain file as a chain', async () => {
    const r = await cli('lint', chainPath, '--json')
    expect(r.code).toBe(0)
    const report = ChainReport.parse(JSON.parse(r.out))
    expect(report.order).toBe('leaf-first')
    expect(report.certificates.map((c) => c.report.profile)).toEqual(['client', 'root-ca'])
    const human = await cli('lint', chainPath)
    expect(human.out).toContain('chain of 2 (leaf-first)')
  })

  it('uses --issuer and --expiring-days', async () => {
    const r = await cli('lint', client.pem, '--issuer', root.pem, '--expiring-days', '400', '--json')
    const report = LintReport.parse(JSON.parse(r.out))
    expect(report.findings.map((f) => f.ruleId)).toContain('validity.expiring_soon')
    expect(r.code).toBe(0)
  })

  it('exits 2 on bad input: unknown profile, missing file, a key, garbage', async () => {
    const badProfile = await cli('lint', root.pem, '--profile', 'strictest')
    expect(badProfile.code).toBe(2)
    expect(badProfile.err).toContain('unknown profile "strictest"')
    const missing = await cli('lint', `${forge.dir}/nope.pem`)
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('does not exist')
    const key = await cli('lint', forge.key('ec'))
    expect(key.code).toBe(2)
    expect(key.err).toContain('is a private key (PEM), not a certificate')
    const garbage = await cli('lint', forge.write('bad.der', client.der.subarray(0, 200)), '--json')
    expect(garbage.code).toBe(2)
    expect(JSON.parse(garbage.out).error.code).toBe('bad_input')
    expect(await cli('lint', '--expiring-days', 'soon', root.pem).then((x) => x.code)).toBe(2)
    expect(await cli('lint').then((x) => x.code)).toBe(2)
  })

  it('lists the rules', async () => {
    const r = await cli('lint', 'rules', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out).length).toBeGreaterThan(50)
  })
})

describe('certdesk inspect', () => {
  it('decodes a certificate with fingerprints', async () => {
    const r = await cli('inspect', client.pem)
    expect(r.code).toBe(0)
    expect(r.out).toContain('Subject:      CN=cli-client')
    expect(r.out).toContain('Extended Key Usage')
    expect(r.out).toMatch(/SHA-1 \(Windows\): +[0-9A-F]{40}/)
    const j = InspectResult.parse(JSON.parse((await cli('inspect', chainPath, '--json')).out))
    expect(j.kind).toBe('chain')
    expect(j.certificates.map((c) => c.subject.text)).toEqual(['CN=cli-client', 'CN=CLI Root'])
  })

  it('says what a CSR is', async () => {
    const csr = forge.write('x.csr', '')
    forge.openssl('req', '-new', '-key', forge.key('ec'), '-subj', '/CN=x', '-out', csr)
    const r = await cli('inspect', csr, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ kind: 'csr', certificates: [] })
  })
})
