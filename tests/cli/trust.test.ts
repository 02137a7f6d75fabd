import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import type { CliIo } from '../../src/cli/command'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'
import { CertFactory, sha256Hex, type TestCert } from '../support/cert-factory'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../support/debian-tree'

const certs = new CertFactory()
let tree: ReturnType<typeof makeDebianTree>
let userData: string
let root: TestCert
let nssDir: string

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: {
      PATH: process.env['PATH'],
      CERTDESK_TRUST_ROOT: tree.root,
      CERTDESK_USER_DATA: userData,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
    cwd: certs.dir,
  }
  const code = await runCli(argv, io, 'test')
  return { code, out, err }
}

/** Where notBefore starts in a certificate: Certificate → tbsCertificate → [0] version, serial, signature, issuer, validity. */
function notBeforeOffset(der: Buffer): number {
  const header = (at: number) => {
    const len = der[at + 1]!
    const lengthBytes = len & 0x80 ? len & 0x7f : 0
    let size = lengthBytes ? 0 : len
    for (let k = 0; k < lengthBytes; k++) size = size * 256 + der[at + 2 + k]!
    return { content: at + 2 + lengthBytes, end: at + 2 + lengthBytes + size }
  }
  let at = header(header(0).content).content // first element of tbsCertificate
  if (der[at] === 0xa0) at = header(at).end // explicit version
  for (let skip = 0; skip < 3; skip++) at = header(at).end // serial, signature, issuer
  return header(at).content // first element of validity
}

