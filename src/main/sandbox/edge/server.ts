/**
 * The Sandbox edge: an HTTPS server on 127.0.0.1 that behaves as Cloudflare's edge does for the Sandbox's zones
 * (Cloudflare docs: "Configure mTLS"). Hostname associations make it ask for a client certificate; it never
 * refuses one at the TLS layer (`requestCert` without `rejectUnauthorized`): it verifies the certificate itself,
 * fills the `cf.tls_client_auth.*` fields, and lets the zone's custom rules decide (`decide`). Blocked: 403 with
 * Cloudflare's block page. Allowed: the hostname's or zone's origin, or the built-in echo origin.
 *
 * The origin leg, as Cloudflare's "Full (strict)" SSL mode: an https origin's certificate must chain to the Sandbox
 * Origin CA or a public root of this machine and name the hostname (else 526), and the edge presents the hostname's
 * Authenticated Origin Pulls certificate (origin-pull.ts) as its client certificate. An origin that refuses the TLS
 * handshake (a TLS alert, e.g. it wants another client certificate) gives 525, a connection reset 520, a refused
 * connection 521. The answer headers `x-sandbox-origin-pull*` and `x-sandbox-origin-cert-*` say what was presented
 * and what the origin showed.
 *
 * One connection: a TCP front reads the ClientHello's server name (SNI), then hands the connection to one of
 * two HTTPS servers: the one that sends a CertificateRequest when that hostname has an association *at handshake
 * time*, the other otherwise. A connection set up before its hostname got an association carries no certificate
 * until the client reconnects (no renegotiation, as TLS 1.3 has none): its requests get the "no certificate"
 * fields, which a rule blocks. Everything else (the CA, revocation, rules) is read per request.
 * SNI picks the server certificate; Host picks the zone of the request.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { Agent as HttpsAgent, createServer as createHttpsServer, request as httpsRequest, type Server as HttpsServer } from 'node:https'
import type { X509Certificate } from 'node:crypto'
import { createServer as createNetServer, type Socket } from 'node:net'
import { createSecureContext, getCACertificates, type SecureContext, type TLSSocket } from 'node:tls'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { writeFileAtomic } from '../../storage/json-file'
import { hostnameInZone, listenOnLoopback } from '../http'
import { ensureGlobalAop, ensureOriginCa } from '../origin-pki'
import { settle, type SandboxState, type ZoneRecord } from '../state'
import { ensureEdgeCa, issueServerCertificate } from './certificates'
import { associationFor, clientAuthFields, peerCertificate } from './client-auth'
import { readServerName } from './client-hello'
import type { EdgeRequest } from './fields'
import { ORIGIN_LEG_HEADERS, originPullFor, originPullHeaders, type OriginPull } from './origin-pull'
import { blockPage, errorPage, headerValue, newRayId } from './pages'

/** What the zone's custom rules decided for one request. */
export interface EdgeDecision {
  action: 'block' | 'allow'
  ruleId?: string
  ruleDescription?: string
  /** Fields or functions the Sandbox met but does not evaluate (sent back in `x-sandbox-not-evaluated`). */
  notEvaluated?: string[]
}

export type EdgeDecide = (zoneId: string, request: EdgeRequest) => EdgeDecision | Promise<EdgeDecision>

export interface EdgeOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Where the Edge CA's PEM is written; default beside the state file, or a temporary folder removed on close. */
  caPath?: string
  /** The zone's custom rules; without it every request is allowed, as on a zone with no rule. */
  decide?: EdgeDecide
  /**
   * A loopback origin URL per hostname or per zone (by zone id or name); a hostname's own origin wins over its
   * zone's; without either the echo origin answers.
   */
  origins?: Record<string, string>
}

/** What the edge needs from the Sandbox it runs beside. */
export interface EdgeHost {
  /** The Sandbox's current state (replaced on reset: read it per request). */
  state(): SandboxState
  persist(): void
  now(): number
  stateFile: string | null
}

