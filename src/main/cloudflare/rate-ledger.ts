/**
 * The rate ledger every process of this computer's user shares: one small JSON file per Cloudflare
 * budget in the user-data folder (`rate-limit/<key>.json`: recent send times, the shared pause and
 * the budget the server announced),
 * changed only under a lock directory (`<key>.lock`, made with mkdir, which is atomic everywhere).
 *
 * A lock older than `staleLockMs` belonged to a process that died holding it (a holder keeps it for
 * well under a millisecond): it is moved aside with an atomic rename, so of several processes that
 * notice at once exactly one takes it over. The file itself is replaced atomically (write + rename).
 * Keys never contain a token: see budgetKey().
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { settleSlot, takeSlot, type LedgerState, type RateBudget, type RateLedger, type SlotLimits } from './rate-limit'

/** The folder under the user-data folder where ledgers live. */
export const RATE_LEDGER_DIR = 'rate-limit'

export interface FileRateLedgerOptions {
  /** A lock older than this is taken over (its holder died). */
  staleLockMs?: number
  /** Give up waiting for the lock after this long (something is badly wrong with the folder). */
  lockTimeoutMs?: number
}

/**
 * The name of one budget's ledger: Cloudflare counts per user, and a token identifies its user to
 * us; the base URL keeps the Sandbox apart from the real API. A hash, never the token itself.
 */
export function budgetKey(baseUrl: string, token: string): string {
  return createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex').slice(0, 32)
}

export class FileRateLedger implements RateLedger {
  private readonly file: string
  private readonly lock: string
  private readonly staleLockMs: number
  private readonly lockTimeoutMs: number
  private ready: Promise<unknown> | undefined

  constructor(
    private readonly dir: string,
    key: string,
    options: FileRateLedgerOptions = {},
  ) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(key)) throw new RangeError('a ledger key is 1 to 64 letters, digits, _ or -')
    this.file = join(dir, `${key}.json`)
    this.lock = join(dir, `${key}.lock`)
    this.staleLockMs = options.staleLockMs ?? 2000
    this.lockTimeoutMs = options.lockTimeoutMs ?? 10_000
  }

  take(now: number, limits: (policy: RateBudget | null) => SlotLimits): Promise<number> {
    return this.update((state) => {
      const { capacity, windowMs } = limits(state.policy)
      return { result: takeSlot(state, now, capacity, windowMs), changed: true }
    })
  }

  settle(sentAt: number, answeredAt: number): Promise<void> {
    return this.update((state) => ({ result: undefined, changed: settleSlot(state, sentAt, answeredAt) }))
  }

  learn(policy: RateBudget): Promise<void> {
    return this.update((state) => {
      const same = state.policy?.requests === policy.requests && state.policy.windowMs === policy.windowMs
      if (!same) state.policy = { ...policy }
      return { result: undefined, changed: !same }
    })
  }

  pauseUntil(until: number): Promise<void> {
    return this.update((state) => {
      if (until <= state.pausedUntil) return { result: undefined, changed: false }
      state.pausedUntil = until
      return { result: undefined, changed: true }
    })
  }

  async count(now: number, windowMs: number): Promise<number> {
    return (await this.read()).sent.filter((t) => t > now - windowMs).length
  }

  private async update<T>(change: (state: LedgerState) => { result: T; changed: boolean }): Promise<T> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 })
    await this.ready
    await this.acquireLock()
    try {
      const state = await this.read()
      const { result, changed } = change(state)
      if (changed) {
        const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`
        await writeFile(temp, JSON.stringify(state), { mode: 0o600 })
        await rename(temp, this.file)
      }
      return result
    } finally {
      await rm(this.lock, { recursive: true, force: true })
    }
  }

  /** The ledger as stored; a missing or unreadable file is an empty ledger (it only holds recent history). */
  private async read(): Promise<LedgerState> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sent: [], pausedUntil: 0, policy: null }
      throw error
    }
    try {
      const doc = JSON.parse(text) as Partial<LedgerState>
      const sent = Array.isArray(doc.sent) ? doc.sent.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : []
      const pausedUntil = typeof doc.pausedUntil === 'number' && Number.isFinite(doc.pausedUntil) ? doc.pausedUntil : 0
      const p = doc.policy
      const policy =
        p && Number.isInteger(p.requests) && p.requests >= 1 && Number.isFinite(p.windowMs) && p.windowMs > 0
          ? { requests: p.requests, windowMs: p.windowMs }
          : null
      return { sent: sent.sort((a, b) => a - b), pausedUntil, policy }
    } catch {
      return { sent: [], pausedUntil: 0, policy: null }
    }
  }

  private async acquireLock(): Promise<void> {
    const started = Date.now()
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(this.lock)
        return
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      await this.takeOverIfStale()
      if (Date.now() - started > this.lockTimeoutMs) {
        throw new Error(
          `The rate-limit lock ${this.lock} has been held for over ${Math.round(this.lockTimeoutMs / 1000)} s; ` +
            'remove it if no Certdesk is running.',
        )
      }
      // Holders keep the lock for well under a millisecond: a short, jittered pause.
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, 1 + attempt) * (0.5 + Math.random())))
    }
  }

  private async takeOverIfStale(): Promise<void> {
    let age: number
    try {
      age = Date.now() - (await stat(this.lock)).mtimeMs
    } catch {
      return // released meanwhile
    }
    if (age < this.staleLockMs) return
    const aside = `${this.lock}.stale-${randomBytes(6).toString('hex')}`
    try {
      await rename(this.lock, aside) // only one process wins this
    } catch {
      return
    }
    await rm(aside, { recursive: true, force: true })
  }
}
