/**
 * "Test access": a real HTTPS request to a hostname, presenting a chosen client certificate and key, and
 * one without, each on its own connection (no session reuse), reporting allowed or blocked and why.
 *
 * Each attempt is a TLS handshake first and an HTTP/1.1 GET over that socket second, so the facts of the
 * handshake are read before anything is sent: whether the server asked for a client certificate (a
 * CertificateRequest carries the server's signature algorithms, so the client has shared ones only when one
 * arrived), the server's certificate, and whether it is trusted. An untrusted server gets no request.
 *
 * Against the Sandbox edge the answer is exact (it names the rule in `x-sandbox-rule`); against Cloudflare it
 * is the same request to the real hostname (Cloudflare docs: Configure mTLS — a WAF custom rule blocks with
 * 403 and a page carrying the Ray ID). The key is handed to OpenSSL as text: never written, never logged.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { X509Certificate } from 'node:crypto'
import { checkServerIdentity, connect, getCACertificates, type PeerCertificate, type TLSSocket } from 'node:tls'
import { AppError } from '../../shared/errors'
import {
  ORIGIN_LEG_HEADERS,
  RESOLVE_PATTERN,
  type ProbeOriginLeg,
  type ProbeAttempt,
  type ProbeCertificate,
  type ProbeOutcome,
  type ProbeResult,
  type ProbeRule,
  type ProbeTls,
} from '../../shared/probe-model'
import { assertKeyMatchesSpki, decodePem, parsePem, readPrivateKey } from '../pki/encode'

export interface ProbeOptions {
  /** `https://host[:port]/path`. */
  url: string
  /** The client certificate (a chain is sent whole) and its unencrypted key, as PEM text. */
  client?: { certificatePem: string; keyPem: string }
  /** Also send the request without a certificate (default true; always sent when no client is given). */
  withoutCertificate?: boolean
  /** `HOST:PORT:ADDR` as curl's --resolve: connect to ADDR while SNI and Host stay HOST. */
  resolve?: string
  /** An extra CA to trust for the server's certificate (the Sandbox Edge CA), beside the system's. */
  caPem?: string
  /** Per attempt; default 10 s. */
  timeoutMs?: number
  signal?: AbortSignal
  expect?: ProbeOutcome
}

export const PROBE_DEFAULT_TIMEOUT_MS = 10_000
/** The most of a response body read (a block page is a few KB); the rest is dropped. */
const MAX_BODY_BYTES = 64 * 1024

interface Target {
  hostname: string
  port: number
  path: string
  /** Where the TCP connection goes: ADDR from `resolve`, or the hostname for DNS. */
  connectHost: string
  connectedTo: string | null
  hostHeader: string
}

interface Client {
  certificatePem: string
  keyPem: string
  facts: ProbeCertificate
}

const bad = (message: string, hint: string, details?: Record<string, unknown>): AppError =>
  new AppError('bad_input', message, { hint, ...(details ? { details } : {}) })

/** The URL and `resolve`, checked: an https URL, and a resolve entry naming its host and port. */
export function probeTarget(url: string, resolve?: string): Target {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw bad(`"${url}" is not a URL.`, 'Give the full address, e.g. https://api.example.com/.')
  }
  if (parsed.protocol !== 'https:')
    throw bad(`Test access sends HTTPS requests; "${url}" is not an https:// URL.`, 'Client certificates are asked for over HTTPS only.')
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '')
  const port = parsed.port === '' ? 443 : Number(parsed.port)
  const path = `${parsed.pathname}${parsed.search}`
  const hostHeader = parsed.port === '' ? parsed.hostname : `${parsed.hostname}:${port}`
  if (resolve === undefined) return { hostname, port, path, connectHost: hostname, connectedTo: null, hostHeader }
  const match = RESOLVE_PATTERN.exec(resolve.trim())
  if (!match)
    throw bad(`"${resolve}" is not a resolve entry.`, 'Write it as curl does: HOST:PORT:ADDR, e.g. api.example.com:8443:127.0.0.1.')
  const [, host, portText, addressText] = match as unknown as [string, string, string, string]
  const address = addressText.replace(/^\[|\]$/g, '')
  if (isIP(address) === 0)
    throw bad(`"${addressText}" in the resolve entry is not an IP address.`, 'ADDR is where to connect, e.g. 127.0.0.1.')
  if (host.toLowerCase() !== hostname.toLowerCase() || Number(portText) !== port)
    throw bad(
      `The resolve entry is for ${host}:${portText}, but the URL is for ${hostname}:${port}.`,
      `Use --resolve ${hostname}:${port}:${addressText}, or change the URL to match it.`,
    )
  return { hostname, port, path, connectHost: address, connectedTo: `${address}:${port}`, hostHeader }
}

