/**
 * The origin leg through the Sandbox edge, with origins that are not Certdesk: Node `https` servers that demand a
 * client certificate of the CAs they trust (`requestCert`, `rejectUnauthorized`), or openssl `s_server -Verify 1`.
 * AOP certificates come from openssl and are set through the API (checked against the schema); Origin CA certificates
 * are created from openssl CSRs (the key stays in its file) and served by the origin, verified by the edge in
 * Full (strict) mode.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Agent, createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { setTimeout as sleep } from 'node:timers/promises'
import { startSandbox, type SandboxHandle } from '../../../src/main/sandbox'
import { CertFactory, type TestCert } from '../../support/cert-factory'
import { leafFor } from '../../support/probe-fixture'
import { edgeRequest, type EdgeReply } from './edge-helpers'
import { runCaptured } from '../../support/cli'
import { client, testClock } from './helpers'
import { OpenApiValidator } from './openapi-validator'
import originSpec from '../../fixtures/cloudflare/openapi-origin.json'

const DAY = 86_400_000
const clock = testClock()
const factory = new CertFactory()
let sb: SandboxHandle
let call: ReturnType<typeof client>
let zone: string
let zoneCa: TestCert
let otherCa: TestCert
let zoneLeaf: TestCert
let otherLeaf: TestCert
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  sb = await startSandbox({ seed: 'empty', edge: true, clock: clock.now, timing: { aopDeployMs: 0 } })
  call = client(sb, new OpenApiValidator(originSpec))
  zone = sb.zones[0]!.id
  zoneCa = factory.root('Zone Origin Pull CA')
  otherCa = factory.root('Another CA')
  zoneLeaf = leafFor(factory, zoneCa, 'zone-aop', 'client')
  otherLeaf = leafFor(factory, otherCa, 'other-aop', 'client')
})

afterAll(async () => {
  await sb.close()
  factory.cleanup()
})

beforeEach(async () => {
  while (closers.length) await closers.pop()!()
  await sb.reset()
})

/** An Origin CA certificate for `hostnames`, from an openssl CSR whose key never leaves its file. */
async function originCertificate(hostnames: string[], days = 30): Promise<{ cert: string; key: string }> {
  const { csr, keyPem } = factory.keyedCsr(hostnames[0]!)
  const body = { csr, hostnames, request_type: 'origin-ecc', requested_validity: days }
  expect(JSON.stringify(body)).not.toContain('PRIVATE KEY')
  const r = await call('POST', '/certificates', { body })
  expect(r.status).toBe(200)
  return { cert: (r.body.result as { certificate: string }).certificate, key: keyPem }
}

interface Origin {
  url: string
  /** CN of each client certificate the origin accepted. */
  accepted: string[]
}

/** A strict origin: serves `server`, demands a client certificate from one of `trust` (none: asks for nothing). */
async function startOrigin(server: { cert: string; key: string }, trust: string[] | null): Promise<Origin> {
  const accepted: string[] = []
  const https = createServer(
    { cert: server.cert, key: server.key, ...(trust ? { requestCert: true, rejectUnauthorized: true, ca: trust } : {}) },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerX509Certificate()
      const cn = peer ? (/CN=([^\n]+)/.exec(peer.subject)?.[1] ?? '') : ''
      if (peer) accepted.push(cn)
      res.writeHead(200, { 'content-type': 'text/plain', 'x-origin': 'strict' })
      res.end(`hello ${cn || 'anyone'}`)
    },
  )
  await new Promise<void>((done) => https.listen(0, '127.0.0.1', done))
  closers.push(
    () =>
      new Promise<void>((done) => {
        https.closeAllConnections()
        https.close(() => done())
      }),
  )
  return { url: `https://127.0.0.1:${(https.address() as AddressInfo).port}`, accepted }
}

const aop = `/zones/${'{zone}'}/origin_tls_client_auth`
const path = (suffix = ''): string => `${aop.replace('{zone}', zone)}${suffix}`

async function uploadZoneAop(leaf: TestCert): Promise<string> {
  const r = await call('POST', path(), { body: { certificate: leaf.pem, private_key: leaf.keyPem } })
  expect(r.status).toBe(200)
  return (r.body.result as { id: string }).id
}

async function enableZoneAop(enabled = true): Promise<void> {
  expect((await call('PUT', path('/settings'), { body: { enabled } })).status).toBe(200)
}

