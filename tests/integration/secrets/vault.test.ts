/**
 * The key vault against a real Secret Service (run under scripts/with-keyring.sh): keys survive a
 * restart, are unreadable without their data key, an interrupted write keeps the previous file,
 * and delete wipes the bytes before unlinking.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type * as NodeFs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { createRootCa, signCsr } from '../../../src/main/pki/ca'
import { createCsr } from '../../../src/main/pki/csr'
import { exportPkcs8Der, generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { importPkcs12 } from '../../../src/main/pki/pkcs12'
import { Keychain } from '../../../src/main/secrets/keychain'
import { DATA_KEY_ACCOUNT, KeyVault } from '../../../src/main/secrets/vault'

// A crash between writing the temp file and renaming it over the target, on demand.
const fsControl = vi.hoisted(() => ({ failRename: false }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>()
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      if (fsControl.failRename) throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' })
      return fs.renameSync(from, to)
    },
  }
})

const service = `certdesk-test-${randomBytes(6).toString('hex')}`
const keychain = new Keychain(service)
const dirs: string[] = []
const newDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'certdesk-vault-'))
  dirs.push(d)
  return d
}

afterAll(async () => {
  await keychain.delete(DATA_KEY_ACCOUNT)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  await shutdownKeyPool()
})

describe('KeyVault', () => {
  test('save, list, reopen after a restart, export, link a certificate, PKCS#12 round trip', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const dir = newDir()
    const vault = new KeyVault(dir, keychain)
    const keys = await generateKey('ec-p256')
    const csr = await createCsr({ keys, subject: { cn: 'vault-device' } })
    const entry = await vault.save({ privateKey: keys.privateKey, label: 'vault device', csrPem: csr.pem })
    expect(entry).toMatchObject({ keyType: 'ec-p256', label: 'vault device' })
    expect(await keychain.get(DATA_KEY_ACCOUNT)).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    // On disk: 0600, not the PKCS#8 bytes, and the index holds no key material.
    const file = join(dir, 'keys', `${entry.id}.key`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const pkcs8 = Buffer.from(await exportPkcs8Der(keys.privateKey))
    expect(readFileSync(file).includes(pkcs8.subarray(-32))).toBe(false)
    expect(readFileSync(join(dir, 'keys', 'index.json'), 'utf8')).not.toContain(pkcs8.toString('base64').slice(0, 40))

    // A new instance (app restart) reads the same key back.
    const again = new KeyVault(dir, keychain)
    expect(again.list().map((e) => e.id)).toEqual([entry.id])
    expect(Buffer.from(await exportPkcs8Der(await again.privateKey(entry.id)))).toEqual(pkcs8)
    expect(again.findByCsr(csr.pem.replace(/\n/g, '\r\n'))?.id).toBe(entry.id)
    expect(again.findByCsr((await createCsr({ keys, subject: { cn: 'other' } })).pem)).toBeUndefined()
    expect(await again.exportPkcs8(entry.id, 'pw')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)

    const root = await createRootCa({ cn: 'Vault Root', keyType: 'ec-p256', days: 30 })
    const cert = await signCsr({ caCertPem: root.certificatePem, caKey: root.privateKey, csrPem: csr.pem, profile: 'client', days: 10 })
    const linked = await again.linkCertificate(entry.id, cert.certificatePem, { cloudflareId: 'cf-123', zoneId: 'zone-9' })
    expect(linked.certificate).toMatchObject({ cloudflareId: 'cf-123', zoneId: 'zone-9', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const p12 = await again.exportPkcs12(entry.id, 'p12-pass', { chainPems: [root.certificatePem] })
    const opened = await importPkcs12(p12, 'p12-pass')
    expect(Buffer.from(opened.privateKey!)).toEqual(pkcs8)
    expect(opened.certificates).toHaveLength(2)
    // A certificate for another key is refused.
    await expect(again.linkCertificate(entry.id, root.certificatePem)).rejects.toMatchObject({
      code: 'bad_input',
      details: { reason: 'key_mismatch' },
    })
  })

  test('a file is unreadable with another data key, and a missing keychain entry is named as such', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const dir = newDir()
    const vault = new KeyVault(dir, keychain)
    const entry = await vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'locked' })
    const original = await keychain.get(DATA_KEY_ACCOUNT)

    await keychain.set(DATA_KEY_ACCOUNT, randomBytes(32).toString('base64'))
    await expect(new KeyVault(dir, keychain).privateKey(entry.id)).rejects.toMatchObject({
      code: 'storage_corrupt',
      message: expect.stringContaining('could not be decrypted'),
    })

    await keychain.delete(DATA_KEY_ACCOUNT)
    const orphaned = new KeyVault(dir, keychain)
    expect(orphaned.list()).toHaveLength(1)
    await expect(orphaned.privateKey(entry.id)).rejects.toMatchObject({
      code: 'keychain_entry_missing',
      message: expect.stringContaining('missing from the system keychain'),
      hint: expect.stringContaining(DATA_KEY_ACCOUNT),
    })
    // Saving must not mint a new data key that would strand the existing files.
    await expect(orphaned.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'new' })).rejects.toMatchObject({
      code: 'keychain_entry_missing',
    })
    expect(await keychain.get(DATA_KEY_ACCOUNT)).toBeNull()

    await keychain.set(DATA_KEY_ACCOUNT, original!)
    expect((await new KeyVault(dir, keychain).privateKey(entry.id)).type).toBe('private')
  })

  test('parallel first saves share one data key: every key decrypts afterwards', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const dir = newDir()
    const vault = new KeyVault(dir, keychain)
    const pairs = await Promise.all(Array.from({ length: 6 }, () => generateKey('ec-p256')))
    const entries = await Promise.all(pairs.map((k, i) => vault.save({ privateKey: k.privateKey, label: `parallel ${i}` })))
    const restarted = new KeyVault(dir, keychain)
    expect(restarted.list()).toHaveLength(6)
    for (const [i, entry] of entries.entries()) {
      expect(Buffer.from(await exportPkcs8Der(await restarted.privateKey(entry.id)))).toEqual(
        Buffer.from(await exportPkcs8Der(pairs[i]!.privateKey)),
      )
    }
  })

  test('a file renamed to another id does not decrypt (the id is authenticated)', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const dir = newDir()
    const vault = new KeyVault(dir, keychain)
    const a = await vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'a' })
    const b = await vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'b' })
    writeFileSync(join(dir, 'keys', `${b.id}.key`), readFileSync(join(dir, 'keys', `${a.id}.key`)))
    await expect(vault.privateKey(b.id)).rejects.toMatchObject({ code: 'storage_corrupt' })
    expect((await vault.privateKey(a.id)).type).toBe('private')
  })

  test('an interrupted write leaves the previous files intact and loses nothing', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const dir = newDir()
    const vault = new KeyVault(dir, keychain)
    const first = await vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'first' })
    const indexBefore = readFileSync(join(dir, 'keys', 'index.json'))
    const keyBefore = readFileSync(join(dir, 'keys', `${first.id}.key`))
    fsControl.failRename = true
    try {
      await expect(vault.save({ privateKey: (await generateKey('ec-p256')).privateKey, label: 'second' })).rejects.toThrow(
        'simulated crash',
      )
      await expect(vault.linkCertificate(first.id, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).rejects.toMatchObject(
        { code: 'bad_input' },
      )
    } finally {
      fsControl.failRename = false
    }
    expect(readFileSync(join(dir, 'keys', 'index.json'))).toEqual(indexBefore)
    expect(readFileSync(join(dir, 'keys', `${first.id}.key`))).toEqual(keyBefore)
    // No temp files or orphans left behind; a restarted vault sees exactly the first key.
    // (the key file, its description, the index)
    expect(readdirSync(join(dir, 'keys')).sort()).toEqual([`${first.id}.json`, `${first.id}.key`, 'index.json'].sort())
    const restarted = new KeyVault(dir, keychain)
    expect(restarted.list().map((e) => e.label)).toEqual(['first'])
    expect((await restarted.privateKey(first.id)).type).toBe('private')
  })

  test('delete overwrites the key bytes in place, unlinks, and drops the entry', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const dir = newDir()
    const vault = new KeyVault(dir, keychain)
    const entry = await vault.save({ privateKey: (await generateKey('rsa-2048')).privateKey, label: 'doomed' })
    const file = join(dir, 'keys', `${entry.id}.key`)
    const before = readFileSync(file)
    // A hard link shares the inode, so it shows what was written over the file's blocks.
    const witness = join(dir, 'witness')
    linkSync(file, witness)
    await vault.delete(entry.id)
    expect(existsSync(file)).toBe(false)
    const after = readFileSync(witness)
    expect(after.length).toBe(before.length)
    expect(after.equals(before)).toBe(false)
    expect(after.subarray(0, 4).toString()).not.toBe('CDV1')
    expect(vault.list()).toEqual([])
    expect(new KeyVault(dir, keychain).list()).toEqual([])
    await expect(vault.privateKey(entry.id)).rejects.toMatchObject({ code: 'not_found' })
    await expect(vault.delete(entry.id)).rejects.toMatchObject({ code: 'not_found' })
  })

  test('bad input: empty label, PKCS#12 without a certificate, unknown id', async () => {
    await keychain.delete(DATA_KEY_ACCOUNT)
    const vault = new KeyVault(newDir(), keychain)
    const keys = await generateKey('ec-p384')
    await expect(vault.save({ privateKey: keys.privateKey, label: '  ' })).rejects.toMatchObject({
      code: 'bad_input',
      message: 'A saved key needs a label.',
    })
    const entry = await vault.save({ privateKey: keys.privateKey, label: 'p384' })
    expect(entry.keyType).toBe('ec-p384')
    await expect(vault.exportPkcs12(entry.id, 'pw')).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('has no certificate yet'),
    })
    expect(() => vault.get('../../etc/passwd')).toThrow(expect.objectContaining({ code: 'not_found' }))
  })
})
