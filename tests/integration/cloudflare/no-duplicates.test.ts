/**
 * Issue #11 item 4: a client-certificate create for a CSR and zone exists at most once — a server
 * that commits after the client's timeout, a retry after "outcome unknown", two creates at once, a
 * key that cannot be read, and a CLI process killed with SIGKILL after its POST reached the server.
 * Every case counts the POSTs the Sandbox received and the certificates it holds at the end.
 * Runs under scripts/with-keyring.sh (the CLI child reads the vault's data key from the keychain).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { CloudflareService } from '../../../src/main/cloudflare'
import { pemBody } from '../../../src/main/cloudflare/client-certificates'
import { ClientCertIssuer } from '../../../src/main/cloudflare/issuance'
import { createCsr } from '../../../src/main/pki/csr'
import { generateKey, shutdownKeyPool } from '../../../src/main/pki/keys'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { Keychain } from '../../../src/main/secrets/keychain'
import { DATA_KEY_ACCOUNT, KeyVault } from '../../../src/main/secrets/vault'
import { AppError } from '../../../src/shared/errors'
import type { VaultEntry } from '../../../src/shared/pki-model'

let sb: SandboxHandle
let dir: string
let zone: { zoneId: string; zoneName: string }
const keychain = new Keychain()
/** Per scenario: [name, creates sent, certificates for the CSR at the end]. */
const tally: Array<[string, number, number]> = []

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty' })
  zone = { zoneId: sb.zones[0]!.id, zoneName: sb.zones[0]!.name }
  dir = mkdtempSync(join(tmpdir(), 'certdesk-no-dup-'))
})
afterEach(() => sb.faults.clear())
afterAll(async () => {
  await sb.close()
  await keychain.delete(DATA_KEY_ACCOUNT)
  rmSync(dir, { recursive: true, force: true })
  await shutdownKeyPool()
  const lines = tally.map(([n, p, c]) => `  ${n}: ${p} create(s) sent, ${c} certificate(s) at the end`)
  console.info(`no-duplicates: ${tally.length} scenarios\n${lines.join('\n')}`)
})

const vault = () => new KeyVault(join(dir, 'vault'), keychain)
const posts = () => sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/client_certificates')).length
const issuedFor = (csrPem: string) => sb.snapshot().clientCertificates.filter((c) => pemBody(c.csr) === pemBody(csrPem))

function issuerFor(v: KeyVault, options: { attemptTimeoutMs?: number; settleMs?: number } = {}): ClientCertIssuer {
  const service = new CloudflareService({
    connect: async () => ({ token: sb.tokens.full, baseUrl: sb.url }),
    activity: { record: () => {} },
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
    limiter: { baseBackoffMs: 50, maxBackoffMs: 400 },
    createSettleMs: options.settleMs ?? 5_000,
    createPollMs: 100,
  })
  return new ClientCertIssuer(service, v)
}

const forKey = (key: VaultEntry & { csrPem: string }) => ({ csrPem: key.csrPem, validityDays: 365, keyId: key.id })

async function vaultKey(v: KeyVault, cn: string): Promise<VaultEntry & { csrPem: string }> {
  const keys = await generateKey('ec-p256')
  const csr = await createCsr({ keys, subject: { cn } })
  return (await v.save({ privateKey: keys.privateKey, label: cn, csrPem: csr.pem })) as VaultEntry & { csrPem: string }
}

/** Read through a fresh vault: what another process (or the next start) sees on disk. */
function expectLinked(_v: KeyVault, keyId: string, csrPem: string): void {
  const v = vault()
  const issued = issuedFor(csrPem)
  expect(issued).toHaveLength(1)
  expect(v.get(keyId).certificate?.cloudflareId).toBe(issued[0]!.id)
  expect(v.pendingIntents()).toEqual([])
}

