/**
 * `certdesk vault list|export|delete` against the app's own vault (same user-data folder, same
 * keychain entry), with openssl as the referee for every file written, and the exit codes the design
 * doc promises: 0 done, 1 not done, 2 bad input.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CliIo } from '../../../src/cli/command'
import { runCli } from '../../../src/cli/run'
import { appServices as cliServices } from '../../../src/cli/app-services'
import { createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { generateKey } from '../../../src/main/pki/keys'
import type { VaultEntry } from '../../../src/shared/pki-model'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-vault-cli-'))
const env = { CERTDESK_USER_DATA: dir, P12_PASSWORD: 'p12-password', SHORT: 'short' }

async function cli(argv: string[], confirm?: (q: string) => Promise<boolean>): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: dir, ...(confirm ? { confirm } : {}) }
  const code = await runCli(argv, io, 'test')
  return { code, out, err }
}
const openssl = (args: string[], extra: Record<string, string> = {}) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...extra } })

let root: VaultEntry
let leaf: VaultEntry
let bare: VaultEntry

beforeAll(async () => {
  const { vault } = cliServices({ stdout: () => {}, stderr: () => {}, env, cwd: dir })
  const ca = await createRootCa({ cn: 'CLI Test Root', keyType: 'ec-p256', days: 3650 })
  root = await vault.linkCertificate((await vault.save({ privateKey: ca.privateKey, label: 'Root CLI Test Root' })).id, ca.certificatePem)
  const keys = await generateKey('ec-p256')
  const csr = await createCsr({ keys, subject: { cn: 'Zürich sensor' } })
  const signed = await signCsr({ caCertPem: ca.certificatePem, caKey: ca.privateKey, csrPem: csr.pem, profile: 'client', days: 365 })
  const saved = await vault.save({ privateKey: keys.privateKey, label: 'Zürich sensor', csrPem: csr.pem })
  leaf = await vault.linkCertificate(saved.id, signed.certificatePem)
  bare = await vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'Key without certificate' })
})
afterAll(() => {
  cliServices({ stdout: () => {}, stderr: () => {}, env, cwd: dir }).close()
  rmSync(dir, { recursive: true, force: true })
})

describe('certdesk vault list', () => {
  test('human and --json: label, type, certificate name, expiry and issuer; never a key', async () => {
    const human = await cli(['vault', 'list'])
    expect(human.code).toBe(0)
    expect(human.out).toContain(leaf.id)
    expect(human.out).toMatch(/Zürich sensor, expires \d{4}-\d\d-\d\d, issued by CN=CLI Test Root/)
    expect(human.out).toMatch(/CLI Test Root, expires .*self-signed/)
    const json = await cli(['vault', 'list', '--json'])
    type Row = { id: string; label: string; hasCsr: boolean; certificateInfo?: { commonName: string; notAfter: string } }
    const rows = JSON.parse(json.out) as Row[]
    expect(rows.map((r) => r.id).sort()).toEqual([root.id, leaf.id, bare.id].sort())
    const expected = { label: 'Zürich sensor', hasCsr: true, certificateInfo: { commonName: 'Zürich sensor' } }
    expect(rows.find((r) => r.id === leaf.id)).toMatchObject(expected)
    expect(rows.find((r) => r.id === bare.id)?.certificateInfo).toBeUndefined()
    expect(json.out).not.toMatch(/PRIVATE KEY|BEGIN/)
  })
})

describe('certdesk vault export', () => {
  test('pkcs12 with the vault CA chain (openssl pkcs12 -info shows both), 0600, by id prefix', async () => {
    const prefix = leaf.id.slice(0, 8)
    const args = ['--format', 'pkcs12', '--password-env', 'P12_PASSWORD', '--out', 'sensor.p12', '--json']
    const r = await cli(['vault', 'export', prefix, ...args])
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({ format: 'pkcs12', chainCertificates: 1 })
    const file = join(dir, 'sensor.p12')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const info = openssl(['pkcs12', '-in', file, '-info', '-nokeys', '-passin', 'env:P'], { P: 'p12-password' })
    expect(info.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(info).toMatch(/subject=CN\s*=\s*CLI Test Root/)
  })

  test('DER certificate, encrypted key (openssl pkcs8 decrypts), unencrypted key with a warning', async () => {
    expect((await cli(['vault', 'export', leaf.id, '--format', 'certificate-der', '--out', 'sensor.cer'])).code).toBe(0)
    expect(openssl(['x509', '-inform', 'DER', '-in', join(dir, 'sensor.cer'), '-noout', '-issuer'])).toMatch(/CLI Test Root/)

    const encrypted = ['--format', 'key-pkcs8-encrypted', '--password-env', 'P12_PASSWORD', '--out', 'sensor.key']
    expect((await cli(['vault', 'export', leaf.id, ...encrypted])).code).toBe(0)
    expect(openssl(['pkcs8', '-in', join(dir, 'sensor.key'), '-passin', 'env:P'], { P: 'p12-password' })).toMatch(/BEGIN PRIVATE KEY/)

    const clear = await cli(['vault', 'export', bare.id, '--format', 'key-pem-unencrypted', '--out', 'bare.pem'])
    expect(clear.code).toBe(0)
    expect(clear.err).toMatch(/UNENCRYPTED/)
    expect(readFileSync(join(dir, 'bare.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(statSync(join(dir, 'bare.pem')).mode & 0o777).toBe(0o600)
    const log = readFileSync(join(dir, 'activity.jsonl'), 'utf8')
    expect(log).toMatch(/"action":"certificate.save".*"format":"certificate-der"/)
    expect(log).toMatch(/"action":"key.export".*"format":"key-pem-unencrypted"/)
  })

  test('bad input exits 2 with one clear line, and writes nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['vault', 'export', leaf.id, '--format', 'pkcs12', '--out', 'x.p12'], /needs --password-env/],
      [
        ['vault', 'export', leaf.id, '--format', 'certificate-pem', '--password-env', 'P12_PASSWORD', '--out', 'x.pem'],
        /not encrypted; drop --password-env/,
      ],
      [['vault', 'export', leaf.id, '--format', 'pkcs12', '--password-env', 'SHORT', '--out', 'x.p12'], /at least 8/],
      [['vault', 'export', leaf.id, '--format', 'pfx', '--out', 'x.p12'], /unknown format "pfx"/],
      [['vault', 'export', 'ffffffff', '--format', 'certificate-pem', '--out', 'x.pem'], /No key in the vault has an id starting with f+/],
      [['vault', 'export', bare.id, '--format', 'certificate-pem', '--out', 'x.pem'], /has no certificate yet/],
      [['vault', 'export', leaf.id, '--format', 'certificate-der', '--out', 'sensor.cer'], /already exists/],
    ]
    for (const [argv, message] of cases) {
      const r = await cli(argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.err).toMatch(message)
    }
    expect(['x.p12', 'x.pem'].some((f) => existsSync(join(dir, f)))).toBe(false)
  })
})

describe('certdesk vault delete', () => {
  test('without a terminal it needs --yes (exit 2, key kept); a declined prompt keeps it (exit 1); yes deletes it', async () => {
    const refused = await cli(['vault', 'delete', bare.id])
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(/pass --yes/)
    const questions: string[] = []
    const declined = await cli(['vault', 'delete', bare.id], async (q) => (questions.push(q), false))
    expect(declined.code).toBe(1)
    expect(questions[0]).toMatch(/Key without certificate/)
    expect(
      cliServices({ stdout: () => {}, stderr: () => {}, env, cwd: dir })
        .vault.list()
        .map((e) => e.id),
    ).toContain(bare.id)

    const deleted = await cli(['vault', 'delete', bare.id, '--yes', '--json'])
    expect(deleted.code).toBe(0)
    expect(JSON.parse(deleted.out)).toMatchObject({ deleted: true, id: bare.id })
    const confirmed = await cli(['vault', 'delete', root.id], async () => true)
    expect(confirmed.code).toBe(0)
    const ids = JSON.parse((await cli(['vault', 'list', '--json'])).out).map((r: { id: string }) => r.id)
    expect(ids).toEqual([leaf.id])
    expect(readFileSync(join(dir, 'activity.jsonl'), 'utf8')).toMatch(/"action":"key.delete","target":"Key without certificate"/)
    // Recorded as the app records a delete (the same KeyService): the key named by id and label.
    const entries = readFileSync(join(dir, 'activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(entries.filter((e) => e.action === 'key.delete' && e.objectId === bare.id)).toMatchObject([
      { objectName: 'Key without certificate' },
    ])
  })
})