beforeAll(async () => {
  tree = makeDebianTree(2)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  nssDir = join(tree.root, 'home/.pki/nssdb')
  mkdirSync(nssDir, { recursive: true })
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${nssDir}`])
  userData = mkdtempSync(join(tmpdir(), 'certdesk-cli-data-'))
  root = certs.root('CLI Root')
})
afterAll(() => {
  tree.cleanup()
  rmSync(userData, { recursive: true, force: true })
  certs.cleanup()
})

describe('certdesk trust (CLI against CERTDESK_TRUST_ROOT)', () => {
  it('list --json shows the throwaway system store and NSS database only', async () => {
    const { code, out } = await cli('trust', 'list', '--json')
    expect(code).toBe(0)
    const listings = JSON.parse(out) as Array<{ store: { id: string; location: string }; entries: unknown[] }>
    expect(listings.map((l) => [l.store.id, l.entries.length])).toEqual([
      ['linux-system', 2],
      [`nss:${nssDir}`, 0],
    ])
    expect(listings[0]?.store.location).toBe(tree.anchors)
    const human = await cli('trust', 'list', '--store', 'system')
    expect(human.out).toMatch(/System \(Debian\/Ubuntu\) — .*\n {4}2 roots, 0 added locally \(--all shows every root\)/)
  })

  it('verify exits 1 while missing, install exits 0, verify then exits 0 (file, relative path, fingerprint)', async () => {
    const fp = sha256Hex(root.pem)
    const before = await cli('trust', 'verify', root.certPath)
    expect(before.code).toBe(1)
    expect(before.out).toMatch(/missing +System \(Debian\/Ubuntu\) +→ certdesk trust install ROOT\.pem --store linux-system/)

    const install = await cli('trust', 'install', root.certPath.split('/').at(-1)!, '--json')
    expect(install.code).toBe(0)
    const report = JSON.parse(install.out) as { outcomes: Array<{ status: string }> }
    expect(report.outcomes.map((o) => o.status)).toEqual(['installed', 'installed'])
    expect(readdirSync(tree.anchors)).toHaveLength(1)

    expect((await cli('trust', 'verify', fp)).code).toBe(0)
    expect((await cli('trust', 'verify', fp, '--store', 'nss')).code).toBe(0)
    const found = await cli('trust', 'find', fp, '--json')
    expect(found.code).toBe(0)
    expect((JSON.parse(found.out) as Array<{ entries: unknown[] }>).map((f) => f.entries.length)).toEqual([1, 1])
    const again = await cli('trust', 'install', root.certPath)
    expect(again.code).toBe(0)
    expect(again.out).toMatch(/already-present/)
  })

  it('remove from one store leaves the other; verify then exits 1 for all, 0 for the remaining store', async () => {
    const fp = sha256Hex(root.pem)
    const removed = await cli('trust', 'remove', fp, '--store', 'nss')
    expect(removed.code).toBe(0)
    expect(removed.out).toMatch(/removed/)
    expect((await cli('trust', 'verify', fp)).code).toBe(1)
    expect((await cli('trust', 'verify', fp, '--store', 'system')).code).toBe(0)
    expect((await cli('trust', 'remove', root.certPath)).code).toBe(0)
    expect(readdirSync(tree.anchors)).toHaveLength(0)
  })

  it('a thumbprint pasted with the invisible U+200E of the Windows dialog is read, and the CLI says what it dropped', async () => {
    const fp = `\u200e${sha256Hex(root.pem).match(/../g)!.join(' ').toLowerCase()}`
    const verify = await cli('trust', 'verify', fp)
    expect(verify.code).toBe(1) // read as a fingerprint (not present), not refused as bad input
    expect(verify.out).toMatch(/note: Removed 1 invisible character \(U\+200E\)/)
    const json = JSON.parse((await cli('trust', 'verify', fp, '--json')).out) as { fingerprint: { hex: string; note?: string } }
    expect(json.fingerprint).toEqual({
      algorithm: 'sha256',
      hex: sha256Hex(root.pem),
      note: expect.stringMatching(/Removed 1 invisible character/),
    })
    const find = await cli('trust', 'find', fp)
    expect(find.code).toBe(1)
    expect(find.err).toMatch(/^note: Removed 1 invisible character/)
    const remove = await cli('trust', 'remove', fp, '--json')
    expect(JSON.parse(remove.out).warnings).toEqual([expect.stringMatching(/Removed 1 invisible character/)])
  })

  it('bad input exits 2 with a specific message and writes nothing', async () => {
    const leaf = certs.write('leaf.pem', certs.leaf(root).pem)
    const key = certs.write('key.pem', root.keyPem)
    for (const [args, pattern] of [
      [['trust', 'install', leaf], /not a CA certificate/],
      [['trust', 'install', key], /private key/],
      [['trust', 'install', 'does-not-exist.pem'], /no such file/],
      [['trust', 'verify', 'ZZ:11'], /not a certificate fingerprint/],
      [['trust', 'verify', 'nope/missing.pem'], /neither a fingerprint nor a readable certificate file/],
      [['trust', 'list', '--store', 'bogus'], /Unknown trust store: bogus/],
      [['trust', 'verify'], /give exactly one/],
      [['trust', 'verify', sha256Hex(root.pem), '--host', 'bad:port:x'], /not HOST or HOST:PORT/],
    ] as const) {
      const r = await cli(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err, args.join(' ')).toMatch(pattern)
    }
    expect(readdirSync(tree.anchors)).toHaveLength(0)
  })

  it('hostile certificates (bad time field, PEM body that is not a certificate) exit 2 with one line, no stack', async () => {
    const der = Buffer.from(root.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    const at = notBeforeOffset(der)
    expect(der.subarray(at, at + 2)).toEqual(Buffer.from([0x17, 0x0d])) // UTCTime, 13 bytes
    const badTime = Buffer.from(der)
    badTime.write('99133xxxxxxxZ', at + 2, 'latin1')
    const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/(.{64})/g, '$1\n')
    const files = {
      'bad-time.pem': `-----BEGIN CERTIFICATE-----\n${b64(badTime)}\n-----END CERTIFICATE-----\n`,
      'bad-time.der': badTime,
      'not-a-cert-body.pem': `-----BEGIN CERTIFICATE-----\n${b64(Buffer.from('hello, this is not DER at all'))}\n-----END CERTIFICATE-----\n`,
      'not-a-cert-body-with-text.pem': `Subject: something\n-----BEGIN CERTIFICATE-----\n${b64(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))}\n-----END CERTIFICATE-----\ntrailing\n`,
    }
    for (const [name, contents] of Object.entries(files)) {
      const path = certs.write(name, contents)
      for (const sub of ['verify', 'find', 'install', 'remove']) {
        const r = await cli('trust', sub, path)
        const label = `trust ${sub} ${name}`
        expect(r.err, label).not.toMatch(/unexpected error|RangeError|\n\s+at /)
        expect(r.code, `${label}: ${r.err} ${r.out}`).toBe(2)
        expect(r.err.split('\n')[0], label).toMatch(/damaged|not a valid date|No certificate could be read|not a certificate/)
      }
    }
    expect(readdirSync(tree.anchors)).toHaveLength(0)
  })

  it('recorded every change (not the no-ops) in the activity log', () => {
    const entries = readFileSync(join(userData, 'activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; target: string })
    const fp = sha256Hex(root.pem)
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['trust.install', `linux-system ${fp}`],
      ['trust.install', `nss:${nssDir} ${fp}`],
      ['trust.remove', `nss:${nssDir} ${fp}`],
      ['trust.remove', `linux-system ${fp}`],
    ])
  })
})
