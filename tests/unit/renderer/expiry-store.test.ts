/**
 * The radar's slice: the list is paged (only the pages asked for cross), a filter change starts a new generation whose
 * answers replace the old ones and drop the late ones, a refresh keeps the filter and reads the list and count again.
 */
import { describe, expect, test } from 'vitest'
import { EXPIRY_PAGE, EXPIRY_PAGES_KEPT, expiryRow, keepNearest } from '../../../src/renderer/src/store/expiry'
import { deferred, fakeStore, settle } from './support'

const item = (i: number) => ({
  key: `clientCert:p:zone:z:${i}`,
  surface: 'clientCert',
  id: `id-${i}`,
  name: `device-${i}`,
  where: { text: 'Sandbox · zone example.com' },
  notAfter: '2027-01-01T00:00:00.000Z',
  state: 'ok',
  daysLeft: 31,
  breaks: 'Devices are refused.',
  renew: { kind: 'reissueClientCert', label: 'Reissue' },
  source: 's',
})
const page = (request: { offset: number; limit: number }, total: number) => ({
  offset: request.offset,
  total,
  items: Array.from({ length: Math.max(0, Math.min(request.limit, total - request.offset)) }, (_, k) => item(request.offset + k)),
})

describe('expiry slice', () => {
  test('pages: only the pages asked for are read, each once, rows found by index', async () => {
    const { store, calls } = fakeStore({ 'expiry:items': (r: { offset: number; limit: number }) => page(r, 1000) })
    await store.getState().filterExpiry({})
    await Promise.all([store.getState().loadExpiryPage(3), store.getState().loadExpiryPage(3), store.getState().loadExpiryPage(0)])
    const offsets = calls.filter((c) => c.channel === 'expiry:items').map((c) => (c.request as { offset: number }).offset)
    expect(offsets).toEqual([0, 3 * EXPIRY_PAGE])
    const list = store.getState().expiryList
    expect(list.total).toBe(1000)
    expect(expiryRow(list, 3 * EXPIRY_PAGE + 5)?.id).toBe(`id-${3 * EXPIRY_PAGE + 5}`)
    expect(expiryRow(list, EXPIRY_PAGE)).toBeUndefined()
  })

  test('scrolling far keeps only the pages nearest the last one read', async () => {
    const { store } = fakeStore({ 'expiry:items': (r: { offset: number; limit: number }) => page(r, 1000 * EXPIRY_PAGE) })
    await store.getState().filterExpiry({})
    for (let i = 1; i <= 100; i++) await store.getState().loadExpiryPage(i * 5)
    const kept = Object.keys(store.getState().expiryList.pages).map(Number)
    expect(kept).toHaveLength(EXPIRY_PAGES_KEPT)
    expect(Math.min(...kept)).toBe(500 - (EXPIRY_PAGES_KEPT - 1) * 5)
    expect(keepNearest({ 1: 'a', 2: 'b', 9: 'c' }, 2, 2)).toEqual({ 1: 'a', 2: 'b' })
  })

  test('a filter change drops a slower answer for the filter before', async () => {
    const answers: Array<{ request: { bucket?: unknown }; answer: ReturnType<typeof deferred<unknown>> }> = []
    const { store } = fakeStore({
      'expiry:items': (request: { bucket?: unknown }) => {
        const answer = deferred<unknown>()
        answers.push({ request, answer })
        return answer.promise
      },
    })
    const all = store.getState().filterExpiry({})
    const week = store.getState().filterExpiry({ bucket: 2 })
    answers[1]!.answer.resolve({ offset: 0, total: 3, items: [item(0), item(1), item(2)] })
    await week
    answers[0]!.answer.resolve({ offset: 0, total: 500, items: [item(9)] })
    await all
    const list = store.getState().expiryList
    expect(answers[1]!.request.bucket).toBe(2)
    expect(list.filter).toEqual({ bucket: 2 })
    expect(list.total).toBe(3)
    expect(expiryRow(list, 0)?.id).toBe('id-0')
  })

  test('refresh: the summary it answers, then the list (same filter) and the count read again; a failure is reported', async () => {
    const summary = { now: '2026-12-01T00:00:00.000Z', refreshing: false }
    let fail = false
    const { store, calls } = fakeStore({
      'expiry:refresh': () => {
        if (fail) throw new Error('boom')
        return summary
      },
      'expiry:items': (r: { offset: number; limit: number }) => page(r, 2),
      'expiry:count': () => ({ expired: 1, expiring: 4 }),
    })
    await store.getState().filterExpiry({ surface: 'aopCert' })
    const result = await store.getState().refreshExpiry(true)
    expect(result.ok).toBe(true)
    expect(store.getState().expirySummary).toEqual(summary)
    expect(store.getState().expiryCount).toEqual({ expired: 1, expiring: 4 })
    expect(store.getState().expiryRefreshJob).toBeNull()
    const refresh = calls.find((c) => c.channel === 'expiry:refresh')!.request as { force: boolean; jobId: string }
    expect(refresh.force).toBe(true)
    expect(refresh.jobId).toMatch(/^ui-/)
    const items = calls.filter((c) => c.channel === 'expiry:items').map((c) => c.request)
    expect(items).toHaveLength(2)
    expect(items[1]).toMatchObject({ surface: 'aopCert', offset: 0 })
    fail = true
    expect((await store.getState().refreshExpiry()).ok).toBe(false)
    await settle()
    expect(store.getState().toasts.at(-1)?.kind).toBe('error')
    expect(store.getState().jobs).toEqual({})
  })
})
