import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { budgetKey } from '../../src/main/cloudflare/rate-ledger'
import { runCaptured, useCfSandbox } from '../support/cli'
import { makeCsr } from '../support/csr'

const fx = useCfSandbox('certdesk-cf-cli-', { seed: 'empty', timing: { revocationMs: 60_000, reactivationMs: 60_000 } })

const cli = (argv: string[], token?: string) => fx.run(argv, token === undefined ? {} : { token })

describe('certdesk cf', () => {
  test('verify, zones, create, list, revoke, reactivate — with --json', async () => {
    const base = ['--base-url', fx.sb.url]
    const verify = await cli(['cf', 'verify', ...base, '--json'])
    expect(verify.code).toBe(0)
    expect(JSON.parse(verify.out)).toMatchObject({ status: 'active', owner: 'user', missing: [] })

    const zones = JSON.parse((await cli(['cf', 'zones', ...base, '--json'])).out) as Array<{ id: string; name: string }>
    expect(zones.map((z) => z.name).sort()).toEqual(fx.sb.zones.map((z) => z.name).sort())

    writeFileSync(join(fx.dir, 'device.csr'), (await makeCsr('cli-device.example.com')).pem)
    const created = await cli([
      'cf',
      'client-certs',
      'create',
      '--zone',
      'example.com',
      '--csr',
      'device.csr',
      '--days',
      '365',
      ...base,
      '--json',
    ])
    expect(created.code, created.err).toBe(0)
    const id = (JSON.parse(created.out) as { certificate: { id: string } }).certificate.id
    const human = await cli(['cf', 'client-certs', 'list', '--zone', fx.sb.zones[0]!.id, '--status', 'active', ...base])
    expect(human.out).toContain(id)
    expect(human.out).toContain('cli-device.example.com')

    const revoked = JSON.parse((await cli(['cf', 'client-certs', 'revoke', '--zone', 'example.com', id, ...base, '--json'])).out) as {
      status: string
    }
    expect(revoked.status).toBe('pending_revocation')
    const back = JSON.parse((await cli(['cf', 'client-certs', 'reactivate', '--zone', 'example.com', id, ...base, '--json'])).out) as {
      status: string
    }
    expect(back.status).toBe('pending_reactivation')

    // The changes are in the app's activity log, without the token.
    const log = readFileSync(join(fx.dir, 'activity.jsonl'), 'utf8')
    expect(log).toContain('cf.clientCerts.createFromCsr')
    expect(log).toContain('cf.clientCerts.revoke')
    expect(log).not.toContain(fx.sb.tokens.full)
  })

  test('errors: read-only token (exit 1 with the permission named), bad input (exit 2), no token (exit 2)', async () => {
    const base = ['--base-url', fx.sb.url]
    writeFileSync(join(fx.dir, 'ro.csr'), (await makeCsr('ro')).pem)
    const denied = await cli(
      ['cf', 'client-certs', 'create', '--zone', 'example.com', '--csr', 'ro.csr', '--days', '365', ...base, '--json'],
      fx.sb.tokens.readOnly,
    )
    expect(denied.code).toBe(1)
    expect((JSON.parse(denied.out) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'cf_permission',
      message: 'This token lacks *SSL and Certificates Write* on zone example.com.',
    })
    const badCsr = await cli(['cf', 'client-certs', 'create', '--zone', 'example.com', '--csr', 'missing.csr', '--days', '365', ...base])
    expect(badCsr.code).toBe(2)
    expect((await cli(['cf', 'client-certs', 'list', '--zone', 'example.com', '--status', 'bogus', ...base])).code).toBe(2)
    expect((await cli(['cf', 'client-certs', 'create', '--zone', 'example.com', '--csr', 'ro.csr', '--days', '99999', ...base])).code).toBe(
      2,
    )
    expect((await cli(['cf', 'verify', '--base-url', 'http://example.com/client/v4'])).code).toBe(2)
    const revoked = await cli(['cf', 'verify', ...base], fx.sb.tokens.revoked)
    expect(revoked.code).toBe(1)
    expect(revoked.err).toMatch(/revoked, expired or unknown/)
    const expired = await cli(['cf', 'verify', ...base], fx.sb.tokens.expired)
    expect(expired.code).toBe(1)
    expect(expired.err).toContain('This API token expired on 2026-06-30')
    const none = await cli(['cf', 'zones', ...base], '')
    expect(none.code).toBe(2)
    expect(none.err).toMatch(/CLOUDFLARE_API_TOKEN/)
  })
})

describe('certdesk cf: the rate share', () => {
  test('--rate-share, else CERTDESK_RATE_SHARE, else the app setting; a bad one exits 2 naming where it came from', async () => {
    const base = ['--base-url', fx.sb.url]
    expect((await cli(['cf', 'zones', ...base, '--rate-share', '50%'])).code).toBe(0)
    expect((await cli(['cf', 'zones', ...base, '--rate-share', '0.5'])).code).toBe(0)
    const tooMuch = await cli(['cf', 'zones', ...base, '--rate-share', '1.5'])
    expect(tooMuch.code).toBe(2)
    expect(tooMuch.err).toContain(`--rate-share must be a share of Cloudflare's rate budget from 0.05 to 1 (or 5% to 100%), got "1.5".`)
    const env = { CLOUDFLARE_API_TOKEN: fx.sb.tokens.full, CERTDESK_USER_DATA: fx.dir, CERTDESK_RATE_SHARE: 'lots' }
    const fromEnv = await runCaptured(['cf', 'zones', ...base], { env, cwd: fx.dir })
    expect(fromEnv.code).toBe(2)
    expect(fromEnv.err).toContain('CERTDESK_RATE_SHARE must be a share')
    expect(fromEnv.out).toBe('')
  })

  test('the CLI and the service count in one ledger per token in the user-data folder, named without the token', async () => {
    const ledgerDir = join(fx.dir, 'rate-limit')
    const before = readdirSync(ledgerDir).filter((f) => f.endsWith('.json'))
    expect(before.length).toBeGreaterThan(0)
    for (const f of before) {
      expect(f).not.toContain(fx.sb.tokens.full)
      expect(readFileSync(join(ledgerDir, f), 'utf8')).not.toContain(fx.sb.tokens.full)
    }
    const file = join(
      ledgerDir,
      before.find((f) => f.startsWith(budgetKey(fx.sb.url, fx.sb.tokens.full)))!,
    )
    const sent = () => (JSON.parse(readFileSync(file, 'utf8')) as { sent: number[] }).sent.length
    const was = sent()
    expect((await cli(['cf', 'zones', '--base-url', fx.sb.url])).code).toBe(0)
    expect(sent()).toBeGreaterThan(was)
  })
})
