/**
 * One rate budget across processes (issue #11): real CLI processes, spawned, against one Sandbox
 * whose per-user window is small. Judged from the Sandbox's own request log, not the client's.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { parseFaultSpec, startSandbox, type RecordedRequest, type SandboxHandle } from '../../../src/main/sandbox'

const jiti = join(process.cwd(), 'node_modules', '.bin', 'jiti')
const cliEntry = join(process.cwd(), 'src', 'cli', 'index.ts')

let dir: string
let sb: SandboxHandle | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-rate-'))
})
afterEach(async () => {
  await sb?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Run the real CLI in its own process; all of them share the user-data folder `dir`. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [jiti, cliEntry, ...args], {
      env: { ...process.env, CERTDESK_USER_DATA: dir, CERTDESK_RATE_SHARE: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, out, err }))
  })
}

/** The most requests the Sandbox served in any window of `windowMs` (by its own clock). */
function busiestWindow(requests: RecordedRequest[], windowMs: number): number {
  const times = requests
    .filter((r) => r.status !== 429)
    .map((r) => r.at)
    .sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= windowMs) i++
    most = Math.max(most, j - i + 1)
  }
  return most
}

describe('one Cloudflare budget across processes', () => {
  test('4 CLI processes looping on one token: no 429, never more than 80 % of the budget in any window', async () => {
    const budget = { requests: 24, windowMs: 3000 }
    sb = await startSandbox({ seed: 'empty', faults: parseFaultSpec(`budget=${budget.requests}/${budget.windowMs}ms@block=60s`) })
    const env = { CLOUDFLARE_API_TOKEN: sb.tokens.full }
    const started = Date.now()
    const loops = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const runs = []
        for (let i = 0; i < 2; i++) runs.push(await cli(['cf', 'verify', '--base-url', sb!.url, '--json'], env))
        return runs
      }),
    )
    const seconds = (Date.now() - started) / 1000
    for (const run of loops.flat()) {
      expect(run.code, run.err).toBe(0)
      expect(JSON.parse(run.out)).toMatchObject({ status: 'active' })
    }
    const requests = sb.requests()
    const throttled = requests.filter((r) => r.status === 429).length
    const most = busiestWindow(requests, budget.windowMs)
    console.log(
      `4 processes x 2 runs: ${requests.length} requests in ${seconds.toFixed(1)} s, ` +
        `busiest ${budget.windowMs / 1000} s window ${most}/${budget.requests}, 429s ${throttled}`,
    )
    expect(throttled).toBe(0)
    expect(sb.rateLimit.stats()).toEqual({ refused: 0, blocks: 0 })
    // The 80 % share: never more than 19 of 24 in any window; and the budget really was the limit.
    expect(most).toBeLessThanOrEqual(Math.floor(budget.requests * 0.8))
    expect(requests.length).toBeGreaterThan(2 * budget.requests)
    // Someone waited a second or more, and said so on stderr (never on --json stdout).
    const err = loops
      .flat()
      .map((r) => r.err)
      .join('')
    expect(err).toMatch(/waiting for Cloudflare's rate limit, \d+ s/)
  }, 180_000)

  test("over the budget: the Sandbox's block (shortened) answers 429 to every token, and the CLI waits it out and says so", async () => {
    sb = await startSandbox({ seed: 'empty', faults: parseFaultSpec('budget=5/2s@block=10s') })
    // Another tool of the same user (here: the read-only token) spends the whole budget and one more.
    const verify = `${sb.url}/user/tokens/verify`
    for (let i = 0; i < 6; i++) await fetch(verify, { headers: { authorization: `Bearer ${sb.tokens.readOnly}` } })
    expect(sb.rateLimit.stats()).toEqual({ refused: 1, blocks: 1 })
    const blockedAt = sb.requests().at(-1)!.at
    const run = await cli(['cf', 'zones', '--base-url', sb.url, '--json'], { CLOUDFLARE_API_TOKEN: sb.tokens.full })
    expect(run.code, run.err).toBe(0)
    expect(JSON.parse(run.out)).toEqual(sb.zones.map((z) => expect.objectContaining({ id: z.id })))
    // Started a second or few into the block (process start-up), it waits out the rest.
    expect(run.err).toMatch(/^waiting for Cloudflare's rate limit, ([1-9]|10) s$/m)
    const mine = sb.requests().slice(6)
    // Refused while blocked (every token of the user), then served once the block ended.
    expect(mine[0]!.status).toBe(429)
    const served = mine.filter((r) => r.status === 200)
    expect(served.length).toBeGreaterThan(0)
    expect(served[0]!.at - blockedAt).toBeGreaterThanOrEqual(10_000)
    expect(mine.filter((r) => r.status === 429)).toHaveLength(1)
  }, 60_000)
})
