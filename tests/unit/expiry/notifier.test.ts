/**
 * The radar's notifications: an item entering the window and its expiry are each told once, at most once a day (an item
 * that expires on the day it was told is told its expiry the next day); several at once become one notice; what was
 * told is kept on disk, so a restart does not repeat it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { Notice } from '../../../src/main/services'
import { buildIndex, type Listing } from '../../../src/main/expiry'
import { ExpiryNotifier, MAX_SEPARATE_NOTICES } from '../../../src/main/expiry/notifier'

const HOUR = 3600_000
const DAY = 24 * HOUR
const T = Date.parse('2031-05-01T01:00:00Z')
const dir = mkdtempSync(join(tmpdir(), 'certdesk-notifier-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const listing = (entries: Array<[string, number]>): Listing => ({
  key: 'localCa:vault',
  surface: 'localCa',
  where: { text: 'This machine · vault' },
  entries: entries.map(([name, at]) => ({ id: name, name, notAfter: new Date(at).toISOString() })),
})

test('once per item per day, kept across restarts', async () => {
  const told: Notice[] = []
  const notifier = () => new ExpiryNotifier(dir, (n) => void told.push(n))
  // First seen with "quick" 4 hours from expiry and "slow" 20 days from it.
  const index = await buildIndex([
    listing([
      ['quick', T + 4 * HOUR],
      ['slow', T + 20 * DAY],
    ]),
  ])
  const at = (ms: number) => ({ now: ms, windowDays: 30 })
  expect(
    notifier()
      .check(index, at(T))
      .map((n) => n.title),
  ).toEqual(['quick expires in less than a day', 'slow expires in 20 days'])
  expect(notifier().check(index, at(T + HOUR))).toEqual([])
  // "quick" expires later that day: not told again today, even by a new notifier (a restart).
  expect(notifier().check(index, at(T + 5 * HOUR))).toEqual([])
  expect(
    notifier()
      .check(index, at(T + DAY))
      .map((n) => n.title),
  ).toEqual(['quick has expired'])
  expect(notifier().check(index, at(T + DAY + HOUR))).toEqual([])
  expect(told.map((n) => n.key)).toEqual([
    'expiry:localCa:vault:quick:expiring',
    'expiry:localCa:vault:slow:expiring',
    'expiry:localCa:vault:quick:expired',
  ])
})

test(`more than ${MAX_SEPARATE_NOTICES} at once: one notice naming the first few`, async () => {
  const told: Notice[] = []
  const many = Array.from({ length: 5 }, (_, i): [string, number] => [`ca-${i}`, T + (i + 1) * DAY])
  const index = await buildIndex([{ ...listing(many), key: 'issuedCert:vault' }])
  const notices = new ExpiryNotifier(mkdtempSync(join(dir, 'many-')), (n) => void told.push(n)).check(index, { now: T, windowDays: 30 })
  expect(notices).toHaveLength(1)
  expect(told[0]).toMatchObject({ title: '5 certificates need renewing' })
  expect(told[0]!.body).toMatch(/^5 expiring soon: ca-0, ca-1, ca-2 and 2 more\./)
})
