/**
 * The KeyService on its own, as the IPC handlers and the CLI use it: against the app's Sandbox
 * profile, with a real vault (in-memory keychain) and openssl as the referee.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { KeyService } from '../../../src/main/keys/service'
import { KeyVault } from '../../../src/main/secrets/vault'
import { createServices } from '../../../src/main/services'
import type { ClientCertificateSummary } from '../../../src/shared/cloudflare-model'
import type { Profile } from '../../../src/shared/model'
import type { VaultEntry } from '../../../src/shared/pki-model'
import { memorySecrets } from '../../support/services'

const userDataDir = mkdtempSync(join(tmpdir(), 'certdesk-keys-'))
const secrets = memorySecrets()
const services = createServices({ userDataDir, appVersion: 'test', secrets })
const { keys } = services
const handlers = createHandlers(services)
let profile: Profile

/** Client certificates at the Sandbox for this zone, through the app's own channel. */
async function certificatesAtCloudflare(zoneId: string): Promise<ClientCertificateSummary[]> {
  const result = await dispatch(handlers, 'clientCerts:list', { profileId: profile.id, zoneId, status: 'all' }, { emit: () => {} })
  if (!result.ok) throw new Error(result.error.message)
  return result.value as ClientCertificateSummary[]
}

const activityFor = (objectId: string) => services.activity.list().filter((e) => e.objectId === objectId)

beforeAll(async () => {
  profile = await services.profiles.add({ kind: 'sandbox', name: 'Sandbox' })
})
afterAll(() => services.close())

describe('issue for a vault key', () => {
  test('issues the key’s CSR and links the certificate to the key in the vault', async () => {
    const zoneId = profile.zones[0]!.id
    const { key } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'kiosk-7' }, sans: [] })
    const issued = await keys.issueForKey({ profileId: profile.id, zoneId, keyId: key.id, validityDays: 30 })
    const stored = keys.entries().find((e) => e.id === key.id)!
    expect(stored.certificate?.cloudflareId).toBe(issued.certificate.id)
    expect(stored.certificate?.pem).toContain('BEGIN CERTIFICATE')
    expect(issued.key.certificate?.sha256).toBe(stored.certificate?.sha256)
    // The linked certificate is the key's: openssl derives the same public key from both.
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-keys-link-'))
    writeFileSync(join(dir, 'cert.pem'), stored.certificate!.pem)
    writeFileSync(join(dir, 'csr.pem'), stored.csrPem!)
    const fromCert = execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-pubkey'], { encoding: 'utf8' })
    const fromCsr = execFileSync('openssl', ['req', '-in', join(dir, 'csr.pem'), '-noout', '-pubkey'], { encoding: 'utf8' })
    expect(fromCert).toBe(fromCsr)
    expect((await certificatesAtCloudflare(zoneId)).filter((c) => c.id === issued.certificate.id)).toHaveLength(1)
  })

  test('a refused issue leaves the key unlinked and usable: issuing again links exactly one certificate', async () => {
    const zoneId = profile.zones[0]!.id
    const { key } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'kiosk-8' }, sans: [] })
    const before = (await certificatesAtCloudflare(zoneId)).length
    // A zone Cloudflare does not know: the create is refused.
    await expect(
      keys.issueForKey({ profileId: profile.id, zoneId: 'f'.repeat(32), keyId: key.id, validityDays: 30 }),
    ).rejects.toMatchObject({ code: 'not_found' })
    expect(keys.entries().find((e) => e.id === key.id)?.certificate).toBeUndefined()
    expect(await certificatesAtCloudflare(zoneId)).toHaveLength(before)

    const issued = await keys.issueForKey({ profileId: profile.id, zoneId, keyId: key.id, validityDays: 30 })
    expect(keys.entries().find((e) => e.id === key.id)?.certificate?.cloudflareId).toBe(issued.certificate.id)
    expect(await certificatesAtCloudflare(zoneId)).toHaveLength(before + 1)
  })

  test('a key without a CSR is refused before Cloudflare is asked', async () => {
    const { key } = await keys.newRoot({ cn: 'Not a client', keyType: 'ec-p256', days: 30, permittedDns: [] })
    const zoneId = profile.zones[0]!.id
    await expect(keys.issueForKey({ profileId: profile.id, zoneId, keyId: key.id, validityDays: 30 })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/has no CSR/),
    })
  })
})

describe('roots into the vault', () => {
  test('a root whose certificate cannot be linked leaves no key behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-keys-link-fails-'))
    class LinkFails extends KeyVault {
      override async linkCertificate(): Promise<VaultEntry> {
        throw new Error('the disk is full')
      }
    }
    const vault = new LinkFails(dir, memorySecrets())
    const { activity, issuer, cloudflare } = services
    const failing = new KeyService({ vault, activity, issuer, cloudflare })
    await expect(failing.newRoot({ cn: 'Half made', keyType: 'ec-p256', days: 30, permittedDns: [] })).rejects.toThrow(/disk is full/)
    await expect(failing.generateGatewayRoot({ cn: 'Half made', keyType: 'rsa-2048', days: 30 })).rejects.toThrow(/disk is full/)
    expect(vault.list()).toEqual([])
    expect(readdirSync(join(dir, 'keys')).filter((f) => f !== 'index.json')).toEqual([])
  })

  test('an imported Gateway root is kept once and recorded with its key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-keys-import-'))
    const [cert, keyFile] = [join(dir, 'root.pem'), join(dir, 'root.key')]
    const ca = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']
    const subject = ['-subj', '/CN=Corp Inspection/O=Example', '-days', '365']
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', cert, ...subject, ...ca])
    const request = { certificatePem: readFileSync(cert, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') }
    const count = keys.entries().length
    const imported = await keys.importGatewayRoot(request)
    expect(imported.key?.label).toBe('Gateway root Corp Inspection')
    expect(activityFor(imported.key!.id)).toMatchObject([{ action: 'gateway.importRoot', objectName: 'Corp Inspection' }])
    const again = await keys.importGatewayRoot(request)
    expect(again.key?.id).toBe(imported.key!.id)
    expect(keys.entries()).toHaveLength(count + 1)
  })
})

