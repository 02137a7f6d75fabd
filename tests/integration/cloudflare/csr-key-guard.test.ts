/**
 * Issue #11 item 3: a CSR whose key the certificate lint fails (RSA-1024, Ed25519, P-521) is refused
 * before any request — by the app's create paths and the CLI — with the rule and its fix; and the
 * Sandbox refuses it too, as Cloudflare's managed CA does, so the guard is provable.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../../src/cli/run'
import type { CliIo } from '../../../src/cli/command'
import { CloudflareService } from '../../../src/main/cloudflare'
import { bulkCreate, createClientCertificate } from '../../../src/main/cloudflare/client-certificates'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { CLOUDFLARE_CLIENT_KEYS_SENTENCE } from '../../../src/shared/constants'
import { AppError } from '../../../src/shared/errors'
import { clientFor } from './helpers'

let sb: SandboxHandle
let dir: string
let zone: { zoneId: string; zoneName: string }
const csrs: Record<string, string> = {}

/** openssl (the referee) makes each CSR. */
function opensslCsr(name: string, newkey: string[]): string {
  const args = ['req', '-new', ...newkey, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}.example.com`]
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  return readFileSync(join(dir, `${name}.csr`), 'utf8')
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty' })
  zone = { zoneId: sb.zones[0]!.id, zoneName: sb.zones[0]!.name }
  dir = mkdtempSync(join(tmpdir(), 'certdesk-csr-guard-'))
  csrs['rsa1024'] = opensslCsr('rsa1024', ['-newkey', 'rsa:1024'])
  csrs['ed25519'] = opensslCsr('ed25519', ['-newkey', 'ed25519'])
  csrs['p521'] = opensslCsr('p521', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'])
  csrs['rsa2048'] = opensslCsr('rsa2048', ['-newkey', 'rsa:2048'])
  csrs['p384'] = opensslCsr('p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'])
})
afterAll(async () => {
  await sb.close()
  rmSync(dir, { recursive: true, force: true })
})

const posts = () => sb.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/client_certificates')).length
const BAD = [
  ['rsa1024', 'key.rsa.too_small', /RSA key is 1024 bits/],
  ['ed25519', 'cloudflare.client_key.unsupported', /Ed25519/i],
  ['p521', 'cloudflare.client_key.unsupported', /P-521/],
] as const

describe('CSR key guard', () => {
  test.each(BAD)('%s: refused before any request, with the rule, its fix and what Cloudflare accepts', async (name, rule, found) => {
    const before = posts()
    const request = { csrPem: csrs[name]!, validityDays: 365 }
    const error = (await createClientCertificate(clientFor(sb, sb.tokens.full), zone, request).catch((e: unknown) => e)) as AppError
    expect(error).toBeInstanceOf(AppError)
    expect(error.code).toBe('bad_input')
    expect(error.message).toMatch(found)
    expect(error.message).toContain(`(rule ${rule})`)
    expect(error.message).toContain(CLOUDFLARE_CLIENT_KEYS_SENTENCE)
    expect(error.hint).toMatch(/certdesk key new --type (ec-p256|rsa-2048)/)
    expect(error.details?.['rule']).toBe(rule)
    expect(posts()).toBe(before)
    expect(sb.snapshot().clientCertificates).toHaveLength(0)
  })

  test('bulk create and the service refuse them item by item; good keys (openssl RSA-2048, P-384) are issued', async () => {
    const connect = async () => ({ token: sb.tokens.full, baseUrl: sb.url })
    const service = new CloudflareService({ connect, activity: { record: () => {} } })
    const items = ['rsa1024', 'ed25519', 'rsa2048', 'p384'].map((key) => ({ key, csrPem: csrs[key]!, validityDays: 365 }))
    const result = await bulkCreate(clientFor(sb, sb.tokens.full), zone, items)
    expect(result.succeeded.sort()).toEqual(['p384', 'rsa2048'])
    expect(result.failed.map((f) => [f.id, f.code]).sort()).toEqual([
      ['ed25519', 'bad_input'],
      ['rsa1024', 'bad_input'],
    ])
    const p521 = { profileId: 'p', zoneId: zone.zoneId, csrPem: csrs['p521']!, validityDays: 365 }
    const single = (await service.run('clientCerts.createFromCsr', p521).catch((e: unknown) => e)) as AppError
    expect(single.details?.['rule']).toBe('cloudflare.client_key.unsupported')
    expect(posts()).toBe(2)
  })

  test('the Sandbox refuses them as the managed CA does: 400, CSR error, nothing issued', async () => {
    const before = sb.snapshot().clientCertificates.length
    for (const [name] of BAD) {
      const res = await fetch(`${sb.url}/zones/${zone.zoneId}/client_certificates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sb.tokens.full}`, 'content-type': 'application/json' },
        body: JSON.stringify({ csr: csrs[name], validity_days: 365 }),
      })
      const body = (await res.json()) as { success: boolean; errors: Array<{ code: number; message: string }> }
      expect(res.status, name).toBe(400)
      expect(body.success).toBe(false)
      expect(body.errors[0]!.code).toBe(1100)
      expect(body.errors[0]!.message).toMatch(/public key is not supported .*2048 bits .*P-256 or P-384/)
    }
    expect(sb.snapshot().clientCertificates.length).toBe(before)
  })

  test('CLI: exit 2, one line naming the rule; nothing sent', async () => {
    writeFileSync(join(dir, 'weak.csr'), csrs['rsa1024']!)
    let out = ''
    let err = ''
    const env = { CLOUDFLARE_API_TOKEN: sb.tokens.full, CERTDESK_USER_DATA: dir }
    const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: dir }
    const before = posts()
    const argv = ['cf', 'client-certs', 'create', '--zone', zone.zoneId, '--csr', 'weak.csr', '--days', '365', '--base-url', sb.url]
    const code = await runCli(argv, io, 'test')
    expect(code).toBe(2)
    expect(err).toContain('key.rsa.too_small')
    expect(err).toContain(CLOUDFLARE_CLIENT_KEYS_SENTENCE)
    expect(out).toBe('')
    expect(posts()).toBe(before)
  })
})
