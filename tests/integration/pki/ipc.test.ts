/**
 * The key flows end to end through dispatch (as IPC and the browser bridge run them), against the
 * app's Sandbox profile, with openssl as the referee for everything written to disk.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch, type CallContext } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { createServices, type ConfirmRequest } from '../../../src/main/services'
import type { Profile } from '../../../src/shared/model'
import type { VaultEntry } from '../../../src/shared/pki-model'
import type { ClientCertificateSummary, GatewayCertificateSummary, GatewayUploadResult } from '../../../src/shared/cloudflare-model'
import type { CertificateCheck } from '../../../src/shared/lint-model'
import { ipcCaller, memorySecrets } from '../../support/services'

const exportsDir = mkdtempSync(join(tmpdir(), 'certdesk-pki-ipc-exports-'))
/** Main's confirmation stand-in: records each question, answers with `answer`. */
const asked: ConfirmRequest[] = []
let answer = true
const services = createServices({
  userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-pki-ipc-')),
  appVersion: 'test',
  secrets: memorySecrets(),
  dialogs: {
    saveFile: async ({ defaultName }) => join(exportsDir, defaultName),
    confirm: async (request) => {
      asked.push(request)
      return answer
    },
  },
  sandbox: { timing: { revocationMs: 200, reactivationMs: 200, gatewayDeployMs: 200 } },
})
const handlers = createHandlers(services)
const context: CallContext = { emit: () => undefined }
const responses: unknown[] = []
const call = ipcCaller(handlers, { context, record: responses })
const openssl = (args: string[], env: Record<string, string> = {}) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } })

let profile: Profile

beforeAll(async () => {
  profile = await call<Profile>('profiles:add', { kind: 'sandbox', name: 'Sandbox' })
})
afterAll(() => services.close())

