/**
 * Every way a certificate or a vault key leaves the app, through dispatch (as IPC runs it), with
 * openssl as the referee: PEM and DER certificates, encrypted and unencrypted PKCS#8, PKCS#12 with
 * the vault CA's chain, any listed certificate saved, and what the activity log says of each.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHandlers } from '../../../src/main/handlers'
import { signCsr } from '../../../src/main/pki/ca'
import { createServices } from '../../../src/main/services'
import type { ClientCertificateSummary } from '../../../src/shared/cloudflare-model'
import type { ActivityEntry, Profile } from '../../../src/shared/model'
import type { VaultEntry } from '../../../src/shared/pki-model'
import { ipcCaller, memorySecrets } from '../../support/services'

const exportsDir = mkdtempSync(join(tmpdir(), 'certdesk-exports-'))
let answer: 'save' | 'cancel' = 'save'
const services = createServices({
  userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-exports-data-')),
  appVersion: 'test',
  secrets: memorySecrets(),
  // Each save lands in a new file (a random prefix), or the dialog is cancelled.
  dialogs: {
    saveFile: async ({ defaultName }) => (answer === 'save' ? join(exportsDir, `${randomBytes(3).toString('hex')}-${defaultName}`) : null),
  },
})
const handlers = createHandlers(services)
const responses: unknown[] = []
const call = ipcCaller(handlers, { record: responses })
const openssl = (args: string[], env: Record<string, string> = {}) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } })
/** The SHA-256 fingerprint openssl computes, as Cloudflare writes it (lowercase hex, no colons). */
const fingerprint = (file: string, inform: 'PEM' | 'DER') => {
  const line = openssl(['x509', '-inform', inform, '-in', file, '-noout', '-fingerprint', '-sha256'])
  return line.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()
}
/** How many certificates openssl finds in a PKCS#12 with the test password. */
const p12Count = (file: string, extra: string[] = []) =>
  openssl(['pkcs12', '-in', file, '-nokeys', '-passin', 'env:P', ...extra], { P: 'p12-password' }).match(/BEGIN CERTIFICATE/g)?.length ?? 0
const saved = async (request: unknown) => (await call<{ savedTo: string }>('keys:export', request)).savedTo
const lastActivity = async () => (await call<ActivityEntry[]>('activity:list', { limit: 1 }))[0]!

let profile: Profile
let cfKey: VaultEntry

beforeAll(async () => {
  profile = await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
  const cn = 'Zürich device 7'
  const { key } = await call<{ key: VaultEntry }>('keys:newCsr', { keyType: 'ec-p256', subject: { cn }, label: cn })
  const issue = { profileId: profile.id, zoneId: profile.zones[0]!.id, keyId: key.id, validityDays: 365 }
  cfKey = (await call<{ key: VaultEntry }>('clientCerts:issueForKey', issue)).key
})
afterAll(() => services.close())

describe('a Cloudflare-issued certificate and its vault key', () => {
  test('certificate as DER (.cer): openssl reads it as DER, the file name keeps the ü, activity says certificate.save', async () => {
    const der = await saved({ id: cfKey.id, format: 'certificate-der' })
    expect(basename(der)).toMatch(/-Zürich_device_7\.cer$/)
    expect(readFileSync(der).subarray(0, 1)[0]).toBe(0x30)
    expect(openssl(['x509', '-inform', 'DER', '-in', der, '-noout', '-subject'])).toMatch(/Zürich device 7|Z\\C3\\BCrich device 7/)
    const entry = { action: 'certificate.save', target: 'Zürich device 7', detail: { format: 'certificate-der' } }
    expect(await lastActivity()).toMatchObject(entry)
    const pem = await saved({ id: cfKey.id, format: 'certificate-pem' })
    expect(fingerprint(pem, 'PEM')).toBe(fingerprint(der, 'DER'))
    expect(statSync(pem).mode & 0o777).toBe(0o644)
    expect((await lastActivity()).action).toBe('certificate.save')
  })

  test('encrypted PKCS#8: openssl pkcs8 decrypts it with the password only; activity says key.export', async () => {
    const keyPath = await saved({ id: cfKey.id, format: 'key-pkcs8-encrypted', password: 'correct horse' })
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    expect(statSync(keyPath).mode & 0o777).toBe(0o600)
    const clear = openssl(['pkcs8', '-in', keyPath, '-passin', 'env:P'], { P: 'correct horse' })
    expect(clear).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(() => openssl(['pkcs8', '-in', keyPath, '-passin', 'env:P'], { P: 'wrong horse!' })).toThrow()
    expect(await lastActivity()).toMatchObject({ action: 'key.export', detail: { format: 'key-pkcs8-encrypted' } })
  })

  test('unencrypted PEM key (for nginx and curl): no password, 0600, the certificate’s public key', async () => {
    const keyPath = await saved({ id: cfKey.id, format: 'key-pem-unencrypted' })
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(statSync(keyPath).mode & 0o777).toBe(0o600)
    expect(await lastActivity()).toMatchObject({ action: 'key.export', detail: { format: 'key-pem-unencrypted' } })
    const cert = await saved({ id: cfKey.id, format: 'certificate-pem' })
    expect(openssl(['pkey', '-in', keyPath, '-pubout'])).toBe(openssl(['x509', '-in', cert, '-noout', '-pubkey']))
  })

  test('PKCS#12: the leaf alone, since Cloudflare’s API does not hand out the zone’s managed CA certificate', async () => {
    const p12 = await saved({ id: cfKey.id, format: 'pkcs12', password: 'p12-password' })
    const info = openssl(['pkcs12', '-in', p12, '-info', '-nokeys', '-passin', 'env:P'], { P: 'p12-password' })
    expect(info.match(/BEGIN CERTIFICATE/g)).toHaveLength(1)
  })

  test('a cancelled dialog writes nothing and records nothing', async () => {
    const before = await lastActivity()
    answer = 'cancel'
    try {
      expect(await call('keys:export', { id: cfKey.id, format: 'key-pem-unencrypted' })).toEqual({ savedTo: null })
    } finally {
      answer = 'save'
    }
    expect(await lastActivity()).toEqual(before)
  })
})

