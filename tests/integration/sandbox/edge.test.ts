/**
 * The Sandbox edge as a client sees it, with referees that are not Certdesk: Node `https` (client certificate and
 * key, the Edge CA as its only trust), curl (`--cert --key --cacert --resolve`, `-v` for the CertificateRequest)
 * and openssl (the certificate facts the `cf.tls_client_auth.*` fields must equal).
 *
 * The rules here are THE TEST'S POLICY, written by hand: Cloudflare's recommended rule
 * `(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.host in {…}` with action
 * block. The real rules evaluator is another module; the edge only asks `decide` for each request.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import { Agent } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { webcrypto } from 'node:crypto'
import { startSandbox, type EdgeDecide, type EdgeRequest, type SandboxEdge, type SandboxHandle } from '../../../src/main/sandbox'
import { AppError } from '../../../src/shared/errors'
import { client, testClock } from './helpers'
import { makeCsr } from '../../support/csr'
import { tempDir } from '../../support/tools'
import { curl, edgeRequest, openssl } from './edge-helpers'
import { opensslCsr, opensslRoot, opensslSign, ROOT_EXT } from '../../support/cert-factory'

const tmp = tempDir('certdesk-edge-')
const dir = tmp.path
afterAll(() => tmp.remove())

const RULE = { ruleId: 'rule-mtls-1', ruleDescription: 'mTLS: block unverified or revoked (api)' }

/** The test's policy (see the file comment), over the hostnames in `enforced`; it records every request it sees. */
function testPolicy(): { decide: EdgeDecide; enforced: Set<string>; seen: EdgeRequest[] } {
  const enforced = new Set<string>()
  const seen: EdgeRequest[] = []
  const decide: EdgeDecide = (_zoneId, request) => {
    seen.push(request)
    if (request.host === 'broken.example.com') throw new Error('the rules could not be read')
    const blocked = (!request.tls.cert_verified || request.tls.cert_revoked) && enforced.has(request.host)
    return blocked ? { action: 'block', ...RULE } : { action: 'allow' }
  }
  return { decide, enforced, seen }
}