describe('client certificate wizard: key + CSR in main, then issue at Cloudflare', () => {
  let key: VaultEntry
  let csrPem: string

  test('keys:newCsr saves the key in the vault and returns a CSR openssl verifies', async () => {
    const result = await call<{
      key: VaultEntry
      csrPem: string
      decoded: { subject: string; sans: { type: string; value: string }[]; keyType: string }
    }>('keys:newCsr', {
      keyType: 'ec-p256',
      subject: { cn: 'device-42', o: 'Example Corp', c: 'US' },
      sans: ['DNS:device-42.example.com'],
    })
    key = result.key
    csrPem = result.csrPem
    expect(key.keyType).toBe('ec-p256')
    expect(key.csrPem).toBe(csrPem)
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-csr-'))
    writeFileSync(join(dir, 'csr.pem'), csrPem)
    expect(openssl(['req', '-in', join(dir, 'csr.pem'), '-noout', '-verify', '-subject'])).toMatch(/CN\s*=\s*device-42/)
    // Decoded from the CSR itself for the review step: what openssl reads is what the wizard shows.
    expect(result.decoded.keyType).toBe('ec-p256')
    expect(result.decoded.sans).toEqual([{ type: 'dns', value: 'device-42.example.com' }])
    expect(result.decoded.subject).toMatch(/CN=device-42/)
    expect(result.decoded.subject).toMatch(/O=Example Corp/)
    const text = openssl(['req', '-in', join(dir, 'csr.pem'), '-noout', '-text'])
    expect(text).toContain('DNS:device-42.example.com')
    expect(text).toContain('prime256v1')
    expect((await call<VaultEntry[]>('keys:list')).map((k) => k.id)).toContain(key.id)
  })

  test('a bad country is refused with the field named, and no key is kept', async () => {
    const before = (await call<VaultEntry[]>('keys:list')).length
    const result = await dispatch(handlers, 'keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'x', c: 'USA' } }, context)
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    expect((result as { error: { message: string } }).error.message).toMatch(/country/i)
    expect((await call<VaultEntry[]>('keys:list')).length).toBe(before)
  })

  test('clientCerts:issueForKey issues at the Sandbox and links the certificate to the key', async () => {
    const zoneId = profile.zones[0]!.id
    const result = await call<{ certificate: ClientCertificateSummary; key: VaultEntry }>('clientCerts:issueForKey', {
      profileId: profile.id,
      zoneId,
      keyId: key.id,
      validityDays: 365,
    })
    expect(result.certificate.commonName).toBe('device-42')
    expect(result.key.certificate?.cloudflareId).toBe(result.certificate.id)
    const listed = await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: profile.id, zoneId, status: 'active' })
    expect(listed.filter((c) => c.id === result.certificate.id)).toHaveLength(1)
    await expect(
      call('clientCerts:issueForKey', { profileId: profile.id, zoneId, keyId: key.id, validityDays: 365 }),
    ).rejects.toMatchObject({ code: 'conflict' })
  })

  test('exports: certificate PEM, encrypted PKCS#8 and PKCS#12 (modern and legacy), all readable by openssl, files 0600', async () => {
    const certPath = (await call<{ savedTo: string }>('keys:export', { id: key.id, format: 'certificate-pem' })).savedTo
    expect(openssl(['x509', '-in', certPath, '-noout', '-subject'])).toMatch(/device-42/)
    // Saving the certificate is recorded as that, not as a key export.
    expect(services.activity.list({ limit: 1 })[0]).toMatchObject({
      action: 'certificate.save',
      objectName: key.label,
      detail: { keyId: key.id },
    })
    // DER (.cer) for MDM profiles that want it, no password needed: the same certificate.
    const derPath = (await call<{ savedTo: string }>('keys:export', { id: key.id, format: 'certificate-der' })).savedTo
    expect(derPath.endsWith('.cer')).toBe(true)
    expect(readFileSync(derPath)[0]).toBe(0x30)
    expect(openssl(['x509', '-in', derPath, '-inform', 'DER', '-noout', '-fingerprint', '-sha256'])).toBe(
      openssl(['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']),
    )

    const keyPath = (
      await call<{ savedTo: string }>('keys:export', { id: key.id, format: 'key-pkcs8-encrypted', password: 'correct horse' })
    ).savedTo
    expect(services.activity.list({ limit: 1 })[0]).toMatchObject({ action: 'key.export', objectId: key.id })
    expect(readFileSync(keyPath, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY')
    expect(statSync(keyPath).mode & 0o777).toBe(0o600)
    const pub = openssl(['pkey', '-in', keyPath, '-passin', 'env:P', '-pubout'], { P: 'correct horse' })
    expect(openssl(['x509', '-in', certPath, '-noout', '-pubkey'])).toBe(pub)
    expect(() => openssl(['pkey', '-in', keyPath, '-passin', 'env:P', '-noout'], { P: 'wrong horse!' })).toThrow()

    const p12 = (await call<{ savedTo: string }>('keys:export', { id: key.id, format: 'pkcs12', password: 'p12-password' })).savedTo
    expect(statSync(p12).mode & 0o777).toBe(0o600)
    expect(openssl(['pkcs12', '-in', p12, '-info', '-nokeys', '-passin', 'env:P'], { P: 'p12-password' })).toMatch(/device-42/)
    await call('keys:export', { id: key.id, format: 'pkcs12-legacy', password: 'p12-password' })

    const noPassword = await dispatch(handlers, 'keys:export', { id: key.id, format: 'pkcs12' }, context)
    expect(noPassword).toMatchObject({ ok: false, error: { code: 'validation' } })
  })

  test('keys:delete asks in main, naming the key and its certificate; "no" keeps the key usable', async () => {
    answer = false
    const result = await dispatch(handlers, 'keys:delete', { id: key.id }, context)
    answer = true
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled', message: 'Nothing was changed.' } })
    const question = asked.at(-1)!
    expect(question).toMatchObject({ destructive: true, confirmLabel: 'Delete key' })
    expect(question.message).toContain(key.label)
    expect(question.detail).toContain(key.id)
    expect(question.detail).toMatch(/Linked certificate: .*CN=device-42/)
    const linked = (await call<VaultEntry[]>('keys:list')).find((k) => k.id === key.id)
    expect(linked?.certificate?.sha256).toBeDefined()
    expect(question.detail).toContain(linked!.certificate!.sha256.toUpperCase().match(/../g)!.join(':'))
    const path = (await call<{ savedTo: string }>('keys:export', { id: key.id, format: 'key-pkcs8-encrypted', password: 'still here' }))
      .savedTo
    expect(readFileSync(path, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY')
    expect(services.activity.list({ action: 'key.delete', limit: 1 })[0]).toMatchObject({
      outcome: 'cancelled',
      objectId: key.id,
      objectName: key.label,
    })
  })

  test('keys:delete removes the key; using it afterwards says it is gone', async () => {
    const before = asked.length
    expect(await call('keys:delete', { id: key.id })).toEqual({ deleted: true })
    expect(asked).toHaveLength(before + 1)
    expect((await call<VaultEntry[]>('keys:list')).map((k) => k.id)).not.toContain(key.id)
    await expect(call('keys:export', { id: key.id, format: 'certificate-pem' })).rejects.toMatchObject({ code: 'not_found' })
  })
})

describe('Gateway BYOPKI: generate a root, upload it with its key, activate, use for inspection', () => {
  test('end to end against the Sandbox', async () => {
    const generated = await call<{ key: VaultEntry; certificatePem: string; strict: CertificateCheck; gateway: CertificateCheck }>(
      'gateway:generateRoot',
      {
        cn: 'Example Gateway Root',
        o: 'Example Corp',
        keyType: 'rsa-2048',
        days: 1825,
      },
    )
    expect(generated.strict.reports[0]!.passed).toBe(true)
    expect(generated.gateway.reports[0]!.passed).toBe(true)
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-gw-root-'))
    writeFileSync(join(dir, 'root.pem'), generated.certificatePem)
    const ext = openssl(['x509', '-in', join(dir, 'root.pem'), '-noout', '-ext', 'basicConstraints,keyUsage'])
    expect(ext).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(ext).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)

    const accountId = profile.accounts[0]!.id
    const uploaded = await call<GatewayUploadResult>('gateway:uploadRoot', { profileId: profile.id, accountId, keyId: generated.key.id })
    expect(uploaded.gateway.type).toBe('custom')
    const active = await call<GatewayCertificateSummary>('gateway:activate', {
      profileId: profile.id,
      accountId,
      id: uploaded.gateway.id,
      wait: true,
    })
    expect(active.bindingStatus).toBe('available')
    await call('gateway:useForInspection', { profileId: profile.id, accountId, id: uploaded.gateway.id })
    expect(await call('gateway:inspectionCertificate', { profileId: profile.id, accountId })).toEqual({
      certificateId: uploaded.gateway.id,
    })
  })
})

describe('Gateway BYOPKI with an existing corporate root (gateway:importRoot)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-import-root-'))
  const root = (name: string, extra: string[]) => {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, `${name}.key`),
      '-out',
      join(dir, `${name}.pem`),
      '-days',
      '730',
      '-subj',
      `/CN=${name}/O=Example Corp`,
      ...extra,
    ])
    return { certificatePem: readFileSync(join(dir, `${name}.pem`), 'utf8'), keyPem: readFileSync(join(dir, `${name}.key`), 'utf8') }
  }
  const CA = [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
  ]
  type Imported = { key: VaultEntry | null; certificatePem: string; strict: CertificateCheck; gateway: CertificateCheck }
  const failure = async (request: unknown) => {
    const result = await dispatch(handlers, 'gateway:importRoot', request, context)
    expect(result.ok).toBe(false)
    return (result as { error: { code: string; message: string; details?: Record<string, unknown> } }).error
  }

  test('an encrypted PKCS#8 key with its passphrase: matched, linted, saved in the vault once, uploadable', async () => {
    const corp = root('Corp Inspection Root', CA)
    openssl([
      'pkcs8',
      '-topk8',
      '-in',
      join(dir, 'Corp Inspection Root.key'),
      '-out',
      join(dir, 'enc.key'),
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:correct horse',
    ])
    const encrypted = readFileSync(join(dir, 'enc.key'), 'utf8')
    expect(encrypted).toContain('BEGIN ENCRYPTED PRIVATE KEY')
    const before = (await call<VaultEntry[]>('keys:list')).length

    const wrong = await failure({ certificatePem: corp.certificatePem, keyPem: encrypted, passphrase: 'wrong' })
    expect(wrong).toMatchObject({ code: 'bad_input', details: { reason: 'wrong_password' } })
    expect((await call<VaultEntry[]>('keys:list')).length).toBe(before)

    const imported = await call<Imported>('gateway:importRoot', {
      certificatePem: corp.certificatePem,
      keyPem: encrypted,
      passphrase: 'correct horse',
    })
    expect(imported.gateway.reports.every((r) => r.passed)).toBe(true)
    expect(imported.strict.reports.every((r) => r.passed)).toBe(true)
    expect(imported.key).toMatchObject({ keyType: 'rsa-2048', label: 'Gateway root Corp Inspection Root' })
    expect(imported.key!.certificate!.sha256).toBe(
      openssl(['x509', '-in', join(dir, 'Corp Inspection Root.pem'), '-noout', '-fingerprint', '-sha256'])
        .split('=')[1]!
        .trim()
        .replace(/:/g, '')
        .toLowerCase(),
    )
    // The vault's key is the corporate key: the PKCS#8 it exports has the certificate's modulus.
    const modulus = (args: string[]) => openssl(args).trim()
    writeFileSync(join(dir, 'vault.key'), await services.vault.exportPkcs8(imported.key!.id))
    expect(modulus(['rsa', '-in', join(dir, 'vault.key'), '-noout', '-modulus'])).toBe(
      modulus(['x509', '-in', join(dir, 'Corp Inspection Root.pem'), '-noout', '-modulus']),
    )

    // Imported again: the same vault entry, not a duplicate.
    const again = await call<Imported>('gateway:importRoot', { certificatePem: corp.certificatePem, keyPem: corp.keyPem })
    expect(again.key!.id).toBe(imported.key!.id)
    expect((await call<VaultEntry[]>('keys:list')).length).toBe(before + 1)

    // The rest of the flow is the same as for a generated root.
    const account = profile.accounts[0]!
    const uploaded = await call<GatewayUploadResult>('gateway:uploadRoot', {
      profileId: profile.id,
      accountId: account.id,
      keyId: imported.key!.id,
    })
    expect(uploaded.gateway.id).toBeTruthy()
  })

  test('a key of another root is refused as not matching, and nothing is kept', async () => {
    const corp = root('Corp Root A', CA)
    const other = root('Corp Root B', CA)
    const before = (await call<VaultEntry[]>('keys:list')).length
    const error = await failure({ certificatePem: corp.certificatePem, keyPem: other.keyPem })
    expect(error).toMatchObject({ code: 'bad_input', details: { reason: 'key_mismatch' } })
    expect(error.message).toBe('The private key does not match the root certificate: it belongs to a different key pair.')
    expect((await call<VaultEntry[]>('keys:list')).length).toBe(before)
  })

  test('a root Gateway cannot use comes back with its findings, and its key is not kept', async () => {
    // No basicConstraints CA:TRUE / keyCertSign: not a CA at all.
    const leafish = root('Not A CA', ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature'])
    const before = (await call<VaultEntry[]>('keys:list')).length
    const result = await call<Imported>('gateway:importRoot', leafish)
    expect(result.key).toBeNull()
    expect(result.gateway.reports.some((r) => !r.passed)).toBe(true)
    expect((await call<VaultEntry[]>('keys:list')).length).toBe(before)
  })

  test('a chain, a CSR, and a missing key are refused in words', async () => {
    const corp = root('Corp Root C', CA)
    expect((await failure({ certificatePem: `${corp.certificatePem}${corp.certificatePem}`, keyPem: corp.keyPem })).message).toMatch(
      /chain of certificates/,
    )
    expect((await failure({ certificatePem: corp.keyPem, keyPem: corp.keyPem })).message).toMatch(/the root certificate was expected/)
    expect((await failure({ certificatePem: corp.certificatePem, keyPem: '' })).message).toBe('Give the root’s private key (PEM).')
  })
})