/** An AppError from the PEM or key readers, told about which input it is. */
function about(what: string, error: unknown): unknown {
  if (!(error instanceof AppError)) return error
  const message = `${what}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`
  return new AppError(error.code, message, {
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.details ? { details: error.details } : {}),
  })
}

function facts(certificate: X509Certificate): ProbeCertificate {
  return {
    subject: certificate.subject.split('\n').join(', '),
    issuer: certificate.issuer.split('\n').join(', '),
    serialNumber: certificate.serialNumber.toUpperCase(),
    fingerprintSha256: certificate.fingerprint256.replace(/:/g, '').toUpperCase(),
    notAfter: new Date(certificate.validTo).toISOString(),
  }
}

/** The certificate and key, checked before any connection: PEM, not encrypted, one key pair. */
export function readProbeClient(certificatePem: string, keyPem: string): Client {
  let leaf: X509Certificate
  try {
    const block = decodePem(certificatePem, ['CERTIFICATE'], 'a certificate')
    leaf = new X509Certificate(block.der)
  } catch (error) {
    if (error instanceof AppError) throw about('The client certificate', error)
    throw bad('The client certificate is damaged: it could not be decoded.', '`openssl x509 -in CERT -noout -text` shows the same problem.')
  }
  let key
  try {
    key = readPrivateKey(keyPem)
  } catch (error) {
    if (error instanceof AppError && error.details?.reason === 'password_required')
      throw bad(
        'The private key is encrypted; Test access needs the key unlocked.',
        'Choose the key from the vault instead (--vault-key ID), or the key file as it was made (without a password).',
        { reason: 'encrypted_key' },
      )
    throw about('The private key', error)
  }
  assertKeyMatchesSpki(key, leaf.publicKey.export({ type: 'spki', format: 'der' }), 'the client certificate')
  return { certificatePem, keyPem, facts: facts(leaf) }
}

function readCa(caPem: string): X509Certificate[] {
  try {
    decodePem(caPem, ['CERTIFICATE'], 'a CA certificate')
    return parsePem(caPem)
      .filter((b) => b.label === 'CERTIFICATE')
      .map((b) => new X509Certificate(b.der))
  } catch (error) {
    if (error instanceof AppError) throw about('The CA file', error)
    throw bad('The CA certificate is damaged: it could not be decoded.', '`openssl x509 -in CA -noout -text` shows the same problem.')
  }
}

/** The peer's chain as Node gives it (leaf first; the issuer link loops on a self-signed root). */
function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = []
  const seen = new Set<string>()
  let link: PeerCertificate | undefined = socket.getPeerCertificate(true)
  while (link?.raw && !seen.has(link.fingerprint256)) {
    seen.add(link.fingerprint256)
    chain.push(new X509Certificate(link.raw))
    link = (link as { issuerCertificate?: PeerCertificate }).issuerCertificate
  }
  return chain
}

function chainsTo(chain: X509Certificate[], cas: X509Certificate[]): boolean {
  return chain.some((cert) => cas.some((ca) => cert.raw.equals(ca.raw) || (cert.checkIssued(ca) && cert.verify(ca.publicKey))))
}

/** Alerts a server sends when it refuses the client certificate (or its absence) in the handshake. */
const CERTIFICATE_ALERT =
  /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|ACCESS_DENIED)/

