/**
 * `certdesk expiry` for cron: a Sandbox whose clock stands at a fixed date holds a certificate due on every Cloudflare
 * surface, the CLI's vault a due local CA and leaf, and a throwaway machine a due installed root. Judged at that date,
 * `--within 30d` lists exactly those (exit 1); a shorter window or an earlier date lists nothing (exit 0).
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { appServices } from '../../src/cli/app-services'
import { runCaptured, useCfSandbox } from '../support/cli'
import { makeDebianTree, throwawayMachine } from '../support/debian-tree'
import { SEED_AT, seedCloudflare, seedInstalledRoot, seedVault, type Seeded } from '../support/expiry-seed'

const DAY = 86_400_000
const fx = useCfSandbox('certdesk-cli-expiry-', { seed: 'empty', now: SEED_AT })
const tree = makeDebianTree(2)
const at = new Date(SEED_AT).toISOString()
let env: Record<string, string>
let due: Seeded[]

beforeAll(async () => {
  const root = await seedInstalledRoot(tree.anchors, SEED_AT)
  await throwawayMachine(tree.root, join(tree.root, 'home'))
  env = {
    PATH: `${process.env['PATH'] ?? ''}:/usr/sbin`,
    CLOUDFLARE_API_TOKEN: fx.sb.tokens.full,
    CERTDESK_USER_DATA: fx.dir,
    CERTDESK_TRUST_ROOT: tree.root,
  }
  const app = appServices({ env, cwd: fx.dir, stdout: () => undefined, stderr: () => undefined })
  const rootId = createHash('sha256').update(Buffer.from(root.made.cert.rawData)).digest('hex').toUpperCase()
  due = [
    ...(await seedCloudflare(fx.sb, SEED_AT)),
    ...(await seedVault(app.vault, SEED_AT)),
    { surface: 'installedRoot', id: rootId, days: root.days },
  ]
}, 120_000)
afterAll(() => tree.cleanup())

const expiry = (argv: string[], more: Record<string, string | undefined> = {}) =>
  runCaptured(['expiry', ...argv], { env: { ...env, ...more } as Record<string, string>, cwd: fx.dir })

interface Listed {
  due: number
  items: Array<{ surface: string; id: string; name: string; expiry: string; state: string }>
  failedSources: unknown[]
}

describe('certdesk expiry', () => {
  test('--within 30d at the Sandbox date lists exactly the seeded due items, on every surface (exit 1)', async () => {
    const r = await expiry(['--within', '30d', '--at', at, '--base-url', fx.sb.url, '--json'])
    expect(r.code, r.err).toBe(1)
    const listed = JSON.parse(r.out) as Listed
    expect(listed.failedSources).toEqual([])
    expect(listed.items.map((i) => `${i.surface} ${i.id}`).sort()).toEqual(due.map((d) => `${d.surface} ${d.id}`).sort())
    expect(new Set(listed.items.map((i) => i.surface)).size).toBe(9)
    for (const d of due) {
      const item = listed.items.find((i) => i.id === d.id)!
      expect(item.name).not.toBe('')
      expect(Math.abs(Date.parse(item.expiry) - (SEED_AT + d.days * DAY))).toBeLessThan(5 * 60_000)
    }
    // The same in words: one line per item, soonest first.
    const human = await expiry(['--at', at, '--base-url', fx.sb.url])
    expect(human.code).toBe(1)
    expect(human.out.split('\n')[0]).toMatch(new RegExp(`^${due.length} of \\d+ certificates expire within 30 days`))
    expect(
      human.out
        .split('\n')
        .slice(1)
        .filter((l) => l.startsWith('expiring')),
    ).toHaveLength(due.length)
    expect(human.out).toMatch(/issuedCert\s+radar-leaf\.internal\s+This machine · vault/)
  })

  test('a shorter window, or an earlier date: nothing due (exit 0)', async () => {
    const short = await expiry(['--within', '2d', '--at', at, '--base-url', fx.sb.url, '--json'])
    expect(short.code, short.err).toBe(0)
    expect((JSON.parse(short.out) as Listed).items).toEqual([])
    const earlier = await expiry(['--within', '30d', '--at', new Date(SEED_AT - 60 * DAY).toISOString(), '--base-url', fx.sb.url])
    expect(earlier.code, earlier.err).toBe(0)
    expect(earlier.out).toMatch(/^Nothing of \d+ certificates expires within 30 days/)
  })

  test('without a token: this machine only (the vault and its roots)', async () => {
    const r = await expiry(['--at', at, '--json'], { CLOUDFLARE_API_TOKEN: undefined })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/checking this machine only/)
    const local = due.filter((d) => ['localCa', 'issuedCert', 'installedRoot'].includes(d.surface))
    expect((JSON.parse(r.out) as Listed).items.map((i) => i.id).sort()).toEqual(local.map((d) => d.id).sort())
  })

  test('a revoked token fails the check with its reason (exit 1)', async () => {
    const r = await expiry(['--at', at, '--base-url', fx.sb.url], { CLOUDFLARE_API_TOKEN: fx.sb.tokens.revoked })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/token/i)
  })

  test('bad input exits 2 with what is expected', async () => {
    for (const [argv, message] of [
      [['--within', 'soon'], /--within must be a number of days such as 30d/],
      [['--within', '4000d'], /up to 3650d/],
      [['--at', 'yesterday'], /--at must be an RFC 3339 time/],
    ] as const) {
      const r = await expiry([...argv, '--base-url', fx.sb.url])
      expect(r.code, r.err).toBe(2)
      expect(r.err).toMatch(message)
    }
  })
})
