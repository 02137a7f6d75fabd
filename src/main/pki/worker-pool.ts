/**
 * A small fixed pool of worker_threads, one job per worker at a time, FIFO queue.
 *
 * Cancellation (AbortSignal): a queued job is dropped from the queue; a running job cannot be
 * interrupted inside OpenSSL, so its promise rejects at once and its result is discarded when the
 * worker answers, after which the worker takes the next job. Idle workers are unref'd so an idle
 * pool never keeps the CLI (or a test run) alive; busy ones are ref'd so a pending job does.
 */
import { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/errors'

interface Job<Req, Res> {
  id: number
  request: Req
  resolve: (value: Res) => void
  reject: (error: unknown) => void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  settled: boolean
}

interface Slot<Req, Res> {
  worker: Worker
  job: Job<Req, Res> | null
}

type Reply<Res> = ({ ok: true } & Res) | { ok: false; message: string }

export function cancelledError(what: string): AppError {
  return new AppError('cancelled', `${what} was cancelled.`)
}

export class WorkerPool<Req extends object, Res extends object> {
  private readonly slots: Slot<Req, Res>[] = []
  private readonly queue: Job<Req, Res>[] = []
  private nextId = 1
  private closed = false

  constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly what = 'The background job',
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer, not ${size}`)
  }

  /** Run one job; rejects with AppError('cancelled') when `signal` aborts before the result is used. */
  run(request: Req, signal?: AbortSignal): Promise<Res> {
    if (this.closed) return Promise.reject(new AppError('internal', `${this.what} pool has been closed.`))
    if (signal?.aborted) return Promise.reject(cancelledError(this.what))
    return new Promise<Res>((resolve, reject) => {
      const job: Job<Req, Res> = { id: this.nextId++, request, resolve, reject, signal, onAbort: undefined, settled: false }
      if (signal) {
        job.onAbort = () => {
          const queued = this.queue.indexOf(job)
          if (queued >= 0) this.queue.splice(queued, 1)
          this.settle(job, () => reject(cancelledError(this.what)))
        }
        signal.addEventListener('abort', job.onAbort, { once: true })
      }
      this.queue.push(job)
      this.pump()
    })
  }

  /** Jobs waiting for a worker (not counting running ones). */
  get pending(): number {
    return this.queue.length
  }

  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(new AppError('internal', `${this.what} pool was closed.`)))
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()))
  }

  private settle(job: Job<Req, Res>, action: () => void): void {
    if (job.settled) return
    job.settled = true
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort)
    action()
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null)
      if (!slot) {
        if (this.slots.length >= this.size) return
        slot = this.spawn()
      }
      const job = this.queue.shift()!
      slot.job = job
      slot.worker.ref()
      slot.worker.postMessage({ ...job.request, id: job.id })
    }
  }

  private spawn(): Slot<Req, Res> {
    // No inherited execArgv: flags meant for the parent (e.g. --input-type, test loaders) can break a worker.
    const worker = new Worker(this.script, { execArgv: [] })
    const slot: Slot<Req, Res> = { worker, job: null }
    worker.on('message', (reply: Reply<Res> & { id: number }) => {
      const job = slot.job
      slot.job = null
      worker.unref()
      if (job && job.id === reply.id) {
        if (reply.ok) this.settle(job, () => job.resolve(reply as unknown as Res))
        else this.settle(job, () => job.reject(new AppError('internal', `${this.what} failed: ${reply.message}`)))
      }
      this.pump()
    })
    worker.on('error', (error) => this.retire(slot, error))
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) this.retire(slot, new Error(`worker exited with code ${code}`))
    })
    this.slots.push(slot)
    return slot
  }

  /** A worker died: fail its job, drop it, and let the next job start a fresh one. */
  private retire(slot: Slot<Req, Res>, error: unknown): void {
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    const job = slot.job
    slot.job = null
    if (job)
      this.settle(job, () =>
        job.reject(
          new AppError('internal', `${this.what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error }),
        ),
      )
    void slot.worker.terminate()
    if (!this.closed) this.pump()
  }
}