function alertName(error: NodeJS.ErrnoException): string | null {
  const match = CERTIFICATE_ALERT.exec(error.code ?? '')
  return match ? `alert "${match[1]!.toLowerCase().replace(/_/g, ' ')}"` : null
}

const SERVER_TRUST: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a root that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not among the trusted CAs',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not among the trusted CAs',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it does not name this hostname',
}

function untrusted(target: Target, code: string, chain: X509Certificate[], hasCa: boolean): AppError {
  const leaf = chain[0]
  const issuer = chain.at(-1)?.issuer.split('\n').join(', ') ?? 'an unknown issuer'
  const why = SERVER_TRUST[code] ?? `verification failed (${code})`
  const hint =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `Connect to ${target.hostname} by the name its certificate is for, or check --resolve points to the right server.`
      : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
        ? 'The server must renew its certificate; Test access does not skip the check.'
        : `Pass the CA that issued it (${issuer}) with --ca FILE${hasCa ? ' (the CA given is not it)' : ''}; ` +
          'for the Sandbox edge it is the Edge CA file that `certdesk sandbox serve` printed.'
  return new AppError('tls_untrusted', `The server's certificate for ${target.hostname} is not trusted: ${why}.`, {
    hint,
    details: { reason: code, ...(leaf ? { subject: leaf.subject.split('\n').join(', '), issuer } : {}) },
  })
}

/** OpenSSL's messages carry a location after the first colon-separated fields; the first line is enough. */
const firstLine = (message: string): string => message.split('\n')[0]!.replace(/\.$/, '')

/** A connection or handshake error as the user would say it. */
function connectError(target: Target, error: NodeJS.ErrnoException, timeoutMs: number, handshakeDone: boolean): AppError {
  const where = target.connectedTo ?? `${target.hostname}:${target.port}`
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
      return new AppError('dns_failed', `${target.hostname} could not be found: DNS has no address for it.`, {
        hint: `Check the hostname, or connect to a known address with --resolve ${target.hostname}:${target.port}:ADDR.`,
        details: { reason: error.code },
      })
    case 'ECONNREFUSED':
      return new AppError('connection_refused', `Nothing answers at ${where}: the connection was refused.`, {
        hint: 'Check the port, and that the server (for the Sandbox: `certdesk sandbox serve`) is running.',
        details: { reason: error.code },
      })
    case 'ETIMEDOUT':
    case 'PROBE_TIMEOUT':
      return new AppError('timeout', `${target.hostname} did not answer within ${Math.round(timeoutMs / 100) / 10} s.`, {
        hint: 'Check that the address and port are right and reachable, or allow more time.',
        details: { reason: 'timeout' },
      })
    case 'ECONNRESET':
      if (!handshakeDone)
        return new AppError('connection_reset', `${where} closed the connection during the TLS handshake, without saying why.`, {
          hint:
            'A server that requires a client certificate may do this when none, or one it does not trust, is given ' +
            '(with TLS 1.2 the probe cannot tell); check the server, or try the certificate it expects.',
          details: { reason: error.code },
        })
      return new AppError('connection_reset', `${where} closed the connection before answering.`, {
        hint: 'The server may not speak HTTPS on this port, or it dropped the request.',
        details: { reason: error.code },
      })
    default: {
      const alert = /ALERT_(\w+)$/.exec(error.code ?? '')?.[1]
      const why = alert ? `the server sent the alert "${alert.toLowerCase().replace(/_/g, ' ')}"` : firstLine(error.message)
      return new AppError('tls_failed', `The TLS handshake with ${target.hostname} failed: ${why}.`, {
        hint:
          'With TLS 1.2 a server that requires a client certificate answers so when none is given; otherwise check that ' +
          'the server speaks HTTPS (TLS 1.2 or 1.3) on this port.',
        details: { reason: error.code ?? 'tls' },
      })
    }
  }
}

interface Raw {
  tls: ProbeTls
  status: number | null
  headers: IncomingMessage['headers']
  body: string
  alert: string | null
}

