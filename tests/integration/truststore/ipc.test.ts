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
import { createServices } from '../../../src/main/services'
import { execRunner } from '../../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import type { ChangeReport, StoreDescription, VerifyReport } from '../../../src/shared/truststore-model'
import type { Progress } from '../../../src/shared/model'
import { CertFactory, sha256Hex } from '../../unit/truststore/certs'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from './debian-tree'

const certs = new CertFactory()
const tree = makeDebianTree(2)
const home = join(tree.root, 'home')
const events: Progress[] = []
const context: CallContext = { emit: (_e, p) => events.push(p) }
let handlers: ReturnType<typeof createHandlers>
let services: ReturnType<typeof createServices>

async function call<T>(channel: string, request?: unknown): Promise<T> {
  const result = await dispatch(handlers, channel, request, context)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value as T
}

beforeAll(async () => {
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  mkdirSync(join(home, '.pki/nssdb'), { recursive: true })
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${join(home, '.pki/nssdb')}`])
  services = createServices({
    userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-trust-ipc-')),
    appVersion: 'test',
    secrets: { get: async () => null, set: async () => undefined, delete: async () => false },
    trust: { platform: 'linux', sysroot: tree.root, home, env: { PATH: process.env['PATH'] }, java: false, elevator: null },
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
    expect(changes.filter((e) => e.detail?.['subject']?.toString().includes('IPC Root')).map((e) => e.action).sort()).toEqual(['trust.install', 'trust.install', 'trust.remove', 'trust.remove'])
  })

  test('the root-ca lint runs before installing: a root whose basicConstraints is not critical is installed with that warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-weak-root-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '30', '-subj', '/CN=Weak IPC Root', '-addext', 'basicConstraints=CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'pipe' })
    const pem = execFileSync('cat', [join(dir, 'c')], { encoding: 'utf8' })
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
