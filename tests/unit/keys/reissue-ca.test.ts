/**
 * A vault CA's certificate re-issued with the same key (KeyService.reissueCa and `keys:reissueCa`): what the old
 * certificate issued verifies against the new one (openssl -x509_strict as the referee), subject, key, SKI and
 * extensions are the same, the old certificate stays in the key's activity, and what is not a CA is refused.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { dispatch } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { privateKeyPem } from '../../../src/main/keys/material'
import { createIntermediateCa } from '../../../src/main/pki/ca'
import { createServices } from '../../../src/main/services'
import { memorySecrets } from '../../support/services'

const userDataDir = mkdtempSync(join(tmpdir(), 'certdesk-reissue-ca-'))
const services = createServices({ userDataDir, appVersion: 'test', secrets: memorySecrets() })
const { keys } = services
afterAll(() => services.close())

const dir = mkdtempSync(join(tmpdir(), 'certdesk-reissue-ca-files-'))
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}
const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' })
/** What must not change: subject, issuer, public key and every extension (SKI, AKI, constraints, usages), as openssl prints them. */
const identity = (pem: string) => {
  const f = file(`id-${Math.random()}.pem`, pem)
  const ext = 'subjectKeyIdentifier,authorityKeyIdentifier,basicConstraints,keyUsage,nameConstraints'
  return openssl(['x509', '-in', f, '-noout', '-subject', '-issuer', '-pubkey', '-ext', ext])
}
const serial = (pem: string) => openssl(['x509', '-in', file(`s-${Math.random()}.pem`, pem), '-noout', '-serial'])
const strictVerify = (caPems: string[], leafPem: string) =>
  openssl(['verify', '-x509_strict', '-CAfile', file(`ca-${Math.random()}.pem`, caPems.join('')), file('leaf.pem', leafPem)])

describe('re-issue a local CA with the same key', () => {
  test('a root: what it issued verifies against the new certificate; same subject, key, SKI and extensions', async () => {
    const request = { cn: 'Reissued Root', keyType: 'ec-p256' as const, days: 30, permittedDns: ['example.com'], pathLen: 1 }
    const { key: root } = await keys.newRoot(request)
    const oldPem = root.certificate!.pem
    const leaf = await keys.newAopCertificate({ caKeyId: root.id, cn: 'device-1', keyType: 'ec-p256', days: 20 })

    const renewed = await keys.reissueCa({ keyId: root.id, days: 400 })
    const stored = keys.entries().find((e) => e.id === root.id)!
    expect(stored.certificate?.pem).toBe(renewed.certificatePem)
    expect(stored.certificate?.sha256).not.toBe(root.certificate!.sha256)
    expect(identity(renewed.certificatePem)).toBe(identity(oldPem))
    expect(identity(oldPem)).toMatch(/pathlen:1[\s\S]*Name Constraints: critical/)
    expect(serial(renewed.certificatePem)).not.toBe(serial(oldPem))
    expect(strictVerify([renewed.certificatePem], leaf.certificatePem)).toMatch(/: OK/)
    expect(new Date(renewed.notAfter).getTime() - Date.now()).toBeGreaterThan(399 * 86_400_000)
    expect(renewed.previous).toMatchObject({ sha256: root.certificate!.sha256 })

    // The replaced certificate is kept in the key's activity, in words.
    const rows = services.activity.list().filter((e) => e.objectId === root.id && e.action === 'key.reissueCa')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.detail).toMatchObject({ previousCertificate: oldPem, previousSha256: root.certificate!.sha256 })
    expect(rows[0]!.words).toBe('Re-issued CA certificate with the same key')
  })

  test('days omitted: as long as the original was valid', async () => {
    const { key: root } = await keys.newRoot({ cn: 'Default Days', keyType: 'ec-p256', days: 45, permittedDns: [] })
    const renewed = await keys.reissueCa({ keyId: root.id })
    const days = (new Date(renewed.notAfter).getTime() - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(44.9)
    expect(days).toBeLessThan(45.1)
  })

  test('an intermediate is re-signed by its issuer in the vault; the chain still verifies what it issued', async () => {
    const { key: root } = await keys.newRoot({ cn: 'Chain Root', keyType: 'ec-p256', days: 365, permittedDns: [] })
    const issuerKey = await services.vault.privateKey(root.id)
    const made = await createIntermediateCa({
      cn: 'Chain Intermediate',
      keyType: 'ec-p256',
      days: 60,
      issuer: root.certificate!.pem,
      issuerKey,
      pathLen: 0,
    })
    const { key: intermediate } = await keys.importKey({
      key: await privateKeyPem(made.privateKey),
      certificatePem: made.certificatePem,
      label: 'Chain Intermediate',
    })
    const leaf = await keys.newAopCertificate({ caKeyId: intermediate.id, cn: 'device-2', keyType: 'ec-p256', days: 20 })
    const renewed = await keys.reissueCa({ keyId: intermediate.id, days: 90 })
    expect(identity(renewed.certificatePem)).toBe(identity(made.certificatePem))
    expect(strictVerify([root.certificate!.pem, renewed.certificatePem], leaf.certificatePem)).toMatch(/: OK/)
  })

  test('a key without a certificate, a certificate that is not a CA, or an intermediate whose issuer is not here: refused', async () => {
    const { key: bare } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'bare' }, sans: [] })
    await expect(keys.reissueCa({ keyId: bare.id })).rejects.toMatchObject({
      code: 'bad_input',
      message: '"bare" has no CA certificate to re-issue.',
    })
    const { key: root } = await keys.newRoot({ cn: 'Signer', keyType: 'ec-p256', days: 30, permittedDns: [] })
    const client = await keys.newAopCertificate({ caKeyId: root.id, cn: 'client-only', keyType: 'ec-p256', days: 20 })
    await expect(keys.reissueCa({ keyId: client.key.id })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/"CN=client-only" is not a CA certificate/),
    })
    expect(keys.entries().find((e) => e.id === client.key.id)?.certificate?.pem).toBe(client.certificatePem)

    const { key: outsideRoot } = await keys.newRoot({ cn: 'Outside Root', keyType: 'ec-p256', days: 30, permittedDns: [] })
    const made = await createIntermediateCa({
      cn: 'Orphan Intermediate',
      keyType: 'ec-p256',
      days: 20,
      issuer: outsideRoot.certificate!.pem,
      issuerKey: await services.vault.privateKey(outsideRoot.id),
    })
    await services.vault.delete(outsideRoot.id)
    const { key: orphan } = await keys.importKey({
      key: await privateKeyPem(made.privateKey),
      certificatePem: made.certificatePem,
      label: 'Orphan',
    })
    await expect(keys.reissueCa({ keyId: orphan.id })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/issued by "CN=Outside Root", whose key is not in the vault/),
    })
  })

  test('keys:reissueCa: validated, and answers the new certificate', async () => {
    const handlers = createHandlers(services)
    const { key: root } = await keys.newRoot({ cn: 'Channel Root', keyType: 'ec-p256', days: 30, permittedDns: [] })
    const refused = await dispatch(handlers, 'keys:reissueCa', { id: root.id, days: 0 }, { emit: () => {} })
    expect(refused.ok).toBe(false)
    const done = await dispatch(handlers, 'keys:reissueCa', { id: root.id, days: 10 }, { emit: () => {} })
    expect(done.ok).toBe(true)
    expect(keys.entries().find((e) => e.id === root.id)?.certificate?.pem).toBe(
      (done as { value: { certificatePem: string } }).value.certificatePem,
    )
  })
})