/** Runs one attempt; resolves with what the server answered, or rejects with the AppError to show. */
function exchange(
  target: Target,
  client: Client | null,
  cas: X509Certificate[] | null,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Raw> {
  return new Promise<Raw>((resolve, reject) => {
    let settled = false
    let handshakeTls: ProbeTls | null = null
    const finish = (outcome: { raw?: Raw; error?: unknown }): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      if (outcome.raw) resolve(outcome.raw)
      else reject(outcome.error)
    }
    const failed = (error: NodeJS.ErrnoException): void => {
      // The server refused the certificate (or its absence) with an alert, or hung up without an answer after
      // asking for one (Node servers with rejectUnauthorized do): an answer, not a failure.
      const dropped = handshakeTls?.clientCertificateRequested && error.code === 'ECONNRESET' ? 'it closed the connection' : null
      const alert = alertName(error) ?? dropped
      if (alert) return finish({ raw: { tls: handshakeTls ?? blindTls(client), status: null, headers: {}, body: '', alert } })
      finish({ error: connectError(target, error, timeoutMs, handshakeTls !== null) })
    }
    const onAbort = (): void => finish({ error: new AppError('cancelled', 'Test access was cancelled.') })
    const timer = setTimeout(() => failed(Object.assign(new Error('timeout'), { code: 'PROBE_TIMEOUT' })), timeoutMs)
    const socket = connect({
      host: target.connectHost,
      port: target.port,
      ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
      ...(cas ? { ca: [...getCACertificates('default'), ...cas.map((c) => c.toString())] } : {}),
      ...(client ? { cert: client.certificatePem, key: client.keyPem } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      // Node checks the name against the hostname, not the address connected to.
      checkServerIdentity: (_host, cert) => checkServerIdentity(target.hostname, cert),
    })
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.on('error', failed)
    socket.once('secureConnect', () => {
      const chain = peerChain(socket)
      const requested = socket.getSharedSigalgs().length > 0
      const tls: ProbeTls = {
        protocol: socket.getProtocol(),
        clientCertificateRequested: requested,
        clientCertificateSent: requested && client !== null,
        serverCertificate: chain[0] ? facts(chain[0]) : null,
        serverTrusted: socket.authorized,
        chainedToGivenCa: cas ? chainsTo(chain, cas) : null,
      }
      handshakeTls = tls
      if (!socket.authorized) return finish({ error: untrusted(target, String(socket.authorizationError), chain, cas !== null) })
      const req = httpRequest({
        createConnection: () => socket,
        method: 'GET',
        path: target.path,
        headers: { host: target.hostHeader, 'user-agent': 'Certdesk-TestAccess/1', accept: '*/*', connection: 'close' },
      })
      req.on('error', failed)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let size = 0
        const done = (): void =>
          finish({ raw: { tls, status: res.statusCode ?? null, headers: res.headers, body: text(chunks), alert: null } })
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_BODY_BYTES) return done()
          chunks.push(chunk)
          size += chunk.length
        })
        res.on('end', done)
        res.on('error', done)
      })
      req.end()
    })
  })
}

const text = (chunks: Buffer[]): string => Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8')

/**
 * TLS facts when the server refused the handshake with a certificate alert before it ended: it asked for a
 * certificate (the alert is about one); its own certificate was not checked yet.
 */
function blindTls(client: Client | null): ProbeTls {
  return {
    protocol: null,
    clientCertificateRequested: true,
    clientCertificateSent: client !== null,
    serverCertificate: null,
    serverTrusted: null,
    chainedToGivenCa: null,
  }
}

/** The Ray ID of a Cloudflare block page ("Cloudflare Ray ID: <strong>8f2b…</strong>"). */
const RAY_ON_PAGE = /Ray ID:?\s*(?:<[^>]{0,200}>\s*){0,3}([0-9a-f]{8,32}(?:-[A-Z0-9]{2,5})?)/i

const header = (headers: IncomingMessage['headers'], name: string): string | null => {
  const value = headers[name]
  return (Array.isArray(value) ? value[0] : value) ?? null
}

/**
 * Statuses a server gives when it refuses a request for its certificate: 403 (Cloudflare's WAF block), nginx's
 * 495/496 and its 400 page. A 401 asks for credentials (a login), not a certificate: the request got through.
 */
