/**
 * Test access against a local mTLS server shaped like Cloudflare with a blocking rule, with curl as the
 * referee: the same three requests (no certificate, a good one, one from another CA) get the same verdicts.
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probe } from '../../../src/main/enforcement/probe'
import { ProbeResult } from '../../../src/shared/probe-model'
import { AppError } from '../../../src/shared/errors'
import { curlStatus, HOST, makePki, PAGE_RAY, RAY, RULE, startMtlsServer, type Pki } from '../../support/probe-fixture'

const run = promisify(execFile)

let pki: Pki
let server: Awaited<ReturnType<typeof startMtlsServer>>

beforeAll(async () => {
  pki = makePki()
  server = await startMtlsServer(pki)
})

afterAll(async () => {
  await server?.close()
  pki?.factory.cleanup()
})

const base = () => ({ url: `https://${HOST}:${server.port}/`, resolve: `${HOST}:${server.port}:127.0.0.1`, caPem: pki.edgeCa.pem })
const withCert = (cert: { pem: string; keyPem: string }) => ({ certificatePem: cert.pem, keyPem: cert.keyPem })

/** curl's status for the same request: the referee. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('probe against a server that blocks without a verified certificate', () => {
  it('no certificate: blocked by Cloudflare with the Ray ID and the rule, the certificate was asked for; curl agrees', async () => {
    const result = await probe({ ...base(), expect: 'blocked' })
    expect(ProbeResult.parse(result)).toEqual(result)
    expect(result.attempts).toHaveLength(1)
    const [attempt] = result.attempts
    expect(attempt).toMatchObject({ withCertificate: false, outcome: 'blocked', blockedBy: 'cloudflare', status: 403, rayId: RAY })
    expect(attempt!.rule).toEqual({ id: RULE.id, description: RULE.description })
    expect(attempt!.tls).toMatchObject({ clientCertificateRequested: true, clientCertificateSent: false, serverTrusted: true })
    expect(attempt!.tls.chainedToGivenCa).toBe(true)
    expect(attempt!.tls.serverCertificate?.subject).toBe(`CN=${HOST}`)
    expect(attempt!.tls.serverCertificate?.issuer).toContain('CN=Probe Edge CA')
    expect(attempt!.verdict).toBe(
      `The request without a certificate was blocked by Cloudflare (HTTP 403, Ray ID ${RAY}, rule "${RULE.description}").`,
    )
    expect(result).toMatchObject({ pass: true, connectedTo: `127.0.0.1:${server.port}` })
    expect(await curlStatus(pki, server.port)).toBe(403)
  })

  it('a good certificate: allowed, and the request without one blocked: "enforced"; curl agrees on both', async () => {
    const result = await probe({ ...base(), client: withCert(pki.good), expect: 'allowed' })
    expect(result.attempts.map((a) => [a.withCertificate, a.outcome, a.status])).toEqual([
      [true, 'allowed', 200],
      [false, 'blocked', 403],
    ])
    const [good] = result.attempts
    expect(good!.tls).toMatchObject({ clientCertificateRequested: true, clientCertificateSent: true })
    expect(good!.clientCertificate).toMatchObject({ subject: 'CN=laptop-1' })
    expect(good!.clientCertificate!.issuer).toContain('CN=Probe Client CA')
    expect(good!.verdict).toContain('The request with the certificate "laptop-1" was allowed (HTTP 200')
    expect(result.pass).toBe(true)
    expect(result.verdict).toBe(
      `As expected (allowed): ${HOST} is enforced: the certificate is let through and a request without one is blocked.`,
    )
    expect(await curlStatus(pki, server.port, pki.good)).toBe(200)
    expect(await curlStatus(pki, server.port)).toBe(403)
  })

  it('a certificate from another CA: blocked, expect allowed fails; curl agrees', async () => {
    const result = await probe({ ...base(), client: withCert(pki.other), expect: 'allowed' })
    expect(result.attempts.map((a) => a.outcome)).toEqual(['blocked', 'blocked'])
    expect(result.attempts[0]!.tls.clientCertificateSent).toBe(true)
    expect(result.pass).toBe(false)
    expect(result.verdict).toMatch(/^Not as expected: allowed was expected but the request was blocked\./)
    expect(await curlStatus(pki, server.port, pki.other)).toBe(403)
  })

  it('each attempt is its own request, and the server saw the certificate only on the first', async () => {
    const before = server.seen.length
    await probe({ ...base(), url: `https://${HOST}:${server.port}/seen?x=1`, client: withCert(pki.good) })
    expect(server.seen.slice(before)).toEqual([
      { path: '/seen?x=1', verified: true },
      { path: '/seen?x=1', verified: false },
    ])
  })

  it('withoutCertificate:false sends only the request with the certificate', async () => {
    const result = await probe({ ...base(), client: withCert(pki.good), withoutCertificate: false })
    expect(result.attempts).toHaveLength(1)
    expect(result.pass).toBeNull()
  })

  it('reads the Ray ID from the block page when there is no cf-ray header', async () => {
    const result = await probe({ ...base(), url: `https://${HOST}:${server.port}/page-only` })
    expect(result.attempts[0]).toMatchObject({ outcome: 'blocked', blockedBy: 'cloudflare', rayId: PAGE_RAY, rule: null })
  })

  it("the origin's own 403 behind Cloudflare (cf-ray, no block page) is blocked by the server, not by Cloudflare", async () => {
    const result = await probe({ ...base(), url: `https://${HOST}:${server.port}/origin-403`, client: withCert(pki.good) })
    expect(result.attempts[0]).toMatchObject({ outcome: 'blocked', blockedBy: 'server', status: 403, rayId: RAY, rule: null })
    expect(result.attempts[0]!.verdict).toBe(
      `The request with the certificate "laptop-1" was blocked by the server (HTTP 403, Ray ID ${RAY}).`,
    )
  })

  it('a 401 asks for a login, not a certificate: the request got through (allowed)', async () => {
    const result = await probe({ ...base(), url: `https://${HOST}:${server.port}/login-401`, client: withCert(pki.good) })
    expect(result.attempts[0]).toMatchObject({ outcome: 'allowed', blockedBy: null, status: 401 })
  })

  it('the result carries no key material', async () => {
    const result = await probe({ ...base(), client: withCert(pki.good) })
    const json = JSON.stringify(result)
    const keyBody = pki.good.keyPem.split('\n')[1]!
    expect(json).not.toContain(keyBody)
    expect(json).not.toContain('PRIVATE KEY')
  })
})

describe('probe: other servers', () => {
  it('a server that does not ask for a certificate: allowed, and the verdict says none was sent', async () => {
    const open = await startMtlsServer(pki, { requestCert: false })
    try {
      const result = await probe({
        ...base(),
        url: `https://${HOST}:${open.port}/`,
        resolve: `${HOST}:${open.port}:127.0.0.1`,
        client: withCert(pki.good),
      })
      expect(result.attempts[0]!.tls).toMatchObject({ clientCertificateRequested: false, clientCertificateSent: false })
      expect(result.attempts[0]!.verdict).toContain('The server did not ask for a client certificate')
      expect(result.verdict).toBe(`${HOST} is not enforced: a request without a certificate is allowed too.`)
    } finally {
      await open.close()
    }
  })

  it('openssl s_server -Verify 1 refuses with a TLS alert: blocked by TLS, its alert named; good certificate allowed', async () => {
    const port = await freePort()
    const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', pki.server.certPath, '-key', pki.server.keyPath]
    const child = spawn('openssl', [...args, '-CAfile', pki.clientCa.certPath, '-Verify', '1', '-verify_return_error', '-www'])
    try {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      while (!out.includes('ACCEPT')) await new Promise((resolve) => setTimeout(resolve, 20))
      const at = { url: `https://${HOST}:${port}/`, resolve: `${HOST}:${port}:127.0.0.1`, caPem: pki.edgeCa.pem }
      const result = await probe({ ...at, client: withCert(pki.other) })
      for (const attempt of result.attempts) expect(attempt).toMatchObject({ outcome: 'blocked', blockedBy: 'tls', status: null })
      expect(result.attempts[0]!.verdict).toMatch(/the server refused it \(alert "(unknown ca|bad certificate)"\)/)
      expect(result.attempts[1]!.verdict).toContain('the server refused it (alert "certificate required")')
      const good = await probe({ ...at, client: withCert(pki.good), withoutCertificate: false })
      expect(good.attempts[0]).toMatchObject({ outcome: 'allowed', status: 200 })
    } finally {
      child.kill()
    }
  })

  it('a Node server that hangs up after a TLS 1.3 handshake: blocked by TLS; good certificate allowed', async () => {
    const strict = await startMtlsServer(pki, { rejectInTls: true, maxVersion: 'TLSv1.3' })
    try {
      const at = { url: `https://${HOST}:${strict.port}/`, resolve: `${HOST}:${strict.port}:127.0.0.1`, caPem: pki.edgeCa.pem }
      const result = await probe({ ...at, client: withCert(pki.other) })
      for (const attempt of result.attempts) expect(attempt).toMatchObject({ outcome: 'blocked', blockedBy: 'tls', status: null })
      expect(result.attempts[0]!.verdict).toContain('blocked in the TLS handshake: the server refused it (it closed the connection)')
      const good = await probe({ ...at, client: withCert(pki.good), withoutCertificate: false })
      expect(good.attempts[0]).toMatchObject({ outcome: 'allowed', status: 200 })
      expect(good.attempts[0]!.tls.protocol).toBe('TLSv1.3')
    } finally {
      await strict.close()
    }
  })

  it('a Node server refusing in a TLS 1.2 handshake: errors that say what happened, not guessed verdicts', async () => {
    const strict = await startMtlsServer(pki, { rejectInTls: true, maxVersion: 'TLSv1.2' })
    try {
      const at = { url: `https://${HOST}:${strict.port}/`, resolve: `${HOST}:${strict.port}:127.0.0.1`, caPem: pki.edgeCa.pem }
      // OpenSSL answers a missing certificate with the generic "handshake failure": not guessed to be a block.
      const error = await failure(probe(at))
      expect(error.code).toBe('tls_failed')
      expect(error.message).toBe(`The TLS handshake with ${HOST} failed: the server sent the alert "handshake failure".`)
      expect(error.hint).toContain('With TLS 1.2 a server that requires a client certificate answers so when none is given')
      // Node accepts the handshake and then hangs up on an untrusted certificate: said, not guessed either.
      const other = await failure(probe({ ...at, client: withCert(pki.other), withoutCertificate: false }))
      expect(other.code).toBe('connection_reset')
      expect(other.message).toBe(`127.0.0.1:${strict.port} closed the connection during the TLS handshake, without saying why.`)
      const good = await probe({ ...at, client: withCert(pki.good), withoutCertificate: false })
      expect(good.attempts[0]).toMatchObject({ outcome: 'allowed', status: 200 })
      expect(good.attempts[0]!.tls).toMatchObject({ protocol: 'TLSv1.2', clientCertificateRequested: true })
    } finally {
      await strict.close()
    }
  })
})

describe('probe: errors in the user words', () => {
  it('an untrusted server certificate names its CA and says to pass it, and sends no request', async () => {
    const before = server.seen.length
    const error = await failure(probe({ url: base().url, resolve: base().resolve }))
    expect(error.code).toBe('tls_untrusted')
    expect(error.message).toBe(`The server's certificate for ${HOST} is not trusted: its issuer is not among the trusted CAs.`)
    expect(error.hint).toContain('Pass the CA that issued it (CN=Probe Edge CA, O=Certdesk Test) with --ca FILE')
    expect(server.seen.length).toBe(before)
    const wrongCa = await failure(probe({ ...base(), caPem: pki.otherCa.pem }))
    expect(wrongCa.hint).toContain('(the CA given is not it)')
  })

  it('a certificate for another name is refused', async () => {
    const url = `https://other.probe.test:${server.port}/`
    const error = await failure(probe({ url, resolve: `other.probe.test:${server.port}:127.0.0.1`, caPem: pki.edgeCa.pem }))
    expect(error.code).toBe('tls_untrusted')
    expect(error.message).toBe("The server's certificate for other.probe.test is not trusted: it does not name this hostname.")
  })

  it('DNS: a name that does not resolve', async () => {
    const error = await failure(probe({ url: 'https://no-such-host.invalid/' }))
    expect(error.code).toBe('dns_failed')
    expect(error.message).toBe('no-such-host.invalid could not be found: DNS has no address for it.')
  })

  it('refused: nothing listens on the port', async () => {
    const port = await freePort()
    const error = await failure(probe({ url: `https://${HOST}:${port}/`, resolve: `${HOST}:${port}:127.0.0.1` }))
    expect(error.code).toBe('connection_refused')
    expect(error.message).toBe(`Nothing answers at 127.0.0.1:${port}: the connection was refused.`)
  })

  it('timeout, and an AbortSignal, on a server that accepts and never answers', async () => {
    const sockets: Socket[] = []
    const mute = createTcpServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1')
    await once(mute, 'listening')
    const { port } = mute.address() as AddressInfo
    const at = { url: `https://${HOST}:${port}/`, resolve: `${HOST}:${port}:127.0.0.1` }
    try {
      const started = Date.now()
      const error = await failure(probe({ ...at, timeoutMs: 300 }))
      expect(error.code).toBe('timeout')
      expect(error.message).toBe(`${HOST} did not answer within 0.3 s.`)
      expect(Date.now() - started).toBeLessThan(5000)
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 100)
      const cancelled = await failure(probe({ ...at, signal: controller.signal }))
      expect(cancelled.code).toBe('cancelled')
    } finally {
      for (const socket of sockets) socket.destroy()
      mute.close()
    }
  })

  it('a key that does not match the certificate is refused before connecting', async () => {
    const port = await freePort() // nothing listens: a connection would say "refused"
    const error = await failure(
      probe({
        url: `https://${HOST}:${port}/`,
        resolve: `${HOST}:${port}:127.0.0.1`,
        client: { certificatePem: pki.good.pem, keyPem: pki.other.keyPem },
      }),
    )
    expect(error.code).toBe('bad_input')
    expect(error.message).toBe('The private key does not match the client certificate: it belongs to a different key pair.')
  })

  it('an encrypted key, and malformed PEM', async () => {
    const { stdout: encrypted } = await run('openssl', ['pkey', '-in', pki.good.keyPath, '-aes256', '-passout', 'pass:secret'])
    const locked = await failure(probe({ ...base(), client: { certificatePem: pki.good.pem, keyPem: encrypted } }))
    expect(locked.message).toBe('The private key is encrypted; Test access needs the key unlocked.')
    const notPem = await failure(probe({ ...base(), client: { certificatePem: 'hello', keyPem: pki.good.keyPem } }))
    expect(notPem.message).toBe('The client certificate: the input is not PEM: no "-----BEGIN" line found; a certificate was expected.')
    const keyAsCert = await failure(probe({ ...base(), client: { certificatePem: pki.good.keyPem, keyPem: pki.good.keyPem } }))
    expect(keyAsCert.message).toBe('The client certificate: this is a private key; a certificate was expected.')
    const damaged = pki.good.pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!')
    const broken = await failure(probe({ ...base(), client: { certificatePem: damaged, keyPem: pki.good.keyPem } }))
    expect(broken.message).toBe('The client certificate: the PEM block "CERTIFICATE" has invalid base64 at line 2.')
    const certAsKey = await failure(probe({ ...base(), client: { certificatePem: pki.good.pem, keyPem: pki.good.pem } }))
    expect(certAsKey.message).toBe('The private key: this is a certificate; a private key was expected.')
    const badCa = await failure(probe({ ...base(), caPem: 'not a ca' }))
    expect(badCa.message).toBe('The CA file: the input is not PEM: no "-----BEGIN" line found; a CA certificate was expected.')
  })

  it('bad URL and resolve entries', async () => {
    expect((await failure(probe({ url: 'api.example.com' }))).message).toBe('"api.example.com" is not a URL.')
    expect((await failure(probe({ url: 'http://api.example.com/' }))).message).toMatch(/is not an https:\/\/ URL/)
    const mismatch = await failure(probe({ url: 'https://api.example.com/', resolve: 'api.example.com:8443:127.0.0.1' }))
    expect(mismatch.message).toBe('The resolve entry is for api.example.com:8443, but the URL is for api.example.com:443.')
    expect((await failure(probe({ url: 'https://a.example/', resolve: 'a.example:443' }))).message).toBe(
      '"a.example:443" is not a resolve entry.',
    )
    const notIp = await failure(probe({ url: 'https://a.example/', resolve: 'a.example:443:localhost' }))
    expect(notIp.message).toBe('"localhost" in the resolve entry is not an IP address.')
  })
})

async function freePort(): Promise<number> {
  const probeServer = createTcpServer().listen(0, '127.0.0.1')
  await once(probeServer, 'listening')
  const { port } = probeServer.address() as AddressInfo
  await new Promise((resolve) => probeServer.close(resolve))
  return port
}
