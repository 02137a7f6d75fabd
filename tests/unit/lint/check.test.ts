/** The app's certificate checker, through the same dispatch the IPC and the browser bridge use. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { createHandlers } from '../../../src/main/handlers'
import { dispatch } from '../../../src/main/dispatch'
import { createServices } from '../../../src/main/services'
import type { CertificateCheck } from '../../../src/shared/lint-model'
import { CA_EXT, CLIENT_EXT, Forge } from '../../support/forge'

const forge = new Forge()
const services = createServices({
  userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-check-')),
  appVersion: 'test',
  secrets: { get: async () => null, set: async () => undefined, delete: async () => false },
})
const handlers = createHandlers(services)
const call = (request: unknown) => dispatch(handlers, 'lint:check', request, { emit: () => undefined })

afterAll(() => forge.cleanup())

describe('lint:check', () => {
  const root = forge.issue({ name: 'Check Root', ext: CA_EXT })
  const leaf = forge.issue({ name: 'device-1', ext: CLIENT_EXT, issuer: root })
  // Forge returns file paths; the app receives contents.
  const rootPem = readFileSync(root.pem, 'utf8')
  const leafPem = readFileSync(leaf.pem, 'utf8')
  const rootKey = readFileSync(root.key, 'utf8')

  test('a PEM root: decoded, linted as root-ca, passing', async () => {
    const result = await call({ input: { text: rootPem, name: 'root.pem' } })
    expect(result.ok).toBe(true)
    const check = (result as { value: CertificateCheck }).value
    expect(check.kind).toBe('certificate')
    expect(check.certificates[0]!.subject.text).toContain('Check Root')
    expect(check.reports[0]!.profile).toBe('root-ca')
    expect(check.reports[0]!.passed).toBe(true)
    expect(check.chain).toBeNull()
  })

  test('a DER file as base64, with a chosen profile', async () => {
    const result = await call({ input: { base64: Buffer.from(leaf.der).toString('base64'), name: 'leaf.der' }, profile: 'client' })
    expect(result.ok).toBe(true)
    expect((result as { value: CertificateCheck }).value.reports[0]!.profile).toBe('client')
  })

  test('two certificates are linted as a chain', async () => {
    const result = await call({ input: { text: `${leafPem}\n${rootPem}` } })
    const check = (result as { value: CertificateCheck }).value
    expect(check.kind).toBe('chain')
    expect(check.chain?.order).toBe('leaf-first')
    expect(check.reports).toHaveLength(2)
  })

  test("path validation: a time, a purpose, a peer name, this machine's roots", async () => {
    const value = async (request: object): Promise<CertificateCheck> => {
      const result = await call({ input: { text: `${leafPem}\n${rootPem}` }, ...request })
      expect(result.ok).toBe(true)
      return (result as { value: CertificateCheck }).value
    }
    const ids = (check: CertificateCheck): string[] => check.chain!.chainFindings.map((f) => f.ruleId)
    expect((await value({ purpose: 'client' })).chain!.passed).toBe(true)
    expect(ids(await value({ purpose: 'server' }))).toContain('path.purpose.not_allowed')
    expect(ids(await value({ peer: 'device-1.example.test' }))).toContain('path.peer_name.mismatch')
    expect(ids(await value({ systemRoots: true }))).toContain('path.anchor.not_found')
    const later = await value({ at: new Date(Date.now() + 800 * 86_400_000).toISOString() })
    expect(later.reports.flatMap((r) => r.findings.map((f) => f.ruleId))).toContain('validity.expired')
    // One certificate with path options is validated as a path of one.
    const alone = await call({ input: { text: leafPem }, purpose: 'server' })
    expect(ids((alone as { value: CertificateCheck }).value)).toContain('path.purpose.not_allowed')
    const bad = await call({ input: { text: leafPem }, peer: 'not a host' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input', message: '"not a host" is not a host name or an IP address.' } })
    expect(await call({ input: { text: leafPem }, at: 'tomorrow' })).toMatchObject({ ok: false, error: { code: 'validation' } })
  })

  test('a private key is refused with what it is', async () => {
    const result = await call({ input: { text: rootKey, name: 'root-key.pem' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    expect((result as { error: { message: string; hint: string } }).error.message).toMatch(
      /root-key\.pem is .*private key.*; a certificate was expected/,
    )
  })

  test('text and base64 together, or an unknown profile, fail validation', async () => {
    expect(await call({ input: { text: 'x', base64: 'eA==' } })).toMatchObject({ ok: false, error: { code: 'validation' } })
    expect(await call({ input: { text: rootPem }, profile: 'strictest' })).toMatchObject({ ok: false, error: { code: 'validation' } })
  })

  test('garbage is refused specifically', async () => {
    const result = await call({ input: { base64: Buffer.from([0x30, 0x82, 0x05, 0x00, 1, 2, 3]).toString('base64'), name: 'broken.der' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    expect((result as { error: { message: string } }).error.message).toContain('broken.der is damaged or not DER')
  })

  test('lint:rules lists every rule with a source and a fix', async () => {
    const result = (await dispatch(handlers, 'lint:rules', undefined, { emit: () => undefined })) as {
      ok: true
      value: Array<{ id: string; fix: string; source: string }>
    }
    expect(result.value.length).toBeGreaterThan(40)
    expect(result.value.every((r) => r.fix && r.source)).toBe(true)
  })
})
