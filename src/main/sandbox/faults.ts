/**
 * Fault injection: the failures a client of the real API must survive, on demand.
 *
 * Spec string (CLI `--faults`, test API): faults separated by `;`, each `name[=value][@param=v,...]`:
 *   429@after=10,retry-after=1,count=1   after 10 requests answer 429 to the next `count` (default 1);
 *                                        `retry-after` (seconds) adds the header, omit it for none
 *   budget=1200/300s@block=300s          requests per window per user (default 1200/300s, the real
 *                                        limit); over it, every call of the user is refused (429 with
 *                                        Retry-After) for `block` (default 5 minutes, as Cloudflare
 *                                        does); see rate-limit.ts. `budget=off` disables
 *   5xx=503x2                            the next 2 requests answer 503 (500, 502, 503, 504)
 *   latency=50ms                         added before every answer (ms or s)
 *   drop=1                               the next request's connection is destroyed unanswered
 *   timeout-after-success=1@delay=65s    the next request is carried out, then its answer is held for
 *                                        `delay` (default 120s) — past a client's timeout
 *   slow-commit=1@delay=2s               the next request waits `delay` (default 2s) *before* it is carried
 *                                        out, whether or not the client is still there: a create that
 *                                        commits after the client timed out appears in lists only then
 * `5xx`, `drop`, `timeout-after-success` and `slow-commit` take `@method=POST` to hit only that method.
 */
import { AppError } from '../../shared/errors'

export interface CountedFault {
  count: number
  /** Only requests with this HTTP method are affected (and counted). */
  method?: string
}

/** Cloudflare's per-user budget as the Sandbox enforces it (rate-limit.ts). */
export interface RateBudgetSpec {
  requests: number
  windowMs: number
  /** How long every call is refused after the budget was exceeded; 5 minutes when absent. */
  blockMs?: number
}

export interface FaultSpec {
  rateLimit?: { after: number; count?: number; retryAfterSeconds?: number | null }
  /** null disables the budget; absent keeps the default (the real 1200 per 5 minutes). */
  budget?: RateBudgetSpec | null
  serverErrors?: CountedFault & { status: 500 | 502 | 503 | 504 }
  latencyMs?: number
  drop?: CountedFault
  timeoutAfterSuccess?: CountedFault & { delayMs?: number }
  /** The request is carried out `delayMs` after it arrived (the answer follows the commit). */
  slowCommit?: CountedFault & { delayMs?: number }
}

export interface FaultStats {
  requests: number
  rateLimited: number
  serverErrors: number
  dropped: number
  delayed: number
}

export const DEFAULT_BUDGET: RateBudgetSpec = { requests: 1200, windowMs: 300_000 }
const DEFAULT_TIMEOUT_DELAY_MS = 120_000
const DEFAULT_COMMIT_DELAY_MS = 2_000

function bad(message: string): AppError {
  return new AppError('bad_input', `Fault spec: ${message}`, {
    hint:
      'Example: 429@after=10,retry-after=1;budget=1200/300s@block=300s;5xx=503x2;latency=50ms;drop=1;' +
      'timeout-after-success=1@delay=5s;slow-commit=1@delay=2s',
  })
}

function int(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw bad(`${what} must be a whole number, got "${text ?? ''}".`)
  return Number(text)
}

function duration(text: string | undefined, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text ?? '')
  if (!match) throw bad(`${what} must be a duration like 50ms, 2s or 5m, got "${text ?? ''}".`)
  const unit = match[2] ?? 'ms'
  return Math.round(Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000))
}