function get(servername: string): Promise<EdgeReply> {
  return edgeRequest(sb.edge!, { servername })
}

function sha256(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase()
}

describe('Authenticated Origin Pulls through the edge (origin: Node https with requestCert + rejectUnauthorized)', () => {
  test('AOP off: the strict origin refuses the pull (525); zone-level AOP with the zone CA certificate: 200', async () => {
    const origin = await startOrigin(await originCertificate(['api.example.com']), [zoneCa.pem])
    sb.edge!.setOrigin('api.example.com', origin.url)
    const off = await get('api.example.com')
    expect(off.status).toBe(525)
    expect(off.body).toContain('SSL handshake failed')
    expect(off.headers['x-sandbox-origin-pull']).toBe('none')
    expect(origin.accepted).toEqual([])

    const id = await uploadZoneAop(zoneLeaf)
    // Uploaded but not enabled: still nothing is presented.
    expect((await get('api.example.com')).status).toBe(525)
    await enableZoneAop()
    const on = await get('api.example.com')
    expect(on.status).toBe(200)
    expect(on.body).toBe('hello zone-aop')
    expect(on.headers).toMatchObject({
      'x-origin': 'strict',
      'x-sandbox-origin-pull': 'zone',
      'x-sandbox-origin-pull-certificate-id': id,
      'x-sandbox-origin-pull-fingerprint': sha256(zoneLeaf.pem),
    })
    expect(on.headers['x-sandbox-origin-cert-issuer']).toContain('CN=Sandbox Origin CA')
    expect(origin.accepted).toEqual(['zone-aop'])

    // Disabled again: refused again.
    await enableZoneAop(false)
    expect((await get('api.example.com')).status).toBe(525)
  })

  test('a certificate of another CA is refused; the global certificate is refused by an origin that trusts only the zone CA', async () => {
    const server = await originCertificate(['api.example.com', 'www.example.com'])
    const zoneOnly = await startOrigin(server, [zoneCa.pem])
    sb.edge!.setOrigin('api.example.com', zoneOnly.url)
    await enableZoneAop()
    // No upload: the shared global certificate.
    const global = await get('api.example.com')
    expect(global.status).toBe(525)
    expect(global.headers).toMatchObject({ 'x-sandbox-origin-pull': 'global', 'x-sandbox-origin-pull-certificate-id': 'global' })
    // ...which an origin trusting the global AOP CA (its PEM is written beside the Edge CA) accepts.
    expect(readFileSync(sb.edge!.originPullCaPath, 'utf8')).toBe(sb.edge!.originPullCaPem)
    const anyZone = await startOrigin(server, [sb.edge!.originPullCaPem])
    sb.edge!.setOrigin('www.example.com', anyZone.url)
    const accepted = await get('www.example.com')
    expect(accepted.status).toBe(200)
    expect(accepted.body).toBe('hello origin-pull.sandbox.certdesk')

    const otherId = await uploadZoneAop(otherLeaf)
    const other = await get('api.example.com')
    expect(other.status).toBe(525)
    expect(other.headers['x-sandbox-origin-pull-certificate-id']).toBe(otherId)
    expect(zoneOnly.accepted).toEqual([])
  })

  test('openssl s_server -Verify 1 -CAfile ZONE_CA accepts the zone certificate and refuses the global one', async () => {
    const server = await originCertificate(['api.example.com'])
    const certFile = factory.write('s_server.pem', server.cert)
    const keyFile = factory.write('s_server.key', server.key)
    const port = 20000 + Math.floor(Math.random() * 20000)
    const child = spawn(
      'openssl',
      [
        's_server',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        certFile,
        '-key',
        keyFile,
        '-Verify',
        '1',
        '-verify_return_error',
        '-CAfile',
        zoneCa.certPath,
        '-www',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    )
    closers.push(async () => void child.kill())
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ACCEPT') && resolve())
      child.once('exit', (code) => reject(new Error(`openssl s_server exited (${code})`)))
    })
    sb.edge!.setOrigin('api.example.com', `https://127.0.0.1:${port}`)
    await enableZoneAop()
    expect((await get('api.example.com')).status).toBe(525)
    await uploadZoneAop(zoneLeaf)
    const ok = await get('api.example.com')
    expect(ok.status).toBe(200)
    expect(ok.body).toContain('zone-aop')
  })

  test('a per-hostname association overrides zone-level for that hostname only; enabled:false sends nothing', async () => {
    const hostCa = factory.root('Hostname AOP CA')
    const hostLeaf = leafFor(factory, hostCa, 'host-aop', 'client')
    const server = await originCertificate(['*.example.com'])
    const trustsZone = await startOrigin(server, [zoneCa.pem])
    const trustsHost = await startOrigin(server, [hostCa.pem])
    sb.edge!.setOrigin('a.example.com', trustsZone.url)
    sb.edge!.setOrigin('b.example.com', trustsHost.url)
    sb.edge!.setOrigin('c.example.com', trustsHost.url)
    await uploadZoneAop(zoneLeaf)
    await enableZoneAop()
    const up = await call('POST', path('/hostnames/certificates'), { body: { certificate: hostLeaf.pem, private_key: hostLeaf.keyPem } })
    const hostCertId = (up.body.result as { id: string }).id
    expect(
      (await call('PUT', path('/hostnames'), { body: { config: [{ hostname: 'b.example.com', cert_id: hostCertId, enabled: true }] } }))
        .status,
    ).toBe(200)

    const a = await get('a.example.com')
    const b = await get('b.example.com')
    const c = await get('c.example.com')
    expect([a.status, b.status, c.status]).toEqual([200, 200, 525])
    expect(a.headers['x-sandbox-origin-pull']).toBe('zone')
    expect(b.headers).toMatchObject({ 'x-sandbox-origin-pull': 'hostname', 'x-sandbox-origin-pull-certificate-id': hostCertId })
    expect(c.headers['x-sandbox-origin-pull']).toBe('zone')
    expect(trustsHost.accepted).toEqual(['host-aop'])

    await call('PUT', path('/hostnames'), { body: { config: [{ hostname: 'a.example.com', cert_id: hostCertId, enabled: false }] } })
    const disabled = await get('a.example.com')
    expect(disabled.status).toBe(525)
    expect(disabled.headers['x-sandbox-origin-pull']).toBe('disabled')
  })
})