export interface SandboxEdge {
  /** e.g. https://127.0.0.1:PORT */
  url: string
  port: number
  /** The Edge CA's PEM file: what a client trusts (`curl --cacert`). */
  caPath: string
  caPem: string
  /** The Sandbox Origin CA's PEM file (beside the Edge CA): what signs Origin CA certificates. */
  originCaPath: string
  originCaPem: string
  /** The CA of the shared global AOP certificate (beside the Edge CA): what an origin trusts to accept any zone. */
  originPullCaPath: string
  originPullCaPem: string
  /** Send a hostname's or a zone's allowed requests to a loopback origin (null: back to the zone's or the echo origin). */
  setOrigin(hostnameOrZone: string, origin: string | null): void
  close(): Promise<void>
}

const HELLO_TIMEOUT_MS = 10_000
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

function loopbackOrigin(zone: string, text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : null
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new AppError('bad_input', `The origin of zone ${zone} must be a loopback http(s) URL, got "${text}".`, {
      hint: 'The Sandbox edge forwards on this machine only, e.g. http://127.0.0.1:8080.',
    })
  }
  return url
}

/** The zone a hostname belongs to (the longest matching zone name), or undefined. */
function zoneFor(state: SandboxState, host: string): ZoneRecord | undefined {
  let best: ZoneRecord | undefined
  for (const zone of state.zones) {
    if (hostnameInZone(host, zone.name) && (!best || zone.name.length > best.name.length)) best = zone
  }
  return best
}

/** `Host` without its port, lower-case; IPv6 literals keep their brackets. */
function hostOf(header: string | undefined): string {
  const value = (header ?? '').trim().toLowerCase()
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(value)
  return (match?.[1] ?? value).replace(/\.$/, '')
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = headers['connection']?.toLowerCase().split(',')
  const kept: IncomingHttpHeaders = {}
  for (const name in headers) {
    if (!HOP_BY_HOP.has(name) && !listed?.some((h) => h.trim() === name)) kept[name] = headers[name]
  }
  return kept
}

/** Node's codes for an origin certificate that Full (strict) refuses: Cloudflare answers 526. */
const INVALID_CERTIFICATE = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
])

/**
 * The Cloudflare error an origin failure gives (Cloudflare docs: "5xx errors"). A TLS 1.3 origin checks the client
 * certificate after the edge's handshake is done: it refuses with an alert and closes, which the edge reads as that
 * alert or, when its request crossed the close, as a reset. On a fresh TLS connection both mean the handshake was
 * refused (525); a reset of a kept-alive connection is the origin's own trouble (520).
 */
function originFailure(error: NodeJS.ErrnoException, freshTls: boolean): { status: number; title: string; detail: string } {
  const code = error.code ?? ''
  if (code === 'ECONNREFUSED') return { status: 521, title: 'Web server is down', detail: 'refused the connection' }
  if (INVALID_CERTIFICATE.has(code))
    return {
      status: 526,
      title: 'Invalid SSL certificate',
      detail: `presented a certificate Full (strict) refuses (${code}: ${error.message})`,
    }
  const reset = code === 'ECONNRESET' || code === 'EPIPE' || error.message === 'socket hang up'
  if (code.startsWith('ERR_SSL_') || (reset && freshTls))
    return { status: 525, title: 'SSL handshake failed', detail: `refused the TLS handshake (${error.message})` }
  if (reset) return { status: 520, title: 'Web server is returning an unknown error', detail: `closed the connection (${error.message})` }
  return { status: 502, title: 'Bad gateway', detail: `failed: ${error.message}` }
}

/** What the origin's certificate showed the edge, for a probe to report. */
function originCertificateHeaders(cert: X509Certificate): Record<string, string> {
  return {
    [ORIGIN_LEG_HEADERS.originCertFingerprint]: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
    [ORIGIN_LEG_HEADERS.originCertSubject]: headerValue(cert.subject.replaceAll('\n', ', ')),
    [ORIGIN_LEG_HEADERS.originCertIssuer]: headerValue(cert.issuer.replaceAll('\n', ', ')),
    [ORIGIN_LEG_HEADERS.originCertNotAfter]: new Date(cert.validTo).toISOString(),
  }
}

