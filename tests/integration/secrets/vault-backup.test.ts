/**
 * Vault backup, restore and recovery (run under scripts/with-keyring.sh): a backup that openssl opens with every key,
 * restored after the user-data folder and the keychain entry are gone, keys that still sign for their certificates;
 * a wrong passphrase or a damaged file changes no byte; an id held by a different key is kept; a truncated index
 * lists the keys again with their labels.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type * as NodeFs from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { Keychain } from '../../../src/main/secrets/keychain'
import { DATA_KEY_ACCOUNT } from '../../../src/main/secrets/vault'
import { BACKUP_ITERATIONS } from '../../../src/main/secrets/vault-backup'
import { createServices } from '../../../src/main/services'
import { openssl, tempDir } from '../../support/tools'

// A kill between writing the restored key files and the index, on demand.
const fsControl = vi.hoisted(() => ({ failIndexRename: false }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>()
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      if (fsControl.failIndexRename && String(to).endsWith('index.json')) throw Object.assign(new Error('killed'), { code: 'EIO' })
      return fs.renameSync(from, to)
    },
  }
})

const PASSPHRASE = 'correct horse battery staple orbit'
const keychains: Keychain[] = []
const newKeychain = () => {
  const k = new Keychain(`certdesk-test-${randomBytes(6).toString('hex')}`)
  keychains.push(k)
  return k
}
const tmp = tempDir('certdesk-backup-')
let n = 0
const newApp = (secrets = newKeychain()) => {
  const dir = join(tmp.path, `user-data-${++n}`)
  return { dir, secrets, services: createServices({ userDataDir: dir, appVersion: 'test', secrets }) }
}

/** Every file under `dir` with its SHA-256: what "nothing changed" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex')
    }
  }
  walk(dir)
  return out
}

const source = newApp()
let backupFile: string
let rootId: string
let leafId: string
let bareId: string

beforeAll(async () => {
  const { vault, keys, activity } = source.services
  const root = await keys.newRoot({ cn: 'Backup Test Root', keyType: 'ec-p256', days: 3650, permittedDns: [] })
  rootId = root.key.id
  const leafKeys = await generateKey('rsa-2048')
  const csr = await createCsr({ keys: leafKeys, subject: { cn: 'backup-device' } })
  const caKey = await vault.privateKey(rootId)
  const signed = await signCsr({ caCertPem: root.certificatePem, caKey, csrPem: csr.pem, profile: 'client', days: 90 })
  const saved = await vault.save({ privateKey: leafKeys.privateKey, label: 'Zürich device', csrPem: csr.pem })
  leafId = (await vault.linkCertificate(saved.id, signed.certificatePem, { cloudflareId: 'cf-cert-1', zoneId: 'zone-1' })).id
  activity.record({
    action: 'clientCert.create',
    target: 'backup-device',
    objectId: leafId,
    objectName: 'Zürich device',
    detail: { keyId: leafId },
  })
  bareId = (await vault.save({ privateKey: (await generateKey('ec-p384')).privateKey, label: 'Key without certificate' })).id
  const started = performance.now()
  const result = await source.services.backups.backup(PASSPHRASE, async () => tmp.file('vault.p12'))
  console.info(`backup of 3 keys at ${BACKUP_ITERATIONS} PBKDF2/MAC iterations: ${Math.round(performance.now() - started)} ms`)
  backupFile = result.savedTo!
})

afterAll(async () => {
  for (const k of keychains) await k.delete(DATA_KEY_ACCOUNT)
  tmp.remove()
  await shutdownKeyPool()
})

describe('vault backup', () => {
  test('openssl opens it: every key, its certificate and label, paired by the key id; the manifest travels encrypted', async () => {
    expect(statSync(backupFile).mode & 0o777).toBe(0o600)
    const info = await openssl(['pkcs12', '-in', backupFile, '-info', '-nodes', '-passin', 'env:PASS'], { PASS: PASSPHRASE })
    expect(info.code, info.stderr).toBe(0)
    expect(info.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 600000, PRF hmacWithSHA256/)
    expect(info.stderr).toMatch(/MAC: sha256, Iteration 600000/)
    expect(info.stderr).toMatch(/AES-256-CBC/)
    const keyPems = info.stdout.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g) ?? []
    expect(keyPems).toHaveLength(3)
    const spki = (pem: string) => createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' }).toString('hex')
    const inFile = new Set(keyPems.map(spki))
    for (const id of [rootId, leafId, bareId]) expect(inFile.has(spki(await source.services.vault.exportPkcs8(id)))).toBe(true)
    // Bag attributes: the label as friendlyName, the key id as localKeyID (openssl prints it in hex).
    // (OpenSSL 3.0 prints a BMPString's non-ASCII letters as '?', so the ASCII labels are the ones compared.)
    expect(info.stdout).toContain('friendlyName: Root Backup Test Root')
    expect(info.stdout).toContain('friendlyName: Key without certificate')
    const spaced = (id: string) => id.toUpperCase().match(/../g)!.join(' ')
    expect(info.stdout).toContain(`localKeyID: ${spaced(leafId)}`)
    expect(info.stdout).toContain(`localKeyID: ${spaced(rootId)}`)
    // No label, link or activity in the clear.
    const raw = readFileSync(backupFile)
    expect(raw.includes(Buffer.from('cf-cert-1'))).toBe(false)
    expect(raw.includes(Buffer.from('certdesk-vault-backup'))).toBe(false)
  })

  test('a weak passphrase is refused before anything is written', async () => {
    const choose = vi.fn(async () => tmp.file('weak.p12'))
    await expect(source.services.backups.backup('password123', choose)).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'weak_passphrase' },
    })
    expect(choose).not.toHaveBeenCalled()
  })

  test('the backup is recorded: no CA key waits for one, verify finds every key', async () => {
    const status = source.services.backups.status()
    expect(status.last).toMatchObject({ path: backupFile, keys: 3 })
    expect(status.unbackedCaKeys).toEqual([])
    const verified = await source.services.backups.verify(readFileSync(backupFile), PASSPHRASE)
    expect(verified).toMatchObject({ keys: 3, missing: [], different: [], extra: [] })
  })
})

describe('restore', () => {
  test('after the user-data folder and the keychain entry are gone: every key signs for its certificate, with labels, links, activity', async () => {
    const data = readFileSync(backupFile)
    rmSync(source.dir, { recursive: true, force: true })
    await source.secrets.delete(DATA_KEY_ACCOUNT)
    const target = newApp(source.secrets)
    const result = await target.services.backups.restore(data, PASSPHRASE, backupFile)
    expect(result.restored.map((r) => r.id).sort()).toEqual([rootId, leafId, bareId].sort())
    expect(result.conflicts).toEqual([])
    expect(result.activity).toBeGreaterThanOrEqual(2)
    const { vault, activity } = target.services
    for (const id of [rootId, leafId]) {
      const entry = vault.get(id)
      const cert = new X509Certificate(entry.certificate!.pem)
      const message = Buffer.from(`signed by ${id}`)
      const signature = sign('sha256', message, createPrivateKey(await vault.exportPkcs8(id)))
      expect(verify('sha256', message, cert.publicKey, signature)).toBe(true)
    }
    expect(vault.get(leafId)).toMatchObject({ label: 'Zürich device', certificate: { cloudflareId: 'cf-cert-1', zoneId: 'zone-1' } })
    expect(vault.get(leafId).csrPem).toMatch(/BEGIN CERTIFICATE REQUEST/)
    expect(vault.get(bareId)).toMatchObject({ label: 'Key without certificate', keyType: 'ec-p384' })
    const actions = activity
      .list()
      .filter((e) => e.objectId === leafId || e.objectId === rootId)
      .map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['clientCert.create', 'key.createRoot']))
    // The same backup again: every key is already here, nothing is added, no activity doubled.
    const before = snapshot(join(target.dir, 'vault'))
    const again = await target.services.backups.restore(data, PASSPHRASE, backupFile)
    expect(again).toMatchObject({ restored: [], conflicts: [], activity: 0 })
    expect(again.alreadyHere).toHaveLength(3)
    expect(snapshot(join(target.dir, 'vault'))).toEqual(before)
  })

  test('wrong passphrase, truncated or altered file: one clear error and not a byte of the vault changed', async () => {
    const target = newApp()
    await target.services.vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'already here' })
    const before = snapshot(target.dir)
    const keychainBefore = await target.secrets.get(DATA_KEY_ACCOUNT)
    const data = readFileSync(backupFile)
    const altered = Buffer.from(data)
    altered[Math.floor(altered.length / 2)]! ^= 0x01
    const cases: [Uint8Array, string, RegExp][] = [
      [data, 'not the passphrase at all', /Wrong passphrase, or the backup was altered/],
      [data.subarray(0, data.length - 200), PASSPHRASE, /truncated or damaged/],
      [altered, PASSPHRASE, /Wrong passphrase, or the backup was altered|truncated or damaged/],
    ]
    for (const [bytes, passphrase, message] of cases) {
      await expect(target.services.backups.restore(bytes, passphrase, 'x.p12')).rejects.toMatchObject({ code: 'bad_input', message })
    }
    expect(snapshot(target.dir)).toEqual(before)
    expect(await target.secrets.get(DATA_KEY_ACCOUNT)).toBe(keychainBefore)
  })

  test('an id held here by a different key: that key is kept and the collision reported; the other keys are restored', async () => {
    const target = newApp()
    const data = readFileSync(backupFile)
    await target.services.backups.restore(data, PASSPHRASE, backupFile)
    const vaultDir = join(target.dir, 'vault', 'keys')
    // Put a different key under the leaf's id: what a restore from another machine could meet.
    const other = newApp()
    const stranger = await other.services.vault.save({ privateKey: (await generateKey('rsa-2048')).privateKey, label: 'stranger' })
    const strangerPem = await other.services.vault.exportPkcs8(stranger.id)
    await target.services.vault.delete(leafId)
    await target.services.vault.restore([
      {
        entry: { ...stranger, id: leafId, label: 'Local key with the same id' },
        pkcs8: createPrivateKey(strangerPem).export({ type: 'pkcs8', format: 'der' }),
      },
    ])
    const before = readFileSync(join(vaultDir, `${leafId}.key`))
    const result = await target.services.backups.restore(data, PASSPHRASE, backupFile)
    expect(result.conflicts).toEqual([{ id: leafId, label: 'Zürich device', keptLabel: 'Local key with the same id' }])
    expect(result.alreadyHere).toHaveLength(2)
    expect(readFileSync(join(vaultDir, `${leafId}.key`))).toEqual(before)
    expect(target.services.vault.get(leafId).label).toBe('Local key with the same id')
  })

  test('killed after the key files and before the index: nothing lost, the next start lists them', async () => {
    const target = newApp()
    fsControl.failIndexRename = true
    try {
      await expect(target.services.backups.restore(readFileSync(backupFile), PASSPHRASE, backupFile)).rejects.toThrow(/killed/)
    } finally {
      fsControl.failIndexRename = false
    }
    const restarted = createServices({ userDataDir: target.dir, appVersion: 'test', secrets: target.secrets })
    expect(
      restarted.vault
        .list()
        .map((e) => e.label)
        .sort(),
    ).toEqual(['Key without certificate', 'Root Backup Test Root', 'Zürich device'])
    expect(restarted.storageProblems[0]?.reason).toMatch(/rebuilt from the key files: 3 key\(s\) listed again/)
    const message = Buffer.from('after the crash')
    const signature = sign('sha256', message, createPrivateKey(await restarted.vault.exportPkcs8(rootId)))
    expect(verify('sha256', message, new X509Certificate(restarted.vault.get(rootId).certificate!.pem).publicKey, signature)).toBe(true)
  })
})

describe('recovery', () => {
  test('a truncated index.json: the keys are listed again at start-up with labels and links, and it is reported', async () => {
    const app = newApp()
    await app.services.backups.restore(readFileSync(backupFile), PASSPHRASE, backupFile)
    const index = join(app.dir, 'vault', 'keys', 'index.json')
    writeFileSync(index, readFileSync(index).subarray(0, 40))
    const restarted = createServices({ userDataDir: app.dir, appVersion: 'test', secrets: app.secrets })
    const listed = restarted.vault.list()
    expect(listed.map((e) => e.id).sort()).toEqual([rootId, leafId, bareId].sort())
    expect(restarted.vault.get(leafId)).toMatchObject({ label: 'Zürich device', certificate: { cloudflareId: 'cf-cert-1' } })
    const reasons = restarted.storageProblems.map((p) => p.reason).join('\n')
    expect(reasons).toMatch(/not valid JSON/)
    expect(reasons).toMatch(/rebuilt from the key files: 3 key\(s\) listed again/)
    expect(await restarted.vault.exportPkcs8(leafId)).toMatch(/BEGIN PRIVATE KEY/)
    // A deleted index too.
    rmSync(index)
    expect(createServices({ userDataDir: app.dir, appVersion: 'test', secrets: app.secrets }).vault.list()).toHaveLength(3)
  })

  test('a missing keychain data key: says what survives and points to the last backup', async () => {
    const app = newApp()
    await app.services.vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'will be orphaned' })
    await app.services.backups.backup(PASSPHRASE, async () => join(app.dir, 'last.p12'))
    await app.secrets.delete(DATA_KEY_ACCOUNT)
    const restarted = createServices({ userDataDir: app.dir, appVersion: 'test', secrets: app.secrets })
    const id = restarted.vault.list()[0]!.id
    const error = await restarted.vault.exportPkcs8(id).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'keychain_entry_missing',
      message: expect.stringMatching(/labels, certificates and links are intact; the private keys cannot be recovered/),
      hint: expect.stringContaining(`The last backup of this vault is ${join(app.dir, 'last.p12')}`),
    })
  })
})
