import { afterEach, describe, expect, test, vi } from 'vitest'
import { pollDelay, POLL_FIRST_MS, POLL_MAX_MS, startPolling } from '../../../src/renderer/src/store/poll'

afterEach(() => {
  vi.useRealTimers()
})

describe('polling while pending', () => {
  test('waits 2 s first, doubling, never more than 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => pollDelay(n))).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
    expect(POLL_FIRST_MS).toBe(2_000)
    expect(POLL_MAX_MS).toBe(30_000)
  })

  test('refreshes on that schedule, carries on after a failed refresh, and stops when told', async () => {
    vi.useFakeTimers()
    let calls = 0
    const stop = startPolling(async () => {
      calls++
      if (calls === 2) throw new Error('offline')
    })
    await vi.advanceTimersByTimeAsync(1_999)
    expect(calls).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toBe(1)
    await vi.advanceTimersByTimeAsync(4_000)
    expect(calls).toBe(2)
    await vi.advanceTimersByTimeAsync(8_000)
    expect(calls).toBe(3)
    stop()
    await vi.advanceTimersByTimeAsync(10 * POLL_MAX_MS)
    expect(calls).toBe(3)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('a refresh still running when it stops schedules nothing more', async () => {
    vi.useFakeTimers()
    let finish!: () => void
    let calls = 0
    const stop = startPolling(() => {
      calls++
      return new Promise<void>((resolve) => (finish = resolve))
    })
    await vi.advanceTimersByTimeAsync(POLL_FIRST_MS)
    expect(calls).toBe(1)
    stop()
    finish()
    await vi.advanceTimersByTimeAsync(10 * POLL_MAX_MS)
    expect(calls).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })
})
