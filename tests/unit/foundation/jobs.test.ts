import { describe, expect, test } from 'vitest'
import type { Progress } from '../../../src/shared/model'
import { JobRegistry } from '../../../src/main/jobs'

describe('jobs', () => {
  test('reports first and last progress and releases the id', async () => {
    const jobs = new JobRegistry()
    const events: Progress[] = []
    const result = await jobs.run(
      'j1',
      'Counting',
      (p) => events.push(p),
      async (job) => {
        for (let i = 0; i <= 1000; i++) job.progress(i, 1000)
        return 'done'
      },
    )
    expect(result).toBe('done')
    expect(events[0]).toMatchObject({ jobId: 'j1', label: 'Counting', done: 0, total: 1000 })
    expect(events.at(-1)).toMatchObject({ done: 1000, total: 1000 })
    expect(events.length).toBeLessThan(50)
    expect(jobs.size).toBe(0)
  })

  test('cancel aborts the running job; cancelling an unknown job is a no-op', async () => {
    const jobs = new JobRegistry()
    const running = jobs.run(
      'j2',
      'Waiting',
      () => {},
      (job) => new Promise((_resolve, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason))),
    )
    expect(jobs.cancel('j2')).toBe(true)
    await expect(running).rejects.toMatchObject({ code: 'cancelled', message: 'Waiting was cancelled.' })
    expect(jobs.cancel('j2')).toBe(false)
  })

  test('refuses a second job with the same id', async () => {
    const jobs = new JobRegistry()
    let release!: () => void
    const first = jobs.run(
      'same',
      'A',
      () => {},
      () => new Promise<void>((r) => (release = r)),
    )
    await expect(
      jobs.run(
        'same',
        'B',
        () => {},
        async () => {},
      ),
    ).rejects.toThrow(/already running/)
    release()
    await first
  })
})
