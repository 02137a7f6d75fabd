/**
 * Trust-store channels through dispatch (as IPC and the browser bridge run them), over a throwaway
 * Debian tree and NSS database: install, verify, the root-ca lint gate, remove.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch, type CallContext } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { createServices, type ConfirmRequest } from '../../../src/main/services'
import { execRunner } from '../../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import type { ChangeReport, StoreDescription, VerifyReport } from '../../../src/shared/truststore-model'
import type { Progress } from '../../../src/shared/model'
import { CertFactory, opensslRoot, sha256Hex } from '../../support/cert-factory'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../../support/debian-tree'
import { ipcCaller } from '../../support/services'

const certs = new CertFactory()
const tree = makeDebianTree(2)
const home = join(tree.root, 'home')
const events: Progress[] = []
const context: CallContext = { emit: (_e, p) => events.push(p) }
let handlers: ReturnType<typeof createHandlers>
let services: ReturnType<typeof createServices>
/** Main's confirmation stand-in: records each question, answers with `answer`. */
const asked: ConfirmRequest[] = []
let answer = true

const call = ipcCaller(() => handlers, { context })

beforeAll(async () => {
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  mkdirSync(join(home, '.pki/nssdb'), { recursive: true })
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${join(home, '.pki/nssdb')}`])
  services = createServices({
    userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-trust-ipc-')),
    appVersion: 'test',
    secrets: { get: async () => null, set: async () => undefined, delete: async () => false },
    trust: { platform: 'linux', sysroot: tree.root, home, env: { PATH: process.env['PATH'] }, java: false, elevator: null },
    dialogs: {
      saveFile: async () => null,
      confirm: async (request) => {
        asked.push(request)
        return answer
      },
    },
  })
  handlers = createHandlers(services)
})

afterAll(() => {
  tree.cleanup()
  certs.cleanup()
})

describe('trust channels', () => {
  test('describe the stores found, and list them as a job with progress', async () => {
    const stores = await call<StoreDescription[]>('trust:stores')
    expect(stores.map((s) => s.kind)).toEqual(['system', 'nss'])
    const listings = await call<Array<{ entries: unknown[] }>>('trust:list', { jobId: 'scan-1' })
    expect(listings[0]!.entries).toHaveLength(2)
    expect(events.filter((e) => e.jobId === 'scan-1').at(-1)).toMatchObject({ done: 2, total: 2 })
  })

  test('install into every store, verify trusted, remove, verify missing; recorded in the activity log', async () => {
    const root = certs.root('IPC Root')
    const installed = await call<ChangeReport>('trust:install', { certificatePem: root.pem })
    expect(installed.outcomes.map((o) => o.status)).toEqual(['installed', 'installed'])
    const verified = await call<VerifyReport>('trust:verify', { input: sha256Hex(root.pem) })
    expect(verified.allTrusted).toBe(true)
    expect(verified.lines.map((l) => l.status)).toEqual(['trusted', 'trusted'])
    const again = await call<ChangeReport>('trust:install', { certificatePem: root.pem })
    expect(again.outcomes.map((o) => o.status)).toEqual(['already-present', 'already-present'])
    const removed = await call<ChangeReport>('trust:remove', { input: root.pem })
    expect(removed.outcomes.map((o) => o.status)).toEqual(['removed', 'removed'])
    expect((await call<VerifyReport>('trust:verify', { input: root.pem })).lines.map((l) => l.status)).toEqual(['missing', 'missing'])
    const changes = services.activity.list({ action: 'trust.' })
    expect(
      changes
        .filter((e) => e.detail?.['subject']?.toString().includes('IPC Root'))
        .map((e) => e.action)
        .sort(),
    ).toEqual(['trust.install', 'trust.install', 'trust.remove', 'trust.remove'])
  })

  test('the root-ca lint runs before installing: a root whose basicConstraints is not critical is installed with that warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-weak-root-'))
    const weak = ['basicConstraints=CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']
    const { pem } = opensslRoot(join(dir, 'c'), join(dir, 'k'), { subject: '/CN=Weak IPC Root', ext: weak })
    const report = await call<ChangeReport>('trust:install', { certificatePem: pem, storeIds: ['nss'] })
    expect(report.warnings.join(' ')).toMatch(/basicConstraints/i)
    await call('trust:remove', { input: pem, storeIds: ['nss'] })
    rmSync(dir, { recursive: true, force: true })
  })

  test('a path is never read on the renderer’s behalf: it is refused as not a fingerprint', async () => {
    for (const input of ['/etc/passwd', 'package.json', '../package.json']) {
      for (const channel of ['trust:verify', 'trust:find', 'trust:remove']) {
        const result = await dispatch(handlers, channel, { input }, context)
        expect(result, `${channel} ${input}`).toMatchObject({ ok: false, error: { code: 'bad_input' } })
        expect(JSON.stringify(result)).not.toMatch(/root:x:0|"name": "certdesk"|holds \d+ certificates|No certificate could be read/)
      }
    }
  })

  test('a private key, a non-CA and garbage are refused before anything is written', async () => {
    const root = certs.root('Refusal Root')
    const leaf = certs.leaf(root)
    for (const input of [root.keyPem, leaf.pem, 'not a certificate at all']) {
      const result = await dispatch(handlers, 'trust:install', { certificatePem: input }, context)
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    }
    const listings = await call<Array<{ entries: Array<{ subject: string }> }>>('trust:list', {})
    expect(JSON.stringify(listings)).not.toContain('Refusal Root')
  })
})

describe('main asks before changing a trust store', () => {
  const storeLabels = () => services.trust().stores.map((s) => s.describe().label)

  test('install: the question names the subject, the SHA-256 and every store; "no" changes nothing and says so', async () => {
    const root = certs.root('Declined Install Root')
    answer = false
    const before = asked.length
    const result = await dispatch(handlers, 'trust:install', { certificatePem: root.pem }, context)
    answer = true
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled', message: 'Nothing was changed.' } })
    expect(asked).toHaveLength(before + 1)
    const question = asked.at(-1)!
    expect(question.message).toContain('Declined Install Root')
    expect(question.detail).toContain('CN=Declined Install Root')
    const colon = sha256Hex(root.pem).toUpperCase().match(/../g)!.join(':')
    expect(question.detail).toContain(colon)
    for (const label of storeLabels()) expect(question.detail).toContain(label)
    expect(question.destructive).toBe(false)
    const verified = await call<VerifyReport>('trust:verify', { input: root.pem })
    expect(verified.lines.map((l) => l.status)).toEqual(['missing', 'missing'])
    const [entry] = services.activity.list({ action: 'trust.install', limit: 1 })
    expect(entry).toMatchObject({
      outcome: 'cancelled',
      objectName: expect.stringContaining('CN=Declined Install Root'),
      objectId: sha256Hex(root.pem).toUpperCase(),
    })
  })

  test('remove by bare fingerprint: the question finds the subject in the stores; "no" leaves it installed', async () => {
    const root = certs.root('Declined Remove Root')
    await call<ChangeReport>('trust:install', { certificatePem: root.pem, storeIds: ['nss'] })
    answer = false
    const result = await dispatch(handlers, 'trust:remove', { input: sha256Hex(root.pem) }, context)
    answer = true
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    const question = asked.at(-1)!
    expect(question.message).toContain('Declined Remove Root')
    expect(question.detail).toContain(sha256Hex(root.pem).toUpperCase().slice(0, 2) + ':')
    expect(question.destructive).toBe(true)
    const verified = await call<VerifyReport>('trust:verify', { input: root.pem, storeIds: ['nss'] })
    expect(verified.lines.map((l) => l.status)).toEqual(['trusted'])
    await call('trust:remove', { input: root.pem, storeIds: ['nss'] })
  })

  test('bad input is refused before any question is asked', async () => {
    const before = asked.length
    const result = await dispatch(handlers, 'trust:install', { certificatePem: 'not a certificate' }, context)
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    expect(asked).toHaveLength(before)
  })

  test('without a confirmation dialog (no window) the change is refused, not made silently', async () => {
    const bare = createServices({
      userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-trust-ipc-bare-')),
      appVersion: 'test',
      secrets: { get: async () => null, set: async () => undefined, delete: async () => false },
      trust: { platform: 'linux', sysroot: tree.root, home, env: { PATH: process.env['PATH'] }, java: false, elevator: null },
    })
    const root = certs.root('Unasked Root')
    const result = await dispatch(createHandlers(bare), 'trust:install', { certificatePem: root.pem }, context)
    expect(result).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    expect((await call<VerifyReport>('trust:verify', { input: root.pem })).lines.map((l) => l.status)).toEqual(['missing', 'missing'])
  })
})
