/**
 * Sandbox edge: requests per second through the edge (TLS with a client certificate, the certificate verified
 * against the zone's CA and checked for revocation, a rule decision per request, the echo origin's JSON) beside
 * a plain Node HTTPS server answering the same JSON without any of that, in the same run, with the same
 * keep-alive client. Target: the edge at >= 0.5x of plain.
 */
import { expect, test } from 'vitest'
import { execFile } from 'node:child_process'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startSandbox, type EdgeDecide } from '../src/main/sandbox'
import { createRootCa } from '../src/main/sandbox/ca'
import { issueServerCertificate } from '../src/main/sandbox/edge/certificates'
import { makeCsr } from '../tests/support/csr'

const REQUESTS = 3000
const CONCURRENCY = 8
const ROUNDS = 5

interface Target {
  port: number
  servername: string
  ca: string
  cert?: string
  key?: string
}

/**
 * The load runs in a child process (Node's https client, keep-alive), so this process's CPU time during a run is
 * the server's alone: requests per second (wall clock) and server CPU per request, for either server.
 */
const CLIENT = `
import { request, Agent } from 'node:https'
const [target, total, concurrency] = JSON.parse(process.argv[1])
const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
const statuses = {}
const one = (i) => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port: target.port, servername: target.servername, path: '/items/' + i + '?q=1',
    headers: { host: target.servername }, ca: target.ca, cert: target.cert, key: target.key, agent }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
    res.resume()
    res.on('end', resolve)
  })
  req.on('error', reject)
  req.end()
})
let next = 0
const started = performance.now()
await Promise.all(Array.from({ length: concurrency }, async () => { while (next < total) await one(next++) }))
process.stdout.write(JSON.stringify({ seconds: (performance.now() - started) / 1000, statuses }))
agent.destroy()
`

interface Run {
  perSecond: number
  cpuMicrosPerRequest: number
  statuses: Record<string, number>
}

function load(target: Target): Promise<Run> {
  const cpu = process.cpuUsage()
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', CLIENT, JSON.stringify([target, REQUESTS, CONCURRENCY])],
      { maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(error)
        const used = process.cpuUsage(cpu)
        const { seconds, statuses } = JSON.parse(stdout) as { seconds: number; statuses: Record<string, number> }
        resolve({ perSecond: REQUESTS / seconds, cpuMicrosPerRequest: (used.user + used.system) / REQUESTS, statuses })
      },
    )
  })
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

test('sandbox edge requests per second beside plain Node HTTPS', async () => {
  // The bench's policy: Cloudflare's recommended rule, by hand (the rules evaluator is another module).
  let decisions = 0
  const decide: EdgeDecide = (_zone, r) => {
    decisions++
    const blocked = (!r.tls.cert_verified || r.tls.cert_revoked) && r.host === 'api.example.com'
    return blocked ? { action: 'block', ruleId: 'bench' } : { action: 'allow' }
  }
  const sb = await startSandbox({ seed: 'empty', edge: { decide } })
  const edge = sb.edge!
  const zone = sb.zones[0]!
  const auth = { authorization: `Bearer ${sb.tokens.full}`, 'content-type': 'application/json' }
  const associated = await fetch(`${sb.url}/zones/${zone.id}/certificate_authorities/hostname_associations`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ hostnames: ['api.example.com'] }),
  })
  expect(associated.status).toBe(200)
  const { pem, keys } = await makeCsr('bench-device.example.com')
  const created = await fetch(`${sb.url}/zones/${zone.id}/client_certificates`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ csr: pem, validity_days: 365 }),
  })
  const cert = ((await created.json()) as { result: { certificate: string } }).result.certificate
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`

  // The reference: Node's HTTPS server, the same kind of certificate, answering the same kind of JSON.
  const plainCa = await createRootCa('CN=Bench plain CA', 30)
  const plain = createServer(
    await issueServerCertificate(plainCa, ['plain.example.com'], Date.now()),
    (req: IncomingMessage, res: ServerResponse) => {
      const body = JSON.stringify({ method: req.method, host: req.headers.host, path: req.url, headers: req.headers }, null, 2)
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    },
  )
  await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done))
  const plainTarget = { port: (plain.address() as AddressInfo).port, servername: 'plain.example.com', ca: plainCa.certificate }
  const edgeTarget = { port: edge.port, servername: 'api.example.com', ca: edge.caPem, cert, key }

  try {
    await load(edgeTarget) // warm-up both
    await load(plainTarget)
    const edgeRuns: Run[] = []
    const plainRuns: Run[] = []
    for (let round = 0; round < ROUNDS; round++) {
      edgeRuns.push(await load(edgeTarget))
      plainRuns.push(await load(plainTarget))
    }
    for (const run of [...edgeRuns, ...plainRuns]) expect(run.statuses).toEqual({ 200: REQUESTS })
    expect(decisions).toBe(REQUESTS * (ROUNDS + 1))
    // Rounds alternate; each round's ratio compares runs a few seconds apart, the median of them the whole bench.
    const ratios = edgeRuns.map((run, i) => run.perSecond / plainRuns[i]!.perSecond)
    const edgeRate = median(edgeRuns.map((r) => r.perSecond))
    const plainRate = median(plainRuns.map((r) => r.perSecond))
    const edgeCpu = median(edgeRuns.map((r) => r.cpuMicrosPerRequest))
    const plainCpu = median(plainRuns.map((r) => r.cpuMicrosPerRequest))
    console.log(
      `edge (client certificate verified + revocation + a decision per request, echo JSON): ${edgeRate.toFixed(0)} req/s, ` +
        `${edgeCpu.toFixed(0)} us server CPU per request; plain Node HTTPS (same JSON, no client certificate): ` +
        `${plainRate.toFixed(0)} req/s, ${plainCpu.toFixed(0)} us per request; ratio ${median(ratios).toFixed(2)} req/s ` +
        `(median of ${ROUNDS} alternating rounds, target >= 0.5), ${(plainCpu / edgeCpu).toFixed(2)} by server CPU ` +
        `(${REQUESTS} requests per run over ${CONCURRENCY} keep-alive connections, the client in its own process)`,
    )
  } finally {
    await new Promise<void>((done) => plain.close(() => done()))
    plain.closeAllConnections()
    await sb.close()
  }
})