describe('never a duplicate client certificate', () => {
  test('the server commits after the client timed out: the list is watched until it appears, no second create', async () => {
    const v = vault()
    const key = await vaultKey(v, 'slow-commit')
    sb.faults.set('slow-commit=1@method=POST,delay=1500ms')
    const before = posts()
    const result = await issuerFor(v, { attemptTimeoutMs: 400 }).issue('p', zone, forKey(key))
    expect(result.recovered).toBe(true)
    expect(posts() - before).toBe(1)
    expectLinked(v, key.id, key.csrPem)
    tally.push(['slow commit > client timeout', posts() - before, issuedFor(key.csrPem).length])
  })

  test('after "outcome unknown", a retry resumes the pending intent: it looks first and finds the certificate', async () => {
    const v = vault()
    const key = await vaultKey(v, 'retry-after-unknown')
    // The POST times out while the server is still committing, and every lookup then fails (503 x5).
    sb.faults.set('slow-commit=1@method=POST,delay=1500ms;5xx=503x5@method=GET')
    const before = posts()
    const issuer = issuerFor(v, { attemptTimeoutMs: 300 })
    const error = (await issuer.issue('p', zone, forKey(key)).catch((e: unknown) => e)) as AppError
    expect(error).toBeInstanceOf(AppError)
    expect(error.details?.['outcomeUnknown']).toBe(true)
    expect(error.message).toMatch(/could not check whether the certificate was issued/)
    expect(v.pendingIntents()).toHaveLength(1)
    // The user (a new process, say) tries again at once: the intent is resumed, nothing is sent.
    const retry = await issuerFor(vault(), { attemptTimeoutMs: 300 }).issue('p', zone, forKey(key))
    expect(retry).toMatchObject({ recovered: true, resumed: true })
    expect(posts() - before).toBe(1)
    expectLinked(v, key.id, key.csrPem)
    tally.push(['retry after outcome unknown', posts() - before, issuedFor(key.csrPem).length])
  })

  test('a user-uploaded CSR (no vault key): the CLI-style retry after "outcome unknown" finds the first certificate', async () => {
    const v = vault()
    const keys = await generateKey('ec-p256')
    const csrPem = (await createCsr({ keys, subject: { cn: 'uploaded' } })).pem
    sb.faults.set('slow-commit=1@method=POST,delay=1200ms;5xx=503x5@method=GET')
    const before = posts()
    const first = issuerFor(v, { attemptTimeoutMs: 300 }).issue('cli', zone, { csrPem, validityDays: 365 })
    await expect(first).rejects.toThrow(/could not check/)
    expect(v.pendingIntents().map((i) => [i.zoneId, i.keyId])).toEqual([[zone.zoneId, undefined]])
    const retry = await issuerFor(v).issue('cli', zone, { csrPem, validityDays: 365 })
    expect(retry.recovered).toBe(true)
    expect(posts() - before).toBe(1)
    expect(issuedFor(csrPem)).toHaveLength(1)
    expect(v.pendingIntents()).toEqual([])
    tally.push(['uploaded CSR, retry after outcome unknown', posts() - before, issuedFor(csrPem).length])
  })

  test('every attempt lost (nothing issued): the intent stays pending, the retry looks first, then issues once', async () => {
    const v = vault()
    const key = await vaultKey(v, 'all-attempts-lost')
    sb.faults.set('drop=3@method=POST')
    const before = posts()
    const error = (await issuerFor(v, { settleMs: 200 })
      .issue('p', zone, forKey(key))
      .catch((e: unknown) => e)) as AppError
    expect(error.details).toMatchObject({ outcomeUnknown: true, attempts: 3 })
    expect(error.hint).toMatch(/looks for it before sending anything, so it is never issued twice/)
    expect(v.pendingIntents().map((i) => i.keyId)).toEqual([key.id])
    expect(issuedFor(key.csrPem)).toHaveLength(0)
    const gets = sb.requests().filter((r) => r.method === 'GET').length
    const retry = await issuerFor(vault(), { settleMs: 200 }).issue('p', zone, forKey(key))
    expect(retry).toMatchObject({ recovered: false, resumed: true })
    expect(sb.requests().filter((r) => r.method === 'GET').length).toBeGreaterThan(gets) // looked before sending
    expect(posts() - before).toBe(4)
    expectLinked(v, key.id, key.csrPem)
    tally.push(['every attempt dropped, then retry', posts() - before, issuedFor(key.csrPem).length])
  })

  test('two creates for the same key at once (a double click): one request, one certificate', async () => {
    const v = vault()
    const key = await vaultKey(v, 'double-click')
    sb.faults.set('latency=300ms')
    const before = posts()
    const issuer = issuerFor(v)
    const [a, b] = await Promise.all([0, 1].map(() => issuer.issue('p', zone, forKey(key)).catch((e: unknown) => e)))
    expect(a).not.toBeInstanceOf(Error)
    expect(b).toEqual(a)
    expect(posts() - before).toBe(1)
    expectLinked(v, key.id, key.csrPem)
    tally.push(['two creates at once', posts() - before, issuedFor(key.csrPem).length])
  })

  test('a vault key that cannot be decrypted gets no certificate: nothing is sent', async () => {
    const v = vault()
    const key = await vaultKey(v, 'unreadable-key')
    writeFileSync(join(v.keysDir, `${key.id}.key`), Buffer.from('CDV1 not a sealed key, damaged on disk'))
    const before = posts()
    const error = (await issuerFor(v)
      .issue('p', zone, forKey(key))
      .catch((e: unknown) => e)) as AppError
    expect(error.code).toBe('storage_corrupt')
    expect(error.message).toMatch(/^Nothing was sent to Cloudflare: /)
    expect(posts() - before).toBe(0)
    expect(issuedFor(key.csrPem)).toHaveLength(0)
    expect(v.pendingIntents()).toEqual([])
    tally.push(['unreadable vault key', posts() - before, issuedFor(key.csrPem).length])
  })

  test('reconcile drops an intent whose create never reached the server, once the settle time is over', async () => {
    const v = vault()
    const key = await vaultKey(v, 'never-sent')
    v.beginIntent({ csrPem: key.csrPem, zoneId: zone.zoneId, profileId: 'p', keyId: key.id, validityDays: 365 })
    const outcomes = await issuerFor(v, { settleMs: 200 }).reconcile({ profileIds: ['p'] })
    expect(outcomes.map((o) => o.outcome)).toEqual(['dropped'])
    expect(v.pendingIntents()).toEqual([])
    expect(v.get(key.id).certificate).toBeUndefined()
  })
})

