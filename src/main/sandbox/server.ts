/**
 * The Sandbox HTTP server: Cloudflare's API under `/client/v4` on 127.0.0.1, plus a small test API
 * under `/__sandbox/` guarded by a per-run secret (faults, reset, recorded requests) so browser e2e
 * tests can steer it from outside the process.
 *
 * Per API request: faults (latency, drop, 5xx, 429) -> the user's rate budget (rate-limit.ts) ->
 * route -> token -> settle pending states -> handler -> persist -> answer (held back when a
 * timeout-after-success fault applies). Every answer past the budget check carries its Ratelimit headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { ApiError, CODES, envelope, listenOnLoopback, type Route, type RouteContext, type RouteResult, type SandboxTiming } from './http'
import { FaultController, type FaultSpec, type FaultStats } from './faults'
import { SandboxRateLimit, type SandboxRateStats } from './rate-limit'
import { applyClockChange, SandboxClock } from './clock'
import { startEdge, type EdgeDecide, type EdgeOptions, type SandboxEdge } from './edge'
import { evaluateRules, ruleLabel } from '../enforcement/rules'
import { buildSeed, replaceLegacyTokens, type SeedKind } from './seed'
import { loadState, saveState, settle, type Limits, type SandboxState } from './state'
import { accessCertificateRoutes } from './routes/access-certificates'
import { accountZoneRoutes } from './routes/accounts-zones'
import { clientCertificateRoutes } from './routes/client-certificates'
import { gatewayRoutes } from './routes/gateway'
import { hostnameAssociationRoutes } from './routes/hostname-associations'
import { mtlsCertificateRoutes } from './routes/mtls-certificates'
import { originCaRoutes } from './routes/origin-ca'
import { originPullRoutes } from './routes/origin-pulls'
import { customRulesOf, PointedApiError, rulesetRoutes } from './routes/rulesets'

export const API_PREFIX = '/client/v4'
export const TEST_API_PREFIX = '/__sandbox'
const MAX_BODY_BYTES = 1024 * 1024

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Persist the state as JSON here (atomic writes); null or absent keeps it in memory. */
  stateFile?: string | null
  seed?: SeedKind
  faults?: FaultSpec
  /** Pending-state delays; defaults a few seconds. Tests pass small values. */
  timing?: SandboxTiming
  /** Quotas (client certificates per zone, CAs, ...); defaults match Cloudflare's documented limits. */
  limits?: Partial<Limits>
  /** The time the Sandbox's clock runs from (epoch ms, as of `clock`); tests and `sandbox serve --now` set it. */
  now?: number
  /** The time source the Sandbox's clock runs on (default: real time), for deterministic tests of pending states. */
  clock?: () => number
  /** Also run the edge (an mTLS HTTPS server for the zones' hostnames, see edge/server.ts); off by default. */
  edge?: boolean | EdgeOptions
}

export interface RecordedRequest {
  method: string
  /** Path under /client/v4, e.g. `/zones/{id}/client_certificates`. */
  path: string
  query: Record<string, string>
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number
  /** When the Sandbox took the request in (and counted it against the rate budget), before its handler ran. */
  at: number
}

export interface FaultControllerApi {
  set(spec: FaultSpec | string): void
  clear(): void
  stats(): FaultStats
  current(): FaultSpec
}

/** The Sandbox's one user: every seeded token belongs to it, so they share one rate budget. */
export const SANDBOX_USER = 'sandbox-user'

export interface SandboxHandle {
  /** e.g. http://127.0.0.1:PORT/client/v4 — the SDK's baseURL. */
  url: string
  tokens: { full: string; readOnly: string; noSslWrite: string; accountOwned: string; revoked: string; expired: string }
  account: { id: string; name: string }
  zones: Array<{ id: string; name: string }>
  faults: FaultControllerApi
  /** The per-user rate budget (set with the `budget=` fault): refusals and blocks so far. */
  rateLimit: { stats(): SandboxRateStats }
  requests(): RecordedRequest[]
  /** Back to the seed (state and file); faults and recorded requests are kept. */
  reset(): Promise<void>
  close(): Promise<void>
  /** Secret for the HTTP test API: header `x-sandbox-secret`. */
  testSecret: string
  /** Origin of the test API, e.g. http://127.0.0.1:PORT/__sandbox */
  testApiUrl: string
  /** A copy of the current state, for tests and diagnostics. */
  snapshot(): SandboxState
  /** The Sandbox's clock (also at the test API's `/clock`): read it, jump or move it. */
  clock: { now(): number; set(ms: number): void; advance(ms: number): void }
  /** The edge, when started with the `edge` option; closed with the Sandbox. */
  edge: SandboxEdge | null
}