describe('Full (strict) verification of the origin certificate', () => {
  test('an Origin CA certificate for the hostname is accepted; wrong host, expired or self-signed give 526', async () => {
    const good = await startOrigin(await originCertificate(['shop.example.com']), null)
    sb.edge!.setOrigin('shop.example.com', good.url)
    const ok = await get('shop.example.com')
    expect(ok.status).toBe(200)
    expect(ok.headers['x-sandbox-origin-cert-subject']).toContain('CN=CloudFlare Origin Certificate')
    expect(readFileSync(sb.edge!.originCaPath, 'utf8')).toBe(sb.edge!.originCaPem)

    const wrongHost = await startOrigin(await originCertificate(['www.example.com']), null)
    sb.edge!.setOrigin('shop.example.com', wrongHost.url)
    const host = await get('shop.example.com')
    expect(host.status).toBe(526)
    expect(host.body).toContain('Invalid SSL certificate')
    expect(host.headers['x-sandbox-origin-error']).toBe('ERR_TLS_CERT_ALTNAME_INVALID')

    clock.advance(-30 * DAY)
    const stale = await originCertificate(['shop.example.com'], 7)
    clock.advance(30 * DAY)
    sb.edge!.setOrigin('shop.example.com', (await startOrigin(stale, null)).url)
    const expired = await get('shop.example.com')
    expect(expired.status).toBe(526)
    expect(expired.headers['x-sandbox-origin-error']).toBe('CERT_HAS_EXPIRED')

    const selfSigned = factory.root('shop.example.com')
    sb.edge!.setOrigin('shop.example.com', (await startOrigin({ cert: selfSigned.pem, key: selfSigned.keyPem }, null)).url)
    expect((await get('shop.example.com')).status).toBe(526)
  })
})

