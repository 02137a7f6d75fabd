/** The file ledger: one budget shared by separate ledger instances (processes), under a lock that survives a dead holder. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { budgetKey, FileRateLedger } from '../../../src/main/cloudflare/rate-ledger'

const root = mkdtempSync(join(tmpdir(), 'certdesk-ledger-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const fixed = (capacity: number, windowMs: number) => () => ({ capacity, windowMs })
const freshDir = () => join(root, `d${n++}`)

describe('FileRateLedger', () => {
  test('two instances on one folder share the window and the pause', async () => {
    const dir = freshDir()
    const a = new FileRateLedger(dir, 'k')
    const b = new FileRateLedger(dir, 'k')
    expect(await a.take(1000, fixed(3, 10_000))).toBe(0)
    expect(await b.take(1001, fixed(3, 10_000))).toBe(0)
    expect(await a.take(1002, fixed(3, 10_000))).toBe(0)
    // Full: b waits until a's first send leaves the window.
    expect(await b.take(1003, fixed(3, 10_000))).toBe(9997)
    expect(await b.count(1003, 10_000)).toBe(3)
    expect(await b.take(11_000, fixed(3, 10_000))).toBe(0)
    await a.pauseUntil(50_000)
    expect(await b.take(20_000, fixed(3, 10_000))).toBe(30_000)
    // A budget the server announced to one process is what the others plan with.
    await a.learn({ requests: 24, windowMs: 3000 })
    let heard: unknown = null
    await b.take(60_000, (policy) => ((heard = policy), { capacity: 3, windowMs: 10_000 }))
    expect(heard).toEqual({ requests: 24, windowMs: 3000 })
    // Another budget (key) is not affected.
    expect(await new FileRateLedger(dir, 'other').take(20_000, fixed(3, 10_000))).toBe(0)
  })

  test('a settled request counts from its answer: a slow request cannot let the next window start early', async () => {
    const dir = freshDir()
    const a = new FileRateLedger(dir, 'k')
    const b = new FileRateLedger(dir, 'k')
    expect(await a.take(1000, fixed(1, 10_000))).toBe(0)
    // Sent at 1000, answered at 4000: the server counted it somewhere in between.
    await a.settle(1000, 4000)
    expect(await b.take(11_500, fixed(1, 10_000))).toBe(2500)
    expect(await b.take(14_000, fixed(1, 10_000))).toBe(0)
    // A send that already left the window is not brought back.
    await a.settle(1000, 20_000)
    expect(await b.count(20_000, 10_000)).toBe(1)
  })

  test('concurrent takes from many instances never hand out more than the capacity', async () => {
    const dir = freshDir()
    const ledgers = Array.from({ length: 4 }, () => new FileRateLedger(dir, 'k'))
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => ledgers[i % 4]!.take(5000, fixed(10, 60_000))))
    expect(waits.filter((w) => w === 0)).toHaveLength(10)
    expect(await ledgers[0]!.count(5000, 60_000)).toBe(10)
  })

  test('a lock left by a dead process is taken over; a live one is waited for', async () => {
    const dir = freshDir()
    const ledger = new FileRateLedger(dir, 'k', { staleLockMs: 1000 })
    await ledger.take(1, fixed(5, 1000))
    const lock = join(dir, 'k.lock')
    mkdirSync(lock)
    const old = new Date(Date.now() - 10_000)
    utimesSync(lock, old, old)
    let started = performance.now()
    expect(await ledger.take(2, fixed(5, 1000))).toBe(0)
    expect(performance.now() - started).toBeLessThan(500)

    mkdirSync(lock)
    setTimeout(() => rmSync(lock, { recursive: true }), 150)
    started = performance.now()
    expect(await ledger.take(3, fixed(5, 1000))).toBe(0)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(readdirSync(dir).sort()).toEqual(['k.json'])
  })

  test('the file is private, holds no token, and a damaged file reads as empty', async () => {
    const dir = freshDir()
    const token = 'sandbox_full_secret_token_value_1234567'
    const key = budgetKey('https://api.cloudflare.com/client/v4', token)
    expect(key).toMatch(/^[0-9a-f]{32}$/)
    expect(key).not.toBe(budgetKey('http://127.0.0.1:8787/client/v4', token))
    const ledger = new FileRateLedger(dir, key)
    await ledger.take(7, fixed(2, 1000))
    const file = join(dir, `${key}.json`)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).not.toContain(token)
    writeFileSync(file, '{not json')
    expect(await ledger.take(8, fixed(1, 1000))).toBe(0)
    expect(() => new FileRateLedger(dir, '../escape')).toThrow(RangeError)
  })
})
