import { describe, expect, test } from 'vitest'
import { pollDelay, POLL_FIRST_MS, POLL_MAX_MS } from '../../../src/renderer/src/store/poll'

describe('polling while pending', () => {
  test('waits 2 s first, doubling, never more than 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => pollDelay(n))).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
    expect(POLL_FIRST_MS).toBe(2_000)
    expect(POLL_MAX_MS).toBe(30_000)
  })
})