function isRefusal(status: number, body: string): boolean {
  if (status === 403 || status === 495 || status === 496) return true
  return status === 400 && /No required SSL certificate was sent|SSL certificate error/i.test(body)
}

const ORIGIN_LEG_WORDS: Record<number, string> = {
  520: 'the origin answered in a way Cloudflare could not use (520)',
  521: 'the origin refused the connection (521)',
  525: 'the origin refused the TLS handshake with Cloudflare (525): it did not accept the client certificate Cloudflare presented',
  526: 'Cloudflare refused the origin’s certificate (526): it is not valid for Full (strict)',
}

/** The Cloudflare → origin leg as this answer shows it (null without an HTTP answer). */
function originLeg(raw: Raw, blockedByCloudflare: boolean): ProbeOriginLeg | undefined {
  if (raw.status === null) return undefined
  const h = (name: string) => header(raw.headers, name)
  const presented = h(ORIGIN_LEG_HEADERS.pullSource)
  const fingerprint = h(ORIGIN_LEG_HEADERS.originCertFingerprint)
  const subject = h(ORIGIN_LEG_HEADERS.originCertSubject)
  const issuer = h(ORIGIN_LEG_HEADERS.originCertIssuer)
  const notAfter = h(ORIGIN_LEG_HEADERS.originCertNotAfter)
  const error = h(ORIGIN_LEG_HEADERS.originError)
  const failed = ORIGIN_LEG_WORDS[raw.status]
  const reached = !failed && !blockedByCloudflare
  const which =
    presented === null
      ? ''
      : presented === 'none' || presented === 'disabled'
        ? ' (no AOP certificate presented)'
        : ` (AOP: ${presented} certificate ${h(ORIGIN_LEG_HEADERS.pullCertificateId) ?? ''})`.replace(' )', ')')
  const verdict = blockedByCloudflare
    ? 'Blocked at the edge: the request never reached the origin.'
    : failed
      ? `Not served: ${failed}${which}${error ? ` [${error}]` : ''}.`
      : `The origin accepted Cloudflare's request (HTTP ${raw.status})${which}.`
  return {
    reached,
    presented,
    presentedCertificateId: h(ORIGIN_LEG_HEADERS.pullCertificateId),
    presentedFingerprint: h(ORIGIN_LEG_HEADERS.pullFingerprint),
    originCertificate: fingerprint || subject || notAfter ? { fingerprint, subject, issuer, notAfter } : null,
    error,
    verdict,
  }
}