async function keyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`
}

interface Issued {
  id: string
  cert: string
  key: string
  certPath: string
  keyPath: string
}

const save = (text: string): string => tmp.save(text)

/** A client certificate from the zone's managed CA, through the Sandbox API. */
async function issue(sb: SandboxHandle, zoneId: string, cn: string, validityDays = 365): Promise<Issued> {
  const { pem, keys } = await makeCsr(cn)
  const res = await client(sb)('POST', `/zones/${zoneId}/client_certificates`, { body: { csr: pem, validity_days: validityDays } })
  expect(res.status).toBe(200)
  const result = res.body.result as { id: string; certificate: string }
  const key = await keyPem(keys)
  return { id: result.id, cert: result.certificate, key, certPath: save(result.certificate), keyPath: save(key) }
}

/** A CA and a client certificate made by openssl (a CA the Sandbox knows nothing about). */
async function opensslCa(name: string): Promise<{ pem: string; certPath: string; keyPath: string }> {
  const keyPath = join(dir, `${name}.key`)
  const certPath = join(dir, `${name}.pem`)
  return opensslRoot(certPath, keyPath, { subject: `/C=US/O=Elsewhere Inc./CN=${name}`, ext: ROOT_EXT })
}

async function opensslClient(ca: { certPath: string; keyPath: string }, cn: string): Promise<Issued> {
  const keyPath = join(dir, `${cn}.key`)
  const certPath = join(dir, `${cn}.crt`)
  opensslCsr(join(dir, `${cn}.csr`), keyPath, `/CN=${cn}`)
  const ext = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n'
  const cert = opensslSign(join(dir, `${cn}.csr`), ca, certPath, ext)
  return { id: '', cert, key: readFileSync(keyPath, 'utf8'), certPath, keyPath }
}

interface Echo {
  origin: string
  zone: { id: string; name: string }
  method: string
  host: string
  path: string
  query: string
  headers: Record<string, string>
  body_bytes: number
  tls_client_auth: EdgeRequest['tls']
  cert_verify_error: string | null
}

const NO_CERT = {
  cert_presented: false,
  cert_verified: false,
  cert_revoked: false,
  cert_fingerprint_sha256: '',
  cert_issuer_dn: '',
  cert_subject_dn: '',
  cert_serial: '',
  cert_ski: '',
  cert_issuer_ski: '',
  cert_not_before: '',
  cert_not_after: '',
}

describe('the Sandbox edge', () => {
  let sb: SandboxHandle
  let edge: SandboxEdge
  let policy: ReturnType<typeof testPolicy>
  let com: { id: string; name: string }
  let net: { id: string; name: string }
  const associate = async (zoneId: string, hostnames: string[], mtlsCertificateId?: string): Promise<void> => {
    const body = { hostnames, ...(mtlsCertificateId ? { mtls_certificate_id: mtlsCertificateId } : {}) }
    const res = await client(sb)('PUT', `/zones/${zoneId}/certificate_authorities/hostname_associations`, { body })
    expect(res.status).toBe(200)
  }
  const echo = async (call: Parameters<typeof edgeRequest>[1]): Promise<Echo> => {
    const reply = await edgeRequest(edge, call)
    expect(reply.status, reply.body).toBe(200)
    return JSON.parse(reply.body) as Echo
  }
  const resolve = (host: string): string[] => ['--resolve', `${host}:${edge.port}:127.0.0.1`, '--cacert', edge.caPath]

  beforeAll(async () => {
    policy = testPolicy()
    sb = await startSandbox({ seed: 'empty', timing: { revocationMs: 0, reactivationMs: 0 }, edge: { decide: policy.decide } })
    edge = sb.edge!
    ;[com, net] = sb.zones as [typeof com, typeof net]
  })
  afterAll(() => sb.close())

  test('SNI picks the server certificate, Host picks the zone; the CA file holds the Edge CA kept in the state', async () => {
    const ca = new X509Certificate(edge.caPem)
    expect(ca.subject).toContain('CN=Sandbox Edge CA')
    expect(readFileSync(edge.caPath, 'utf8')).toBe(edge.caPem)
    expect(sb.snapshot().edgeCa?.certificate).toBe(edge.caPem)
    expect(await openssl(['x509', '-in', edge.caPath, '-noout', '-ext', 'basicConstraints'])).toContain('CA:TRUE')

    // Node checked the certificate against the Edge CA and the SNI name before answering.
    const netReply = await edgeRequest(edge, { servername: 'www.example.net' })
    expect(netReply.server?.subjectAltName).toBe('DNS:example.net, DNS:*.example.net')
    expect(netReply.server?.checkIssued(ca)).toBe(true)
    expect((JSON.parse(netReply.body) as Echo).zone).toEqual(net)
    const comReply = await edgeRequest(edge, { servername: 'example.com' })
    expect(comReply.server?.subjectAltName).toBe('DNS:example.com, DNS:*.example.com')
    expect((JSON.parse(comReply.body) as Echo).zone).toEqual(com)

    // The certificate follows the SNI name; the request's zone follows Host.
    const fronted = await edgeRequest(edge, { servername: 'www.example.com', host: 'www.example.net:443' })
    expect(fronted.server?.subjectAltName).toContain('example.com')
    expect(JSON.parse(fronted.body)).toMatchObject({ zone: net, host: 'www.example.net' })

    const elsewhere = await edgeRequest(edge, { servername: 'www.example.com', host: 'other.test' })
    expect(elsewhere.status).toBe(421)
    expect(elsewhere.body).toContain('serves the hostnames of its zones only (example.com, example.net), not &quot;other.test&quot;')

    // curl, trusting only the CA file, reaches the edge by name.
    const byCurl = await curl([...resolve('www.example.com'), `https://www.example.com:${edge.port}/hello?a=1`])
    expect(byCurl.stderr).toBe('')
    expect(JSON.parse(byCurl.stdout)).toMatchObject({ origin: 'sandbox-echo', zone: com, path: '/hello', query: 'a=1' })
  })

  test('a client certificate is requested only on hostnames with an association (curl -v sees the CertificateRequest)', async () => {
    await associate(com.id, ['api.example.com'])
    const device = await issue(sb, com.id, 'device-1.example.com')

    const asked = await curl(['-v', ...resolve('api.example.com'), `https://api.example.com:${edge.port}/`])
    expect(asked.stderr).toContain('Request CERT')
    const notAsked = await curl(['-v', ...resolve('www.example.com'), `https://www.example.com:${edge.port}/`])
    expect(notAsked.stderr).not.toContain('Request CERT')
    expect(notAsked.stderr).toContain('TLS handshake, Finished')

    // Not asked, the client sends nothing, whatever it holds: the fields say no certificate.
    const www = await echo({ servername: 'www.example.com', cert: device.cert, key: device.key })
    expect(www.tls_client_auth).toEqual(NO_CERT)
    const api = await echo({ servername: 'api.example.com', cert: device.cert, key: device.key })
    expect(api.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: true, cert_revoked: false })
  })

  test('fields: none, valid (each equal to what openssl reads), another CA, revoked', async () => {
    await associate(com.id, ['api.example.com'])
    expect((await echo({ servername: 'api.example.com' })).tls_client_auth).toEqual(NO_CERT)

    const device = await issue(sb, com.id, 'device-2.example.com')
    const valid = await echo({ servername: 'api.example.com', cert: device.cert, key: device.key })
    const read = async (...args: string[]): Promise<string> =>
      (await openssl(['x509', '-in', device.certPath, '-noout', ...args])).trim().replace(/^[^=]*=/, '')
    const skiLine = async (ext: string): Promise<string> =>
      (await openssl(['x509', '-in', device.certPath, '-noout', '-ext', ext]))
        .split('\n')[1]!
        .trim()
        .replace(/^keyid:/, '')
    expect(valid.tls_client_auth).toEqual({
      cert_presented: true,
      cert_verified: true,
      cert_revoked: false,
      cert_fingerprint_sha256: (await read('-fingerprint', '-sha256')).replace(/:/g, ''),
      cert_issuer_dn: await read('-issuer', '-nameopt', 'RFC2253'),
      cert_subject_dn: await read('-subject', '-nameopt', 'RFC2253'),
      cert_serial: await read('-serial'),
      cert_ski: (await skiLine('subjectKeyIdentifier')).replace(/:/g, ''),
      cert_issuer_ski: (await skiLine('authorityKeyIdentifier')).replace(/:/g, ''),
      cert_not_before: await read('-startdate'),
      cert_not_after: await read('-enddate'),
    })
    expect(valid.tls_client_auth.cert_fingerprint_sha256).toMatch(/^[0-9A-F]{64}$/)
    expect(valid.tls_client_auth.cert_issuer_dn).toBe('OU=API Shield,O=Cloudflare,CN=Cloudflare Managed CA for example.com')
    expect(valid.tls_client_auth.cert_not_after).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/)
    expect(valid.cert_verify_error).toBeNull()

    const stranger = await opensslClient(await opensslCa('Other Root CA'), 'stranger.example.com')
    const other = await echo({ servername: 'api.example.com', cert: stranger.cert, key: stranger.key })
    expect(other.tls_client_auth).toMatchObject({
      cert_presented: true,
      cert_verified: false,
      cert_revoked: false,
      cert_issuer_dn: 'CN=Other Root CA,O=Elsewhere Inc.,C=US',
      cert_subject_dn: 'CN=stranger.example.com',
    })
    expect(other.cert_verify_error).toBe('unable to get local issuer certificate')

    // Revoked through the API: still verified (it is a valid certificate), and revoked.
    expect((await client(sb)('DELETE', `/zones/${com.id}/client_certificates/${device.id}`)).status).toBe(200)
    const revoked = await echo({ servername: 'api.example.com', cert: device.cert, key: device.key })
    expect(revoked.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: true, cert_revoked: true })
    expect(revoked.tls_client_auth.cert_fingerprint_sha256).toBe(valid.tls_client_auth.cert_fingerprint_sha256)
  })

  test('blocked by the policy: 403 with the block page, the cf-ray id and the rule; revocation counts on the next request', async () => {
    await associate(com.id, ['api.example.com'])
    policy.enforced.add('api.example.com')
    try {
      const blocked = await edgeRequest(edge, { servername: 'api.example.com', path: '/orders' })
      expect(blocked.status).toBe(403)
      const ray = String(blocked.headers['cf-ray'])
      expect(ray).toMatch(/^[0-9a-f]{16}-SBX$/)
      expect(blocked.headers['content-type']).toBe('text/html; charset=UTF-8')
      expect(blocked.headers['server']).toBe('cloudflare')
      expect(blocked.headers['x-sandbox-rule']).toBe(RULE.ruleId)
      expect(blocked.headers['x-sandbox-rule-description']).toBe(RULE.ruleDescription)
      expect(blocked.body).toContain('<title>Attention Required! | Cloudflare</title>')
      expect(blocked.body).toContain('Sorry, you have been blocked')
      expect(blocked.body).toContain('You are unable to access api.example.com')
      expect(blocked.body).toContain(`Cloudflare Ray ID: <strong class="font-semibold">${ray}</strong>`)
      expect(blocked.body).toContain(`Blocked by the custom rule "${RULE.ruleDescription}" (${RULE.ruleId}).`)
      expect(policy.seen.at(-1)).toMatchObject({ host: 'api.example.com', path: '/orders', method: 'GET', tls: NO_CERT })

      // One kept-alive connection: allowed, then revoked through the API, then blocked on the very next request.
      const device = await issue(sb, com.id, 'device-3.example.com')
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      try {
        const call = { servername: 'api.example.com', cert: device.cert, key: device.key, agent }
        expect((await edgeRequest(edge, call)).status).toBe(200)
        expect((await client(sb)('DELETE', `/zones/${com.id}/client_certificates/${device.id}`)).status).toBe(200)
        const after = await edgeRequest(edge, call)
        expect(after.reusedSocket).toBe(true)
        expect(after.status).toBe(403)
      } finally {
        agent.destroy()
      }
      const another = await issue(sb, com.id, 'device-4.example.com')
      expect((await edgeRequest(edge, { servername: 'api.example.com', cert: another.cert, key: another.key })).status).toBe(200)

      // curl as the referee: with the certificate allowed, without it blocked, with the revoked one blocked.
      const url = `https://api.example.com:${edge.port}/`
      const status = async (...extra: string[]): Promise<string> =>
        (await curl([...resolve('api.example.com'), '-o', '/dev/null', '-w', '%{http_code}', ...extra, url])).stdout
      expect(await status('--cert', another.certPath, '--key', another.keyPath)).toBe('200')
      expect(await status()).toBe('403')
      expect(await status('--cert', device.certPath, '--key', device.keyPath)).toBe('403')
    } finally {
      policy.enforced.delete('api.example.com')
    }
  })

  test('a connection set up before its hostname had an association carries no certificate; a new one does', async () => {
    const device = await issue(sb, com.id, 'device-5.example.com')
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const call = { servername: 'devices.example.com', cert: device.cert, key: device.key, agent }
      expect((await echo(call)).tls_client_auth.cert_presented).toBe(false)
      await associate(com.id, ['api.example.com', 'devices.example.com'])
      const reply = await edgeRequest(edge, call)
      expect(reply.reusedSocket).toBe(true)
      expect((JSON.parse(reply.body) as Echo).tls_client_auth.cert_presented).toBe(false)
    } finally {
      agent.destroy()
    }
    const fresh = await echo({ servername: 'devices.example.com', cert: device.cert, key: device.key })
    expect(fresh.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: true })
  })

  test('a hostname associated with an account BYO CA verifies against that CA, not the managed one', async () => {
    const root = await opensslCa('Partner Root CA')
    const upload = await client(sb)('POST', `/accounts/${sb.account.id}/mtls_certificates`, {
      body: { ca: true, certificates: root.pem, name: 'Partner root' },
    })
    expect(upload.status).toBe(200)
    const mtlsId = (upload.body.result as { id: string }).id
    await associate(net.id, ['partners.example.net'], mtlsId)

    const partner = await opensslClient(root, 'partner-1.example.net')
    const byo = await echo({ servername: 'partners.example.net', cert: partner.cert, key: partner.key })
    expect(byo.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: true, cert_revoked: false })
    expect(byo.tls_client_auth.cert_issuer_ski).toBe(
      (await openssl(['x509', '-in', root.certPath, '-noout', '-ext', 'subjectKeyIdentifier'])).split('\n')[1]!.trim().replace(/:/g, ''),
    )
    const managed = await issue(sb, net.id, 'device-6.example.net')
    const wrongCa = await echo({ servername: 'partners.example.net', cert: managed.cert, key: managed.key })
    expect(wrongCa.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: false })

    // Moving the hostname to the managed CA counts on the next request of a kept-alive connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const call = { servername: 'partners.example.net', cert: partner.cert, key: partner.key, agent }
      expect((await echo(call)).tls_client_auth.cert_verified).toBe(true)
      await associate(net.id, ['partners.example.net'])
      const reply = await edgeRequest(edge, call)
      expect(reply.reusedSocket).toBe(true)
      expect(JSON.parse(reply.body)).toMatchObject({ tls_client_auth: { cert_verified: false }, cert_verify_error: expect.any(String) })
    } finally {
      agent.destroy()
    }
  })

  test('a decide function that fails answers 500 with the reason, never allows', async () => {
    const reply = await edgeRequest(edge, { servername: 'broken.example.com' })
    expect(reply.status).toBe(500)
    expect(reply.headers['cf-ray']).toMatch(/^[0-9a-f]{16}-SBX$/)
    expect(reply.body).toContain('The Sandbox could not evaluate the custom rules of example.com: the rules could not be read')
  })

  test('allowed requests go to the zone origin (a loopback URL); blocked ones never reach it; 521 when it is down', async () => {
    const received: { req: IncomingMessage; body: string }[] = []
    const origin = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        received.push({ req, body: Buffer.concat(chunks).toString('utf8') })
        res.writeHead(201, { 'content-type': 'text/plain', 'x-origin': 'yes' })
        res.end('made it')
      })
    })
    await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done))
    const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`
    edge.setOrigin('example.com', originUrl)
    try {
      const reply = await edgeRequest(edge, {
        servername: 'shop.example.com',
        method: 'POST',
        path: '/hook?x=1',
        body: '{"n":1}',
        headers: { 'content-type': 'application/json' },
      })
      expect(reply.status).toBe(201)
      expect(reply.body).toBe('made it')
      expect(reply.headers['x-origin']).toBe('yes')
      expect(reply.headers['cf-ray']).toMatch(/^[0-9a-f]{16}-SBX$/)
      expect(received).toHaveLength(1)
      const seen = received[0]!
      expect(seen.req.method).toBe('POST')
      expect(seen.req.url).toBe('/hook?x=1')
      expect(seen.body).toBe('{"n":1}')
      expect(seen.req.headers).toMatchObject({
        host: 'shop.example.com',
        'cf-ray': reply.headers['cf-ray'],
        'cf-connecting-ip': '127.0.0.1',
        'x-forwarded-proto': 'https',
        'cf-visitor': '{"scheme":"https"}',
      })

      // Another zone keeps the echo origin.
      expect((await echo({ servername: 'www.example.net' })).origin).toBe('sandbox-echo')

      policy.enforced.add('shop.example.com')
      expect((await edgeRequest(edge, { servername: 'shop.example.com' })).status).toBe(403)
      expect(received).toHaveLength(1)
      policy.enforced.delete('shop.example.com')
    } finally {
      await new Promise<void>((done) => origin.close(() => done()))
    }
    const down = await edgeRequest(edge, { servername: 'shop.example.com' })
    expect(down.status).toBe(521)
    expect(down.body).toContain('Web server is down')

    expect(() => edge.setOrigin('example.com', 'http://example.org:8080')).toThrow(AppError)
    expect(() => edge.setOrigin('example.com', 'http://example.org:8080')).toThrow(/must be a loopback http\(s\) URL/)
    expect(() => edge.setOrigin('example.org', originUrl)).toThrow(/has no zone "example.org"/)
    edge.setOrigin(com.id, null)
    expect((await echo({ servername: 'shop.example.com' })).origin).toBe('sandbox-echo')
  })

  test('the echo origin answers the request as the origin would see it, with the client-certificate fields', async () => {
    const reply = await edgeRequest(edge, {
      servername: 'www.example.com',
      method: 'PUT',
      path: '/a/b?c=d&e',
      body: 'twelve bytes',
      headers: { 'x-custom': 'kept', connection: 'keep-alive' },
    })
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = JSON.parse(reply.body) as Echo
    expect(body).toMatchObject({ method: 'PUT', host: 'www.example.com', path: '/a/b', query: 'c=d&e', body_bytes: 12 })
    expect(body.headers).toMatchObject({ 'x-custom': 'kept', 'cf-ray': reply.headers['cf-ray'], 'x-forwarded-proto': 'https' })
    expect(body.headers['connection']).toBeUndefined()
    expect(body.tls_client_auth).toEqual(NO_CERT)
  })
})

test('an expired client certificate is presented but not verified', async () => {
  const clock = testClock()
  const sb = await startSandbox({ seed: 'empty', clock: clock.now, edge: true })
  try {
    const com = sb.zones[0]!
    const res = await client(sb)('PUT', `/zones/${com.id}/certificate_authorities/hostname_associations`, {
      body: { hostnames: ['api.example.com'] },
    })
    expect(res.status).toBe(200)
    const device = await issue(sb, com.id, 'short-lived.example.com', 1)
    const before = JSON.parse(
      (await edgeRequest(sb.edge!, { servername: 'api.example.com', cert: device.cert, key: device.key })).body,
    ) as Echo
    expect(before.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: true })
    clock.advance(2 * 86_400_000)
    const after = JSON.parse(
      (await edgeRequest(sb.edge!, { servername: 'api.example.com', cert: device.cert, key: device.key })).body,
    ) as Echo
    expect(after.tls_client_auth).toMatchObject({ cert_presented: true, cert_verified: false, cert_revoked: false })
    expect(after.cert_verify_error).toBe('certificate has expired')
  } finally {
    await sb.close()
  }
})

test('the Edge CA is kept in the state file, beside which its PEM is written, across restarts and resets', async () => {
  const stateFile = join(dir, 'sandbox-state.json')
  let sb = await startSandbox({ seed: 'empty', stateFile, edge: true })
  const first = sb.edge!
  expect(first.caPath).toBe(join(dir, 'sandbox-state-edge-ca.pem'))
  expect(first.url).toBe(`https://127.0.0.1:${first.port}`)
  expect((JSON.parse(readFileSync(stateFile, 'utf8')) as { edgeCa?: { certificate: string } }).edgeCa?.certificate).toBe(first.caPem)
  await sb.reset()
  expect((JSON.parse(readFileSync(stateFile, 'utf8')) as { edgeCa?: { certificate: string } }).edgeCa?.certificate).toBe(first.caPem)
  await sb.close()

  sb = await startSandbox({ seed: 'empty', stateFile, edge: true })
  try {
    expect(sb.edge!.caPem).toBe(first.caPem)
    expect((await edgeRequest(sb.edge!, { servername: 'example.net' })).status).toBe(200)
  } finally {
    await sb.close()
  }
  // Without a state file the PEM goes to a temporary folder that close() removes; no edge unless asked.
  const inMemory = await startSandbox({ seed: 'empty', edge: true })
  const tempCa = inMemory.edge!.caPath
  expect(readFileSync(tempCa, 'utf8')).toBe(inMemory.edge!.caPem)
  await inMemory.close()
  expect(() => readFileSync(tempCa)).toThrow(/ENOENT/)
  const without = await startSandbox({ seed: 'empty' })
  expect(without.edge).toBeNull()
  await without.close()
})
