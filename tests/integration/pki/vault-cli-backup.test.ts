/**
 * `certdesk vault import|backup|verify|restore` and `ca new --vault` against the app's own vault, with openssl as the
 * referee for the backup, and the exit codes: 0 done, 1 a check failed (keys missing from a backup), 2 bad input.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { CliIo } from '../../../src/cli/command'
import { runCli } from '../../../src/cli/run'
import { appServices as cliServices } from '../../../src/cli/app-services'
import { createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { privateKeyPem } from '../../../src/main/keys/material'
import { exportPkcs8Der, generateKey } from '../../../src/main/pki/keys'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-vault-backup-cli-'))
const PASSPHRASE = 'granite tulip orbit lantern 42'
const home = join(dir, 'home')
const other = join(dir, 'other')
const envFor = (userData: string, extra: Record<string, string> = {}) => ({
  CERTDESK_USER_DATA: userData,
  CERTDESK_BACKUP_PASSPHRASE: PASSPHRASE,
  ...extra,
})

async function cli(argv: string[], env: NodeJS.ProcessEnv, secret?: (q: string) => Promise<string>) {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: dir, ...(secret ? { secret } : {}) }
  const code = await runCli(argv, io, 'test')
  return { code, out, err }
}

afterAll(() => {
  for (const d of [home, other]) cliServices({ stdout: () => {}, stderr: () => {}, env: envFor(d), cwd: dir }).close()
  rmSync(dir, { recursive: true, force: true })
})

describe('certdesk ca new --vault, vault import', () => {
  test('a root CA whose key stays in the vault; a key file with its certificate imported once', async () => {
    const made = await cli(
      ['ca', 'new', '--vault', '--cn', 'CLI Vault Root', '--type', 'ec-p256', '--out-cert', 'root.pem', '--json'],
      envFor(home),
    )
    expect(made.code, made.err).toBe(0)
    const root = JSON.parse(made.out) as { id: string; label: string }
    expect(root.label).toBe('Root CLI Vault Root')
    expect(readFileSync(join(dir, 'root.pem'), 'utf8')).toMatch(/BEGIN CERTIFICATE/)
    const bad = await cli(['ca', 'new', '--vault', '--cn', 'X', '--out-key', 'k.pem'], envFor(home))
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/--out-key does not go with --vault/)
    expect(existsSync(join(dir, 'k.pem'))).toBe(false)

    const ca = await createRootCa({ cn: 'Outside CA', keyType: 'ec-p256', days: 30 })
    const keys = await generateKey('ec-p256')
    const csr = await createCsr({ keys, subject: { cn: 'imported-device' } })
    const signed = await signCsr({ caCertPem: ca.certificatePem, caKey: ca.privateKey, csrPem: csr.pem, profile: 'client', days: 30 })
    execFileSync('sh', ['-c', `cat > ${join(dir, 'device.pem')}`], { input: signed.certificatePem })
    execFileSync('sh', ['-c', `umask 077; cat > ${join(dir, 'device.key')}`], { input: await privateKeyPem(keys.privateKey) })
    const imported = await cli(
      ['vault', 'import', 'device.key', '--label', 'Imported device', '--cert', 'device.pem', '--json'],
      envFor(home),
    )
    expect(imported.code, imported.err).toBe(0)
    expect(JSON.parse(imported.out)).toMatchObject({ label: 'Imported device', existing: false, hasCertificate: true })
    const again = await cli(['vault', 'import', 'device.key', '--label', 'Twice'], envFor(home))
    expect(again.code).toBe(0)
    expect(again.out).toMatch(/holds this key already, as "Imported device"/)
    const wrongCert = await cli(['vault', 'import', 'device.key', '--label', 'x', '--cert', 'root.pem'], envFor(other))
    expect(wrongCert.code).toBe(2)
    expect(wrongCert.err).toMatch(/different key pair|not .* this key|does not match/i)
  })
})

describe('certdesk vault backup|verify|restore', () => {
  test('backup: passphrase from the environment or asked twice; openssl opens the file with every key', async () => {
    const noPassphrase = await cli(['vault', 'backup', '--out', 'none.p12'], { CERTDESK_USER_DATA: home })
    expect(noPassphrase.code).toBe(2)
    expect(noPassphrase.err).toMatch(/CERTDESK_BACKUP_PASSPHRASE/)
    const weak = await cli(['vault', 'backup', '--out', 'weak.p12'], envFor(home, { CERTDESK_BACKUP_PASSPHRASE: 'letmein1' }))
    expect(weak.code).toBe(2)
    expect(weak.err).toMatch(/too easy to guess/)
    expect(existsSync(join(dir, 'weak.p12'))).toBe(false)
    const answers = ['one passphrase here', 'another one here']
    const differ = await cli(['vault', 'backup', '--out', 'differ.p12'], { CERTDESK_USER_DATA: home }, async () => answers.shift()!)
    expect(differ.code).toBe(2)
    expect(differ.err).toMatch(/the two passphrases differ/)

    const asked: string[] = []
    const prompted = await cli(['vault', 'backup', '--out', 'vault.p12', '--json'], { CERTDESK_USER_DATA: home }, async (q) => {
      asked.push(q)
      return PASSPHRASE
    })
    expect(prompted.code, prompted.err).toBe(0)
    expect(asked).toHaveLength(2)
    expect(JSON.parse(prompted.out)).toMatchObject({ keys: 2 })
    const file = join(dir, 'vault.p12')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const info = execFileSync('openssl', ['pkcs12', '-in', file, '-info', '-nodes', '-passin', 'env:X'], {
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, X: PASSPHRASE },
    })
    expect(info.match(/BEGIN PRIVATE KEY/g)).toHaveLength(2)
    expect(info).toContain('friendlyName: Imported device')
    const exists = await cli(['vault', 'backup', '--out', 'vault.p12'], envFor(home))
    expect(exists.code).toBe(2)
  })

  test('verify: 0 when every key is in the backup, 1 naming a key that is not, 2 for a wrong passphrase', async () => {
    const ok = await cli(['vault', 'verify', 'vault.p12'], envFor(home))
    expect(ok.code, ok.err).toBe(0)
    expect(ok.out).toMatch(/Every key of this vault is in it/)
    await cliServices({ stdout: () => {}, stderr: () => {}, env: envFor(home), cwd: dir }).vault.save({
      privateKey: (await generateKey('ec-p256')).privateKey,
      label: 'Made after the backup',
    })
    const missing = await cli(['vault', 'verify', 'vault.p12', '--json'], envFor(home))
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.out)).toMatchObject({ ok: false, missing: [{ label: 'Made after the backup' }] })
    const wrong = await cli(['vault', 'verify', 'vault.p12'], envFor(home, { CERTDESK_BACKUP_PASSPHRASE: 'not it at all, sorry' }))
    expect(wrong.code).toBe(2)
    expect(wrong.err).toMatch(/Wrong passphrase/)
  })

  test('restore into another user-data folder: 0 with every key; a damaged file is exit 2 and adds nothing', async () => {
    const data = readFileSync(join(dir, 'vault.p12'))
    execFileSync('sh', ['-c', `cat > ${join(dir, 'cut.p12')}`], { input: data.subarray(0, 300) })
    const cut = await cli(['vault', 'restore', 'cut.p12'], envFor(other))
    expect(cut.code).toBe(2)
    expect(cut.err).toMatch(/truncated or damaged/)
    const listBefore = JSON.parse((await cli(['vault', 'list', '--json'], envFor(other))).out) as unknown[]
    expect(listBefore).toEqual([])
    const restored = await cli(['vault', 'restore', 'vault.p12', '--json'], envFor(other))
    expect(restored.code, restored.err).toBe(0)
    expect(JSON.parse(restored.out)).toMatchObject({ conflicts: [] })
    const labels = (JSON.parse((await cli(['vault', 'list', '--json'], envFor(other))).out) as { label: string }[]).map((r) => r.label)
    expect(labels.sort()).toEqual(['Imported device', 'Root CLI Vault Root'])
    const again = await cli(['vault', 'restore', 'vault.p12'], envFor(other))
    expect(again.code).toBe(0)
    expect(again.out).toMatch(/Restored 0 key\(s\)\.\n2 key\(s\) were here already/)
  })

  test('restore: exit 1 naming an id held here by a different key, which is kept', async () => {
    const { vault } = cliServices({ stdout: () => {}, stderr: () => {}, env: envFor(other), cwd: dir })
    const imported = vault.list().find((e) => e.label === 'Imported device')!
    await vault.delete(imported.id)
    const stranger = await generateKey('ec-p256')
    const pkcs8 = await exportPkcs8Der(stranger.privateKey)
    await vault.restore([{ entry: { ...imported, label: 'Local key', certificate: undefined }, pkcs8 }])
    const result = await cli(['vault', 'restore', 'vault.p12'], envFor(other))
    expect(result.code).toBe(1)
    expect(result.out).toContain(`Not restored: "Imported device" (${imported.id}): that id is held here by a different key, "Local key"`)
    expect(vault.get(imported.id).label).toBe('Local key')
  })
})
