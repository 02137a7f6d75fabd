/**
 * The Sandbox edge: an HTTPS server on 127.0.0.1 that behaves as Cloudflare's edge does for the Sandbox's zones
 * (Cloudflare docs: "Configure mTLS"). Hostname associations make it ask for a client certificate; it never
 * refuses one at the TLS layer (`requestCert` without `rejectUnauthorized`): it verifies the certificate itself,
 * fills the `cf.tls_client_auth.*` fields, and lets the zone's custom rules decide (`decide`). Blocked: 403 with
 * Cloudflare's block page. Allowed: the zone's origin, or the built-in echo origin.
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
import { createServer as createNetServer, type Socket } from 'node:net'
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../shared/errors'
import { writeFileAtomic } from '../../storage/json-file'
import { hostnameInZone, listenOnLoopback } from '../http'
import { settle, type SandboxState, type ZoneRecord } from '../state'
import { ensureEdgeCa, issueServerCertificate } from './certificates'
import { associationFor, clientAuthFields, peerCertificate } from './client-auth'
import { readServerName } from './client-hello'
import type { EdgeRequest } from './fields'
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
  /** A loopback origin URL per zone (by zone id or name); zones without one answer from the echo origin. */
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
  /** Send a zone's allowed requests to a loopback origin (null: back to the echo origin). */
  setOrigin(zone: string, origin: string | null): void
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

export async function startEdge(host: EdgeHost, options: EdgeOptions = {}): Promise<SandboxEdge> {
  const decide: EdgeDecide = options.decide ?? (() => ({ action: 'allow' }))
  const startState = host.state()
  // Real time, not the Sandbox's clock: clients check these certificates against their own.
  const { ca, created } = await ensureEdgeCa(startState, Date.now())
  if (created) host.persist()

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
  const setOrigin = (key: string, origin: string | null): void => {
    const zone = zoneKey(key)
    if (origin === null) origins.delete(zone.id)
    else origins.set(zone.id, loopbackOrigin(zone.name, origin))
  }
  for (const [key, origin] of Object.entries(options.origins ?? {})) setOrigin(key, origin)

  /** The state with pending revocations settled, as the API settles them before every request. */
  const current = (): SandboxState => {
    const state = host.state()
    if (settle(state, host.now())) host.persist()
    return state
  }

  const httpAgent = new HttpAgent({ keepAlive: true })
  // Cloudflare's "Full" SSL mode: an https origin's certificate is not checked.
  const httpsAgent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: false })

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
    const origin = origins.get(zone.id)
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
      }
      return answer(res, 200, base, `${JSON.stringify(echo, null, 2)}\n`, 'application/json; charset=utf-8')
    }

    const secure = origin.protocol === 'https:'
    const upstream = (secure ? httpsRequest : httpRequest)(
      {
        hostname: origin.hostname.replace(/^\[|\]$/g, ''),
        port: origin.port || (secure ? 443 : 80),
        method,
        path: target,
        headers: forwarded,
        agent: secure ? httpsAgent : httpAgent,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, { ...withoutHopByHop(reply.headers), ...base })
        reply.pipe(res)
      },
    )
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED'
      const detail = `The origin ${origin.origin} of ${zone.name} ${refused ? 'refused the connection' : `failed: ${error.message}`}.`
      const page = refused
        ? errorPage(521, 'Web server is down', hostname, ray, detail)
        : errorPage(502, 'Bad gateway', hostname, ray, detail)
      answer(res, refused ? 521 : 502, base, page, HTML)
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
    setOrigin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        front.close((error) => {
          httpAgent.destroy()
          httpsAgent.destroy()
          if (tempDir) rmSync(tempDir, { recursive: true, force: true })
          if (error) reject(error)
          else resolve()
        })
        for (const socket of sockets) socket.destroy()
      }),
  }
}