/** Parse the `--faults` string into a FaultSpec; every mistake is an AppError naming the part. */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = {}
  for (const rawPart of text.split(';')) {
    const part = rawPart.trim()
    if (!part) continue
    const [head = '', paramText] = part.split('@', 2) as [string, string | undefined]
    const eq = head.indexOf('=')
    const name = (eq < 0 ? head : head.slice(0, eq)).trim()
    const value = eq < 0 ? undefined : head.slice(eq + 1).trim()
    const params = new Map<string, string>()
    for (const p of (paramText ?? '').split(',')) {
      if (!p.trim()) continue
      const [k, v] = p.split('=', 2)
      params.set(k!.trim(), (v ?? '').trim())
    }
    const method = params.get('method')?.toUpperCase()
    const withMethod = method ? { method } : {}
    /** `name=N@delay=D[,method=M]`: N requests (1 when absent), each held `delay` when given. */
    const delayedFault = (): CountedFault & { delayMs?: number } => ({
      count: value === undefined ? 1 : int(value, name),
      ...(params.has('delay') ? { delayMs: duration(params.get('delay'), `${name} delay`) } : {}),
      ...withMethod,
    })
    switch (name) {
      case '429': {
        const retry = params.get('retry-after')
        spec.rateLimit = {
          after: params.has('after') ? int(params.get('after'), '429 after') : 0,
          count: params.has('count') ? int(params.get('count'), '429 count') : 1,
          retryAfterSeconds: retry === undefined ? null : int(retry, '429 retry-after'),
        }
        break
      }
      case 'budget': {
        if (value === 'off') {
          spec.budget = null
          break
        }
        const match = /^(\d+)\/(.+)$/.exec(value ?? '')
        if (!match) throw bad(`budget must look like 1200/300s, got "${value ?? ''}".`)
        spec.budget = {
          requests: int(match[1], 'budget requests'),
          windowMs: duration(match[2], 'budget window'),
          ...(params.has('block') ? { blockMs: duration(params.get('block'), 'budget block') } : {}),
        }
        break
      }
      case '5xx': {
        const match = /^(500|502|503|504)(?:x(\d+))?$/.exec(value ?? '')
        if (!match) throw bad(`5xx must look like 503 or 503x2 (500, 502, 503, 504), got "${value ?? ''}".`)
        spec.serverErrors = {
          status: Number(match[1]) as 500 | 502 | 503 | 504,
          count: match[2] ? int(match[2], '5xx count') : 1,
          ...withMethod,
        }
        break
      }
      case 'latency':
        spec.latencyMs = duration(value, 'latency')
        break
      case 'drop':
        spec.drop = { count: value === undefined ? 1 : int(value, 'drop'), ...withMethod }
        break
      case 'timeout-after-success':
        spec.timeoutAfterSuccess = delayedFault()
        break
      case 'slow-commit':
        spec.slowCommit = delayedFault()
        break
      default:
        throw bad(`unknown fault "${name}" (known: 429, budget, 5xx, latency, drop, timeout-after-success, slow-commit).`)
    }
  }
  return spec
}

export type FaultDecision =
  | { kind: 'drop' }
  | { kind: 'status'; status: number; retryAfterSeconds: number | null; rateLimited: boolean }
  | { kind: 'proceed'; holdMs: number; commitDelayMs: number }

/**
 * Holds the active spec and its counters. `decide()` is called once per API request, in this order:
 * latency (by the server), drop, 5xx, 429-after-N, timeout-after-success. The budget is the
 * server's business (rate-limit.ts), after these.
 */
export class FaultController {
  private spec: FaultSpec = {}
  private seen = 0
  private counters: FaultStats = { requests: 0, rateLimited: 0, serverErrors: 0, dropped: 0, delayed: 0 }

  constructor(
    initial: FaultSpec | undefined,
    private readonly now: () => number,
  ) {
    if (initial) this.set(initial)
  }

  /** Replace the active faults (counters of the old spec are dropped; stats are kept). */
  set(spec: FaultSpec | string): void {
    this.spec = structuredClone(typeof spec === 'string' ? parseFaultSpec(spec) : spec)
    this.seen = 0
  }

  /** No faults; the default real budget stays in force. */
  clear(): void {
    this.set({})
  }

  current(): FaultSpec {
    return structuredClone(this.spec)
  }

  stats(): FaultStats {
    return { ...this.counters }
  }

  get latencyMs(): number {
    return this.spec.latencyMs ?? 0
  }

  /** The per-user budget in force (rate-limit.ts enforces it): the real one unless the spec says otherwise. */
  get budget(): RateBudgetSpec | null {
    return this.spec.budget === undefined ? DEFAULT_BUDGET : this.spec.budget
  }

  decide(method: string): FaultDecision {
    this.counters.requests++
    this.seen++
    const { spec } = this
    if (take(spec.drop, method)) {
      this.counters.dropped++
      return { kind: 'drop' }
    }
    if (spec.serverErrors && take(spec.serverErrors, method)) {
      this.counters.serverErrors++
      return { kind: 'status', status: spec.serverErrors.status, retryAfterSeconds: null, rateLimited: false }
    }
    const limit = spec.rateLimit
    if (limit && this.seen > limit.after && (limit.count ?? 1) > 0) {
      limit.count = (limit.count ?? 1) - 1
      this.counters.rateLimited++
      return { kind: 'status', status: 429, retryAfterSeconds: limit.retryAfterSeconds ?? null, rateLimited: true }
    }
    const commitDelayMs = take(spec.slowCommit, method) ? (spec.slowCommit?.delayMs ?? DEFAULT_COMMIT_DELAY_MS) : 0
    if (commitDelayMs > 0) this.counters.delayed++
    if (take(spec.timeoutAfterSuccess, method)) {
      this.counters.delayed++
      return { kind: 'proceed', holdMs: spec.timeoutAfterSuccess?.delayMs ?? DEFAULT_TIMEOUT_DELAY_MS, commitDelayMs }
    }
    return { kind: 'proceed', holdMs: 0, commitDelayMs }
  }
}

/** Consume one unit of a counted fault if it applies to this method. */
function take(fault: CountedFault | undefined, method: string): boolean {
  if (!fault || fault.count <= 0) return false
  if (fault.method && fault.method !== method) return false
  fault.count--
  return true
}