export async function startEdge(host: EdgeHost, options: EdgeOptions = {}): Promise<SandboxEdge> {
  const decide: EdgeDecide = options.decide ?? (() => ({ action: 'allow' }))
  const startState = host.state()
  // Real time, not the Sandbox's clock: clients check these certificates against their own.
  const { ca, created } = await ensureEdgeCa(startState, Date.now())
  const originCa = await ensureOriginCa(startState, Date.now())
  const globalAop = await ensureGlobalAop(startState, Date.now())
  if (created || originCa.created || globalAop.created) host.persist()

  // One certificate per zone (chosen by SNI) and, for clients that send no SNI, one naming every zone.
  const names = (zone: { name: string }): string[] => [zone.name, `*.${zone.name}`]
  const contexts = new Map<string, SecureContext>()
  for (const zone of startState.zones)
    contexts.set(zone.name, createSecureContext(await issueServerCertificate(ca, names(zone), Date.now())))
  const fallback = await issueServerCertificate(ca, startState.zones.flatMap(names), Date.now())

  let tempDir: string | null = null
  let caPath = options.caPath
  if (!caPath) {
    if (host.stateFile) caPath = `${host.stateFile.replace(/\.json$/i, '')}-edge-ca.pem`
    else {
      tempDir = mkdtempSync(join(tmpdir(), 'certdesk-edge-'))
      caPath = join(tempDir, 'sandbox-edge-ca.pem')
    }
  }
  writeFileAtomic(caPath, ca.certificate)
  const stem = caPath.replace(/-?edge-ca\.pem$/i, '').replace(/\.pem$/i, '')
  const originCaPath = `${stem}-origin-ca.pem`
  const originPullCaPath = `${stem}-origin-pull-ca.pem`
  writeFileAtomic(originCaPath, originCa.ca.certificate)
  writeFileAtomic(originPullCaPath, globalAop.aop.ca.certificate)
  // Full (strict): what an https origin's certificate may chain to (Node's roots, extra ones and the machine's store).
  const originTrust = [originCa.ca.certificate, ...new Set([...getCACertificates('default'), ...getCACertificates('system')])]

  const origins = new Map<string, URL>()
  const zoneKey = (key: string): ZoneRecord => {
    const zone = host.state().zones.find((z) => z.id === key || z.name === key.toLowerCase())
    if (!zone) {
      throw new AppError('bad_input', `The Sandbox has no zone "${key}".`, {
        hint: `Use a zone id or name: ${host
          .state()
          .zones.map((z) => z.name)
          .join(', ')}.`,
      })
    }
    return zone
  }
  /** `zone:<id>` for a zone's id or name, `host:<name>` for a hostname of a zone. */
  const originKey = (key: string): { key: string; name: string } => {
    const state = host.state()
    const name = key.trim().toLowerCase().replace(/\.$/, '')
    const zone = state.zones.find((z) => z.id === key || z.name === name)
    if (zone) return { key: `zone:${zone.id}`, name: zone.name }
    if (zoneFor(state, name)) return { key: `host:${name}`, name }
    return { key: `zone:${zoneKey(key).id}`, name }
  }
  const setOrigin = (key: string, origin: string | null): void => {
    const target = originKey(key)
    if (origin === null) origins.delete(target.key)
    else origins.set(target.key, loopbackOrigin(target.name, origin))
  }
  for (const [key, origin] of Object.entries(options.origins ?? {})) setOrigin(key, origin)

  /** The state with pending revocations settled, as the API settles them before every request. */
  const current = (): SandboxState => {
    const state = host.state()
    if (settle(state, host.now())) host.persist()
    return state
  }

  const httpAgent = new HttpAgent({ keepAlive: true })
  // One pool (and one TLS context) per client certificate presented: a kept-alive connection made with one
  // certificate never carries a request meant to present another. Node's agents key pools by the options they
  // see, and a `secureContext` is not one of them.
  const httpsAgents = new Map<string, { agent: HttpsAgent; context: SecureContext }>()
  const httpsAgentFor = (pull: OriginPull): { agent: HttpsAgent; context: SecureContext } => {
    const key = pull.fingerprint ?? ''
    let entry = httpsAgents.get(key)
    if (!entry) {
      const context = createSecureContext({
        ca: originTrust,
        ...(pull.certificate && pull.privateKey ? { cert: pull.certificate, key: pull.privateKey } : {}),
      })
      entry = { agent: new HttpsAgent({ keepAlive: true }), context }
      httpsAgents.set(key, entry)
    }
    return entry
  }

  const answer = (res: ServerResponse, status: number, headers: Record<string, string>, body: string, type: string): void => {
    if (res.headersSent) return void res.destroy()
    res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) })
    res.end(body)
  }
  const HTML = 'text/html; charset=UTF-8'

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ray = newRayId()
    const base: Record<string, string> = { 'cf-ray': ray, server: 'cloudflare' }
    const socket = req.socket as TLSSocket
    const servername = typeof socket.servername === 'string' ? socket.servername : ''
    const hostname = hostOf(req.headers.host) || servername
    const state = current()
    const zone = zoneFor(state, hostname)
    if (!zone) {
      req.resume()
      const served = state.zones.map((z) => z.name).join(', ')
      const detail = `The Sandbox edge serves the hostnames of its zones only (${served}), not "${hostname}".`
      return answer(res, 421, base, errorPage(421, 'Misdirected Request', hostname || '127.0.0.1', ray, detail), HTML)
    }
    const target = req.url ?? '/'
    const queryAt = target.indexOf('?')
    const path = queryAt === -1 ? target : target.slice(0, queryAt)
    const method = (req.method ?? 'GET').toUpperCase()
    const { fields, verifyError } = clientAuthFields(state, zone, hostname, peerCertificate(socket), host.now())

    let decision: EdgeDecision
    try {
      decision = await decide(zone.id, { host: hostname, path, method, tls: fields })
    } catch (error) {
      req.resume()
      const detail = `The Sandbox could not evaluate the custom rules of ${zone.name}: ${(error as Error).message}`
      return answer(res, 500, base, errorPage(500, 'Internal server error', hostname, ray, detail), HTML)
    }
    if (decision.notEvaluated?.length) base['x-sandbox-not-evaluated'] = headerValue(decision.notEvaluated.join(', '))
    if (decision.action === 'block') {
      req.resume()
      if (decision.ruleId) base['x-sandbox-rule'] = headerValue(decision.ruleId)
      if (decision.ruleDescription) base['x-sandbox-rule-description'] = headerValue(decision.ruleDescription)
      return answer(res, 403, base, blockPage(hostname, ray, decision), HTML)
    }

    // What the origin sees, as Cloudflare forwards it.
    const forwarded: IncomingHttpHeaders = {
      ...withoutHopByHop(req.headers),
      'cf-ray': ray,
      'cf-connecting-ip': socket.remoteAddress ?? '127.0.0.1',
      'x-forwarded-for': [req.headers['x-forwarded-for'], socket.remoteAddress ?? '127.0.0.1'].filter(Boolean).join(', '),
      'x-forwarded-proto': 'https',
      'cf-visitor': '{"scheme":"https"}',
    }
    const origin = origins.get(`host:${hostname}`) ?? origins.get(`zone:${zone.id}`)
    const secure = origin?.protocol === 'https:'
    // What the edge presents over TLS: to an https origin, or (as it would) from the echo origin; never over http.
    const pull: OriginPull = !origin || secure ? originPullFor(state, zone, hostname, state.globalAop ?? globalAop.aop) : { source: 'none' }
    Object.assign(base, originPullHeaders(pull))
    if (!origin) {
      let bytes = 0
      if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) req.resume()
      else {
        req.on('data', (chunk: Buffer) => (bytes += chunk.length))
        await new Promise<void>((resolve) => req.once('end', resolve).once('error', () => resolve()))
      }
      const echo = {
        origin: 'sandbox-echo',
        zone: { id: zone.id, name: zone.name },
        method,
        host: hostname,
        path,
        query: queryAt === -1 ? '' : target.slice(queryAt + 1),
        headers: forwarded,
        body_bytes: bytes,
        tls_client_auth: fields,
        cert_verify_error: verifyError,
        origin_pull: { source: pull.source, certificate_id: pull.id ?? null, fingerprint_sha256: pull.fingerprint ?? null },
      }
      return answer(res, 200, base, `${JSON.stringify(echo, null, 2)}\n`, 'application/json; charset=utf-8')
    }

    const tls = secure ? httpsAgentFor(pull) : null
    const upstream = (secure ? httpsRequest : httpRequest)(
      {
        hostname: origin.hostname.replace(/^\[|\]$/g, ''),
        port: origin.port || (secure ? 443 : 80),
        method,
        path: target,
        headers: forwarded,
        ...(tls ? { agent: tls.agent, secureContext: tls.context, servername: hostname, rejectUnauthorized: true } : { agent: httpAgent }),
      },
      (reply) => {
        const shown = secure ? (reply.socket as TLSSocket).getPeerX509Certificate() : undefined
        if (shown) Object.assign(base, originCertificateHeaders(shown))
        res.writeHead(reply.statusCode ?? 502, { ...withoutHopByHop(reply.headers), ...base })
        reply.pipe(res)
      },
    )
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const failure = originFailure(error, secure && !upstream.reusedSocket)
      base[ORIGIN_LEG_HEADERS.originError] = headerValue(error.code ?? error.message)
      const detail = `The origin ${origin.origin} of ${hostname} ${failure.detail}.`
      answer(res, failure.status, base, errorPage(failure.status, failure.title, hostname, ray, detail), HTML)
    })
    req.pipe(upstream)
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      const ray = newRayId()
      const page = errorPage(500, 'Internal server error', hostOf(req.headers.host), ray, `Sandbox edge error: ${(error as Error).message}`)
      answer(res, 500, { 'cf-ray': ray, server: 'cloudflare' }, page, HTML)
    })
  }
  const tlsOptions = {
    cert: fallback.cert,
    key: fallback.key,
    SNICallback: (servername: string, done: (error: Error | null, context?: SecureContext) => void): void => {
      const zone = zoneFor(host.state(), servername)
      done(null, zone ? contexts.get(zone.name) : undefined)
    },
  }
  // Asks for a client certificate and accepts any: the edge verifies it per request, as Cloudflare does.
  const askingServer: HttpsServer = createHttpsServer({ ...tlsOptions, requestCert: true, rejectUnauthorized: false }, onRequest)
  const plainServer: HttpsServer = createHttpsServer(tlsOptions, onRequest)

  const wantsCertificate = (servername: string): boolean => {
    const state = current()
    const zone = zoneFor(state, servername)
    return zone !== undefined && associationFor(state, zone.id, servername) !== undefined
  }

  const sockets = new Set<Socket>()
  const front = createNetServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    let buffered: Buffer = Buffer.alloc(0)
    const onError = (): void => void socket.destroy()
    const timer = setTimeout(onError, HELLO_TIMEOUT_MS)
    const onData = (chunk: Buffer): void => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk
      const servername = readServerName(buffered)
      if (servername === undefined) return
      clearTimeout(timer)
      // onError stays: the TLS socket reports its own errors, this one must never throw an unhandled 'error'.
      socket.off('data', onData)
      socket.pause()
      socket.unshift(buffered)
      const server = servername !== null && wantsCertificate(servername) ? askingServer : plainServer
      server.emit('connection', socket)
    }
    socket.on('error', onError)
    socket.on('data', onData)
    socket.once('close', () => clearTimeout(timer))
  })

  const port = await listenOnLoopback(front, options.port ?? 0)

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caPath,
    caPem: ca.certificate,
    originCaPath,
    originCaPem: originCa.ca.certificate,
    originPullCaPath,
    originPullCaPem: globalAop.aop.ca.certificate,
    setOrigin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        front.close((error) => {
          httpAgent.destroy()
          for (const { agent } of httpsAgents.values()) agent.destroy()
          if (tempDir) rmSync(tempDir, { recursive: true, force: true })
          if (error) reject(error)
          else resolve()
        })
        for (const socket of sockets) socket.destroy()
      }),
  }
}