export const DEFAULT_TIMING: Required<SandboxTiming> = {
  revocationMs: 3000,
  reactivationMs: 3000,
  gatewayDeployMs: 3000,
  aopDeployMs: 3000,
}

interface CompiledRoute extends Route {
  regex: RegExp
  names: string[]
}

const ROUTES: CompiledRoute[] = [
  ...clientCertificateRoutes,
  ...hostnameAssociationRoutes,
  ...accessCertificateRoutes,
  ...mtlsCertificateRoutes,
  ...gatewayRoutes,
  ...accountZoneRoutes,
  ...rulesetRoutes,
  ...originPullRoutes,
  ...originCaRoutes,
].map((route) => {
  const names: string[] = []
  const pattern = route.path.replace(/:([a-z_]+)/g, (_m, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { ...route, regex: new RegExp(`^${pattern}/?$`), names }
})

function match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | 'no-route' | 'no-method' {
  let pathMatched = false
  for (const route of ROUTES) {
    const m = route.regex.exec(path)
    if (!m) continue
    pathMatched = true
    if (route.method !== method) continue
    const params: Record<string, string> = {}
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)))
    return { route, params }
  }
  return pathMatched ? 'no-method' : 'no-route'
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cf-ray': randomBytes(8).toString('hex'),
    ...headers,
  })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, CODES.invalidRequest, `The request body is larger than ${MAX_BODY_BYTES} bytes.`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve()
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const clock = new SandboxClock(options.clock, options.now)
  const now = clock.now
  const timing = { ...DEFAULT_TIMING, ...options.timing }
  const seedKind = options.seed ?? 'demo'
  const stateFile = options.stateFile ?? null
  const freshSeed = (keepTokens?: SandboxState['tokens']): Promise<SandboxState> => buildSeed(seedKind, now(), options.limits, keepTokens)

  let state = (stateFile ? loadState(stateFile) : null) ?? (await freshSeed())
  // A state saved when every install had the same tokens gets tokens of its own.
  replaceLegacyTokens(state)
  if (options.limits) state.limits = { ...state.limits, ...options.limits }
  const persist = (): void => {
    if (stateFile) saveState(stateFile, state)
  }
  persist()

  const faults = new FaultController(options.faults, now)
  const rateLimit = new SandboxRateLimit(now)
  // A new fault spec may carry a new budget: windows and blocks start over, as the fault counters do.
  const setFaults = (spec: FaultSpec | string): void => {
    faults.set(spec)
    rateLimit.reset()
  }
  const recorded: RecordedRequest[] = []
  const testSecret = randomBytes(24).toString('hex')
  // Aborted on close() so answers held back by timeout-after-success do not keep the process alive.
  const closing = new AbortController()

  const reset = async (): Promise<void> => {
    // Back to the seed, but with this Sandbox's own tokens: a saved profile keeps working.
    const { edgeCa, originCa, globalAop } = state
    state = await freshSeed(state.tokens)
    // The edge's CAs outlive a reset too: clients and origins that trust their PEM files keep working.
    Object.assign(state, { ...(edgeCa && { edgeCa }), ...(originCa && { originCa }), ...(globalAop && { globalAop }) })
    if (options.limits) state.limits = { ...state.limits, ...options.limits }
    persist()
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const path = url.pathname.slice(API_PREFIX.length) || '/'
    let receivedAt = now()
    const record = (status: number): void => {
      recorded.push({ method, path, query: Object.fromEntries(url.searchParams), status, at: receivedAt })
    }
    let rateHeaders: Record<string, string> = {}
    const fail = (status: number, code: number, message: string, headers: Record<string, string> = {}, pointer?: string): void => {
      const error = { code, message, ...(pointer === undefined ? {} : { source: { pointer } }) }
      send(res, status, envelope(null, [error]), { ...rateHeaders, ...headers })
      record(status)
    }
    let rawBody: string
    try {
      rawBody = await readBody(req)
    } catch (error) {
      if (error instanceof ApiError) return fail(error.status, error.code, error.message)
      throw error
    }

    await sleep(faults.latencyMs, closing.signal)
    receivedAt = now()
    const decision = faults.decide(method)
    if (decision.kind === 'drop') {
      req.socket.destroy()
      record(0)
      return
    }
    if (decision.kind === 'status') {
      if (decision.rateLimited) {
        return fail(
          429,
          CODES.rateLimited,
          'You are being rate limited: please wait and consider throttling your request speed.',
          decision.retryAfterSeconds === null ? {} : { 'retry-after': String(decision.retryAfterSeconds) },
        )
      }
      return fail(decision.status, CODES.serverError, `Injected fault: the Sandbox answered HTTP ${decision.status}.`)
    }

    const auth = req.headers.authorization ?? ''
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1]
    // Cloudflare counts per user: every token of the Sandbox's user shares one window.
    const user = bearer && state.tokens.some((t) => t.value === bearer) ? SANDBOX_USER : `unknown:${auth}`
    const verdict = rateLimit.check(user, faults.budget)
    rateHeaders = verdict.headers
    if (!verdict.allowed) {
      return fail(429, CODES.rateLimited, 'You are being rate limited: please wait and consider throttling your request speed.', {
        'retry-after': String(verdict.retryAfterSeconds),
      })
    }

    const found = match(method, path)
    if (found === 'no-route') return fail(404, CODES.noRoute, `No route for that URI: ${method} ${API_PREFIX}${path}`)
    if (found === 'no-method')
      return fail(405, CODES.methodNotAllowed, `Method not allowed: ${method} is not supported on ${API_PREFIX}${path}`)

    if (!bearer) {
      const legacy = req.headers['x-auth-key'] ? ' The Sandbox accepts API tokens only, not the Global API key.' : ''
      return fail(401, CODES.invalidToken, `Missing API token: send "Authorization: Bearer <token>".${legacy}`)
    }
    const token = state.tokens.find((t) => t.value === bearer)
    // An expired or disabled token can still ask the verify endpoints what it is; nothing else.
    const verifying = found.route.path.endsWith('/tokens/verify')
    if (!token || token.status === 'revoked' || (token.status !== 'active' && !verifying))
      return fail(401, CODES.invalidToken, 'Invalid API Token')

    let body: unknown
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody)
      } catch {
        return fail(400, CODES.invalidRequest, 'The request body is not valid JSON.')
      }
    }
    if (decision.commitDelayMs > 0) {
      // A slow commit: the work is done later even if the client has given up (only closing stops it).
      await sleep(decision.commitDelayMs, closing.signal)
      if (closing.signal.aborted) return
    }
    const at = now()
    const settled = settle(state, at)
    const ctx: RouteContext = {
      state,
      params: found.params,
      query: url.searchParams,
      body,
      token,
      now: at,
      timing,
      limits: state.limits,
      faults,
    }
    let result: RouteResult
    try {
      result = await found.route.handler(ctx)
    } catch (error) {
      if (settled) persist()
      if (error instanceof PointedApiError) return fail(error.status, error.code, error.message, {}, error.pointer)
      if (error instanceof ApiError) return fail(error.status, error.code, error.message)
      return fail(500, CODES.serverError, `Sandbox internal error: ${(error as Error).message}`)
    }
    if (settled || method !== 'GET') persist()

    if (decision.holdMs > 0) {
      // The work is done and saved; the client just never hears back in time.
      const gone = new AbortController()
      res.on('close', () => gone.abort())
      await sleep(decision.holdMs, AbortSignal.any([gone.signal, closing.signal]))
    }
    const status = result.status ?? 200
    send(res, status, envelope(result), rateHeaders)
    record(res.destroyed && !res.writableFinished ? 0 : status)
  }

  async function handleTestApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const given = Buffer.from(String(req.headers['x-sandbox-secret'] ?? ''))
    const expected = Buffer.from(testSecret)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return send(res, 403, { success: false, error: 'Missing or wrong x-sandbox-secret header.' })
    }
    const route = `${req.method ?? 'GET'} ${url.pathname.slice(TEST_API_PREFIX.length)}`
    const text = await readBody(req)
    try {
      switch (route) {
        case 'GET /faults':
          return send(res, 200, { success: true, spec: faults.current(), stats: faults.stats() })
        case 'PUT /faults':
        case 'POST /faults': {
          const body = text ? (JSON.parse(text) as { spec?: string | FaultSpec }) : {}
          setFaults(body.spec ?? {})
          return send(res, 200, { success: true, spec: faults.current() })
        }
        case 'DELETE /faults':
          setFaults({})
          return send(res, 200, { success: true })
        case 'POST /reset':
          await reset()
          return send(res, 200, { success: true })
        case 'GET /requests':
          return send(res, 200, { success: true, requests: recorded })
        case 'GET /clock':
          return send(res, 200, { success: true, now: new Date(now()).toISOString() })
        case 'PUT /clock':
        case 'POST /clock':
          applyClockChange(clock, text ? JSON.parse(text) : {})
          return send(res, 200, { success: true, now: new Date(now()).toISOString() })
        default:
          return send(res, 404, { success: false, error: `Unknown test API route ${route}` })
      }
    } catch (error) {
      return send(res, 400, { success: false, error: (error as Error).message })
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const work = url.pathname.startsWith(`${TEST_API_PREFIX}/`)
      ? handleTestApi(req, res, url)
      : url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)
        ? handleApi(req, res, url)
        : Promise.resolve(
            send(
              res,
              404,
              envelope(null, [{ code: CODES.noRoute, message: `No route for that URI: the Cloudflare API lives under ${API_PREFIX}` }]),
            ),
          )
    work.catch((error: unknown) =>
      send(res, 500, envelope(null, [{ code: CODES.serverError, message: `Sandbox internal error: ${(error as Error).message}` }])),
    )
  })

  const port = await listenOnLoopback(server, options.port ?? 0)
  const origin = `http://127.0.0.1:${port}`
  const edgeHost = { state: () => state, persist, now, stateFile }
  // The zone's custom rules as they are now (changed through the API, they count on the next request).
  const decideByRules: EdgeDecide = (zoneId, request) => {
    const { decision, decidedBy, notEvaluated } = evaluateRules(customRulesOf(state, zoneId), request)
    return {
      action: decision,
      ...(decidedBy?.id ? { ruleId: decidedBy.id } : {}),
      ...(decidedBy ? { ruleDescription: ruleLabel(decidedBy) } : {}),
      ...(notEvaluated.length ? { notEvaluated: notEvaluated.map((n) => `${ruleLabel(n.rule)}: ${n.reasons.join(', ')}`) } : {}),
    }
  }
  const edge = options.edge
    ? await startEdge(edgeHost, { decide: decideByRules, ...(options.edge === true ? {} : options.edge) }).catch((error: unknown) => {
        server.close()
        throw error
      })
    : null
  const byLabel = (label: string): string => state.tokens.find((t) => t.label === label)?.value ?? ''

  return {
    url: `${origin}${API_PREFIX}`,
    testApiUrl: `${origin}${TEST_API_PREFIX}`,
    testSecret,
    tokens: {
      full: byLabel('full'),
      readOnly: byLabel('readOnly'),
      noSslWrite: byLabel('noSslWrite'),
      accountOwned: byLabel('accountOwned'),
      revoked: byLabel('revoked'),
      expired: byLabel('expired'),
    },
    account: { id: state.accounts[0]!.id, name: state.accounts[0]!.name },
    zones: state.zones.map((z) => ({ id: z.id, name: z.name })),
    faults: {
      set: (spec) => setFaults(spec),
      clear: () => setFaults({}),
      stats: () => faults.stats(),
      current: () => faults.current(),
    },
    rateLimit: { stats: () => rateLimit.stats() },
    requests: () => recorded.map((r) => ({ ...r, query: { ...r.query } })),
    reset,
    snapshot: () => structuredClone(state),
    clock: { now, set: (ms) => clock.set(ms), advance: (ms) => clock.advance(ms) },
    edge,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }).then(() => edge?.close()),
  }
}