describe('SIGKILL of a CLI create after its POST reached the server', () => {
  const jiti = join(process.cwd(), 'node_modules', '.bin', 'jiti')
  const cliEntry = join(process.cwd(), 'src', 'cli', 'index.ts')

  function cli(args: string[]): ReturnType<typeof spawn> {
    const env = { ...process.env, CERTDESK_USER_DATA: dir, CLOUDFLARE_API_TOKEN: sb.tokens.full, CERTDESK_CREATE_SETTLE_MS: '15000' }
    return spawn(jiti, [cliEntry, ...args, '--base-url', sb.url], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  }
  async function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    const child = cli(args)
    let out = ''
    let err = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    return { code, out, err }
  }
  /** Start `create`, wait until the Sandbox has received its POST (the slow commit holds it), kill -9. */
  async function createAndKill(csrFile: string): Promise<void> {
    sb.faults.set('slow-commit=1@method=POST,delay=2500ms')
    const delayed = sb.faults.stats().delayed
    const child = cli(['cf', 'client-certs', 'create', '--zone', zone.zoneId, '--csr', csrFile, '--days', '365'])
    const deadline = Date.now() + 60_000
    while (sb.faults.stats().delayed === delayed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(sb.faults.stats().delayed).toBe(delayed + 1)
    child.kill('SIGKILL')
    await once(child, 'exit')
  }

  test.each(['reconcile', 'the same create again'])(
    'then %s: exactly one certificate, linked to its vault key',
    async (next) => {
      const v = vault()
      const key = await vaultKey(v, `killed-${next.replace(/\W+/g, '-')}`)
      const csrFile = `${key.id}.csr`
      writeFileSync(join(dir, csrFile), key.csrPem)
      const before = posts()
      await createAndKill(csrFile)
      expect(
        vault()
          .pendingIntents()
          .map((i) => i.keyId),
      ).toEqual([key.id]) // recorded before the POST, not settled
      const after =
        next === 'reconcile'
          ? await run(['cf', 'client-certs', 'reconcile', '--json'])
          : await run(['cf', 'client-certs', 'create', '--zone', zone.zoneId, '--csr', csrFile, '--days', '365', '--json'])
      expect(after.code, after.err).toBe(0)
      if (next === 'reconcile') expect(JSON.parse(after.out)).toMatchObject([{ outcome: 'linked', keyId: key.id }])
      else expect(JSON.parse(after.out)).toMatchObject({ recovered: true, resumed: true, keyId: key.id })
      expect(posts() - before).toBe(1)
      expectLinked(vault(), key.id, key.csrPem)
      tally.push([`CLI SIGKILL mid-create, then ${next}`, posts() - before, issuedFor(key.csrPem).length])
    },
    120_000,
  )
})