describe('a root generated here for Access mTLS', () => {
  test('keys:newRoot vaults the key, lints the root, honours name constraints, and Access takes it', async () => {
    const generated = await call<{ key: VaultEntry; certificatePem: string; check: CertificateCheck }>('keys:newRoot', {
      cn: 'Example Access Root',
      o: 'Example Corp',
      keyType: 'ec-p256',
      days: 3650,
      permittedDns: ['example.com'],
    })
    expect(generated.check.reports[0]!.passed).toBe(true)
    expect(generated.check.reports[0]!.profile).toBe('root-ca')
    expect(generated.key.certificate?.pem).toBe(generated.certificatePem)
    expect(generated.key.label).toBe('Root Example Access Root')
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-access-root-'))
    writeFileSync(join(dir, 'root.pem'), generated.certificatePem)
    expect(openssl(['verify', '-x509_strict', '-CAfile', join(dir, 'root.pem'), join(dir, 'root.pem')])).toContain(': OK')
    expect(openssl(['x509', '-in', join(dir, 'root.pem'), '-noout', '-ext', 'nameConstraints'])).toMatch(/Permitted:\s+DNS:example\.com/)

    const scope = { kind: 'account', accountId: profile.accounts[0]!.id }
    const added = await call<{ id: string; fingerprint: string }>('access:add', {
      profileId: profile.id,
      scope,
      name: 'Generated here',
      certificatePem: generated.certificatePem,
    })
    const listed = await call<Array<{ id: string; name: string }>>('access:list', { profileId: profile.id, scope })
    expect(listed.find((r) => r.id === added.id)?.name).toBe('Generated here')

    // Bad input is refused by main with the reason, and nothing is vaulted.
    const before = (await call<VaultEntry[]>('keys:list')).length
    await expect(call('keys:newRoot', { cn: '', keyType: 'ec-p256', days: 365 })).rejects.toMatchObject({
      code: 'validation',
      message: 'A common name is required.',
    })
    await expect(call('keys:newRoot', { cn: 'X', keyType: 'ec-p256', days: 365, permittedDns: ['not a name!'] })).rejects.toMatchObject({
      code: 'bad_input',
    })
    expect(await call<VaultEntry[]>('keys:list')).toHaveLength(before)
  })
})

test('no response ever carried a private key', () => {
  expect(JSON.stringify(responses)).not.toMatch(/PRIVATE KEY/)
})