function judge(raw: Raw, client: Client | null, started: number): ProbeAttempt {
  const rayId = header(raw.headers, 'cf-ray') ?? RAY_ON_PAGE.exec(raw.body)?.[1] ?? null
  const ruleId = header(raw.headers, 'x-sandbox-rule')
  const ruleDescription = header(raw.headers, 'x-sandbox-rule-description')
  const rule: ProbeRule | null = ruleId || ruleDescription ? { id: ruleId, description: ruleDescription } : null
  const notEvaluated = (header(raw.headers, 'x-sandbox-not-evaluated') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  // Cloudflare adds cf-ray to every answer, the origin's too: its own block is known by its page (or the Sandbox's rule).
  const cloudflare = rule !== null || RAY_ON_PAGE.test(raw.body) || /Sorry, you have been blocked/.test(raw.body)
  const blocked = raw.status === null || isRefusal(raw.status, raw.body)
  const blockedBy = !blocked ? null : raw.status === null ? 'tls' : cloudflare ? 'cloudflare' : 'server'
  const outcome: ProbeOutcome = blocked ? 'blocked' : 'allowed'
  const attempt = {
    withCertificate: client !== null,
    clientCertificate: client?.facts ?? null,
    outcome,
    blockedBy,
    status: raw.status,
    rayId,
    rule,
    notEvaluated,
    tls: raw.tls,
    durationMs: Math.round(performance.now() - started),
  } satisfies Omit<ProbeAttempt, 'verdict'>
  const leg = originLeg(raw, blockedBy === 'cloudflare')
  return { ...attempt, verdict: attemptVerdict(attempt, raw.alert), ...(leg ? { originLeg: leg } : {}) }
}

function commonName(certificate: ProbeCertificate): string {
  return /(?:^|, )CN=([^,]+)/.exec(certificate.subject)?.[1] ?? certificate.subject
}

function attemptVerdict(attempt: Omit<ProbeAttempt, 'verdict'>, alert: string | null): string {
  const which = attempt.clientCertificate ? `with the certificate "${commonName(attempt.clientCertificate)}"` : 'without a certificate'
  let sentence: string
  if (attempt.blockedBy === 'tls') {
    sentence = `The request ${which} was blocked in the TLS handshake: the server refused it (${alert ?? 'handshake alert'}).`
  } else {
    const by = attempt.blockedBy === 'cloudflare' ? ' by Cloudflare' : attempt.blockedBy === 'server' ? ' by the server' : ''
    const why = [
      `HTTP ${attempt.status}`,
      ...(attempt.rayId ? [`Ray ID ${attempt.rayId}`] : []),
      ...(attempt.rule ? [`rule "${attempt.rule.description ?? attempt.rule.id}"`] : []),
    ].join(', ')
    sentence = `The request ${which} was ${attempt.outcome}${by} (${why}).`
  }
  if (attempt.clientCertificate && !attempt.tls.clientCertificateRequested && attempt.blockedBy !== 'tls')
    sentence += ' The server did not ask for a client certificate, so none was sent: the hostname has no mTLS association.'
  if (attempt.notEvaluated.length)
    sentence += ` The Sandbox did not evaluate ${attempt.notEvaluated.join(', ')}: the outcome may differ on Cloudflare.`
  return sentence
}

function overallVerdict(hostname: string, attempts: ProbeAttempt[], expect: ProbeOutcome | null, pass: boolean | null): string {
  const withCert = attempts.find((a) => a.withCertificate)
  const without = attempts.find((a) => !a.withCertificate)
  let summary: string
  if (withCert && without) {
    const key = `${withCert.outcome}/${without.outcome}`
    summary =
      key === 'allowed/blocked'
        ? `${hostname} is enforced: the certificate is let through and a request without one is blocked.`
        : key === 'allowed/allowed'
          ? `${hostname} is not enforced: a request without a certificate is allowed too.`
          : key === 'blocked/blocked'
            ? `${hostname} blocks this certificate, and requests without one.`
            : `${hostname} blocks this certificate but allows a request without one: check the rules.`
  } else {
    summary = attempts[0]!.verdict
  }
  if (expect === null) return summary
  const first = attempts[0]!
  return pass
    ? `As expected (${expect}): ${summary}`
    : `Not as expected: ${expect} was expected but the request was ${first.outcome}. ${summary}`
}

/** Sends the requests and reports each; throws an AppError for bad input or when no HTTP/TLS answer came. */
export async function probe(options: ProbeOptions): Promise<ProbeResult> {
  const target = probeTarget(options.url, options.resolve)
  const client = options.client ? readProbeClient(options.client.certificatePem, options.client.keyPem) : null
  const cas = options.caPem === undefined ? null : readCa(options.caPem)
  const timeoutMs = options.timeoutMs ?? PROBE_DEFAULT_TIMEOUT_MS
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw bad('The timeout must be a positive number of milliseconds.', 'E.g. 10000.')
  const plans: Array<Client | null> = [
    ...(client ? [client] : []),
    ...(client === null || options.withoutCertificate !== false ? [null] : []),
  ]
  const attempts: ProbeAttempt[] = []
  for (const plan of plans) {
    const started = performance.now()
    attempts.push(judge(await exchange(target, plan, cas, timeoutMs, options.signal), plan, started))
  }
  const expect = options.expect ?? null
  const pass = expect === null ? null : attempts[0]!.outcome === expect
  return {
    url: options.url,
    connectedTo: target.connectedTo,
    attempts,
    expect,
    pass,
    verdict: overallVerdict(target.hostname, attempts, expect, pass),
  }
}