describe('a certificate issued by a CA in the vault', () => {
  test('PKCS#12 carries the vault CA: openssl pkcs12 -info shows the chain, and the leaf verifies against it', async () => {
    const rootRequest = { cn: 'Local Device Root', keyType: 'ec-p256', days: 3650 }
    const root = await call<{ key: VaultEntry; certificatePem: string }>('keys:newRoot', rootRequest)
    const leaf = await call<{ key: VaultEntry; csrPem: string }>('keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'sensor-9' } })
    const caKey = await services.vault.privateKey(root.key.id)
    const signed = await signCsr({ caCertPem: root.certificatePem, caKey, csrPem: leaf.csrPem, profile: 'client', days: 365 })
    await services.vault.linkCertificate(leaf.key.id, signed.certificatePem)

    const p12 = await saved({ id: leaf.key.id, format: 'pkcs12', password: 'p12-password' })
    const info = openssl(['pkcs12', '-in', p12, '-info', '-nokeys', '-passin', 'env:P'], { P: 'p12-password' })
    expect(info.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(info).toMatch(/subject=CN\s*=\s*sensor-9/)
    expect(info).toMatch(/subject=CN\s*=\s*Local Device Root/)
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-p12-chain-'))
    const part = (flag: string, file: string) =>
      writeFileSync(join(dir, file), openssl(['pkcs12', '-in', p12, '-nokeys', flag, '-passin', 'env:P'], { P: 'p12-password' }))
    part('-cacerts', 'ca.pem')
    part('-clcerts', 'leaf.pem')
    expect(openssl(['verify', '-x509_strict', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')])).toContain(': OK')
    const legacy = await saved({ id: leaf.key.id, format: 'pkcs12-legacy', password: 'p12-password' })
    expect(p12Count(legacy, ['-legacy'])).toBe(2)
    expect(await lastActivity()).toMatchObject({ action: 'key.export', detail: { format: 'pkcs12-legacy', chainCertificates: 1 } })

    // The root's own PKCS#12 does not repeat itself as its chain.
    const rootP12 = await saved({ id: root.key.id, format: 'pkcs12', password: 'p12-password' })
    expect(p12Count(rootP12)).toBe(1)
  })
})

describe('certificates:save — any certificate in the list, vault or not', () => {
  test('PEM and DER of a listed certificate, named after it, recorded as certificate.save', async () => {
    const scope = { profileId: profile.id, zoneId: profile.zones[0]!.id, status: 'active' }
    const listed = await call<ClientCertificateSummary[]>('clientCerts:list', scope)
    const other = listed.find((c) => c.certificate && c.id !== cfKey.certificate?.cloudflareId)!
    const save = async (format: string) =>
      (await call<{ savedTo: string }>('certificates:save', { pem: other.certificate, format, name: other.commonName })).savedTo
    const pem = await save('certificate-pem')
    const der = await save('certificate-der')
    expect(der.endsWith('.cer')).toBe(true)
    expect(fingerprint(der, 'DER')).toBe(other.fingerprintSha256)
    expect(fingerprint(pem, 'PEM')).toBe(other.fingerprintSha256)
    const entry = { action: 'certificate.save', target: other.commonName, detail: { format: 'certificate-der' } }
    expect(await lastActivity()).toMatchObject(entry)
  })

  test('a CSR or garbage is refused with what it is, and nothing is written', async () => {
    const csr = cfKey.csrPem!
    await expect(call('certificates:save', { pem: csr, format: 'certificate-der', name: 'x' })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/certificate signing request/),
    })
    const garbage = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
    const saved = call('certificates:save', { pem: garbage, format: 'certificate-pem', name: 'x' })
    await expect(saved).rejects.toMatchObject({ code: 'bad_input' })
  })
})

test('no response ever carried a private key', () => {
  expect(JSON.stringify(responses)).not.toMatch(/PRIVATE KEY/)
})