describe('delete and export', () => {
  test('delete asks first: "no" keeps the key and records nothing; "yes" removes it and records it', async () => {
    const { key } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'to-delete' }, sans: [] })
    const askedAbout: string[] = []
    const kept = await keys.delete(key.id, async (entry) => (askedAbout.push(entry.label), false))
    expect(kept.deleted).toBe(false)
    expect(askedAbout).toEqual(['to-delete'])
    expect(keys.entries().some((e) => e.id === key.id)).toBe(true)
    expect(activityFor(key.id).map((e) => e.action)).toEqual(['key.create'])

    expect((await keys.delete(key.id, async () => true)).deleted).toBe(true)
    expect(keys.entries().some((e) => e.id === key.id)).toBe(false)
    expect(activityFor(key.id).map((e) => e.action)).toContain('key.delete')
  })

  test('export writes where the caller chose (0600 for a key, openssl reads it); a cancel writes nothing', async () => {
    const { key } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'exported' }, sans: [] })
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-keys-export-'))
    const suggested: string[] = []
    const cancelled = await keys.export(
      key.id,
      'key-pkcs8-encrypted',
      'a long password',
      async (s) => (suggested.push(s.defaultName), null),
    )
    expect(cancelled.savedTo).toBeNull()
    expect(readdirSync(dir)).toEqual([])
    expect(suggested).toEqual(['exported.key'])

    const out = join(dir, 'exported.key')
    const saved = await keys.export(key.id, 'key-pkcs8-encrypted', 'a long password', async () => out)
    expect(saved.savedTo).toBe(out)
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    const check = execFileSync('openssl', ['pkey', '-in', out, '-passin', 'pass:a long password', '-noout', '-text'], { encoding: 'utf8' })
    expect(check).toMatch(/prime256v1|P-256/)
    expect(activityFor(key.id).map((e) => e.action)).toContain('key.export')
    // A certificate export of a key without one is refused before the caller is asked where to save.
    let asked = false
    await expect(keys.export(key.id, 'certificate-pem', undefined, async () => ((asked = true), out))).rejects.toMatchObject({
      code: 'bad_input',
    })
    expect(asked).toBe(false)
  })
})

describe('AOP certificates from a vault CA', () => {
  test('a new key gets a client certificate its CA signed (digitalSignature, clientAuth); openssl verifies it for clientAuth', async () => {
    const { key: ca } = await keys.newRoot({ cn: 'Origin pulls CA', keyType: 'ec-p256', days: 365, permittedDns: [] })
    const { key, certificatePem } = await keys.newAopCertificate({ caKeyId: ca.id, cn: 'cloudflare-pulls', keyType: 'ec-p256', days: 90 })
    expect(key.label).toBe('AOP cloudflare-pulls')
    expect(keys.entries().find((e) => e.id === key.id)?.certificate?.pem).toBe(certificatePem)
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-keys-aop-'))
    writeFileSync(join(dir, 'ca.pem'), ca.certificate!.pem)
    writeFileSync(join(dir, 'aop.pem'), certificatePem)
    const verified = execFileSync(
      'openssl',
      ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.pem'), join(dir, 'aop.pem')],
      { encoding: 'utf8' },
    )
    expect(verified).toMatch(/: OK/)
    const text = execFileSync(
      'openssl',
      ['x509', '-in', join(dir, 'aop.pem'), '-noout', '-ext', 'keyUsage,extendedKeyUsage,basicConstraints'],
      {
        encoding: 'utf8',
      },
    )
    expect(text).toMatch(/Digital Signature/)
    expect(text).toMatch(/TLS Web Client Authentication/)
    expect(text).toMatch(/CA:FALSE/)
  })

  test('a CA key without a certificate, or a signer that is not a CA, leaves no new key behind', async () => {
    const { key: plain } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'not-a-ca' }, sans: [] })
    const before = keys.entries().length
    await expect(keys.newAopCertificate({ caKeyId: plain.id, cn: 'x', keyType: 'ec-p256', days: 30 })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/no CA certificate/),
    })
    const issued = await keys.issueForKey({ profileId: profile.id, zoneId: profile.zones[0]!.id, keyId: plain.id, validityDays: 30 })
    const count = keys.entries().length
    await expect(keys.newAopCertificate({ caKeyId: issued.key.id, cn: 'x', keyType: 'ec-p256', days: 30 })).rejects.toThrow()
    expect(keys.entries().length).toBe(count)
    expect(count).toBe(before)
  })
})