describe('rotation without downtime', () => {
  test('1,000 requests through the edge during a hostname certificate rotation: none fails; then the new CA alone suffices', async () => {
    const oldCa = factory.root('Old AOP CA')
    const newCa = factory.root('New AOP CA')
    const oldLeaf = leafFor(factory, oldCa, 'old-aop', 'client')
    const newLeaf = leafFor(factory, newCa, 'new-aop', 'client')
    const server = await originCertificate(['rot.example.com'])
    // During the switch the origin trusts both CAs, as Cloudflare's rotation steps require.
    const both = await startOrigin(server, [oldCa.pem, newCa.pem])
    sb.edge!.setOrigin('rot.example.com', both.url)
    const upload = async (leaf: TestCert): Promise<string> => {
      const r = await call('POST', path('/hostnames/certificates'), { body: { certificate: leaf.pem, private_key: leaf.keyPem } })
      return (r.body.result as { id: string }).id
    }
    const associate = (certId: string): Promise<unknown> =>
      call('PUT', path('/hostnames'), { body: { config: [{ hostname: 'rot.example.com', cert_id: certId, enabled: true }] } })
    const oldId = await upload(oldLeaf)
    await associate(oldId)
    expect((await get('rot.example.com')).body).toBe('hello old-aop')

    const agent = new Agent({ keepAlive: true, maxSockets: 16 })
    const statuses = new Map<number, number>()
    let sent = 0
    const load = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 1000) {
          sent++
          const reply = await edgeRequest(sb.edge!, { servername: 'rot.example.com', agent })
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
        }
      }),
    )
    // The rotation, step by step while the load runs: upload the new one, wait for active, switch, delete the old.
    const newId = await upload(newLeaf)
    const statusOf = async (id: string): Promise<string> =>
      ((await call('GET', path(`/hostnames/certificates/${id}`))).body.result as { status: string }).status
    while ((await statusOf(newId)) !== 'active') await sleep(5)
    await associate(newId)
    expect((await call('DELETE', path(`/hostnames/certificates/${oldId}`))).status).toBe(200)
    await load
    agent.destroy()
    expect(Object.fromEntries(statuses)).toEqual({ 200: 1000 })
    expect(new Set(both.accepted)).toEqual(new Set(['old-aop', 'new-aop']))

    const onlyNew = await startOrigin(server, [newCa.pem])
    const onlyOld = await startOrigin(server, [oldCa.pem])
    sb.edge!.setOrigin('rot.example.com', onlyNew.url)
    expect((await get('rot.example.com')).status).toBe(200)
    sb.edge!.setOrigin('rot.example.com', onlyOld.url)
    expect((await get('rot.example.com')).status).toBe(525)
  })
})

describe('certdesk cf aop probe (the CLI reads the origin leg off the answer)', () => {
  test('AOP off: refused (525, nothing presented, exit 1; --expect refused exit 0); zone-level on: accepted, which certificate, the origin certificate', async () => {
    const origin = await startOrigin(await originCertificate(['api.example.com']), [zoneCa.pem])
    sb.edge!.setOrigin('api.example.com', origin.url)
    const port = new URL(sb.edge!.url).port
    const probe = (...more: string[]) =>
      runCaptured(
        [
          'cf',
          'aop',
          'probe',
          `https://api.example.com:${port}/`,
          '--resolve',
          `api.example.com:${port}:127.0.0.1`,
          '--ca',
          sb.edge!.caPath,
          ...more,
        ],
        {
          env: {},
          cwd: process.cwd(),
        },
      )
    const off = await probe('--json')
    expect(off.code, off.err).toBe(1)
    const refused = JSON.parse(off.out) as { status: number; accepted: boolean; originLeg: { presented: string; verdict: string } }
    expect(refused).toMatchObject({ status: 525, accepted: false, originLeg: { presented: 'none' } })
    expect(refused.originLeg.verdict).toMatch(/origin refused the TLS handshake with Cloudflare \(525\)/)
    expect((await probe('--expect', 'refused')).code).toBe(0)

    const id = await uploadZoneAop(zoneLeaf)
    await enableZoneAop()
    const on = await probe()
    expect(on.code, on.err).toBe(0)
    expect(on.out).toContain(`Presented to the origin: zone certificate ${id}`)
    expect(on.out).toContain(`SHA-256 ${sha256(zoneLeaf.pem)}`)
    expect(on.out).toMatch(/Origin certificate: .*CN=CloudFlare Origin Certificate.*issued by .*CN=Sandbox Origin CA/)
    expect(on.out).toMatch(/days left\)/)
    expect((await probe('--expect', 'refused')).code).toBe(1)
    // --hostname H is https://H/ (here on the edge's port through --resolve).
    const byName = await runCaptured(
      [
        'cf',
        'aop',
        'probe',
        '--hostname',
        `api.example.com:${port}`,
        '--resolve',
        `api.example.com:${port}:127.0.0.1`,
        '--ca',
        sb.edge!.caPath,
      ],
      { env: {}, cwd: process.cwd() },
    )
    expect(byName.code, byName.err).toBe(0)
  })
})
