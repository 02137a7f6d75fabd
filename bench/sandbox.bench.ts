/** Sandbox: demo seed time and client-certificate issuance over HTTP, beside openssl issuing the same certificates. */
import { expect, test } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSeed } from '../src/main/sandbox/seed'
import { startSandbox } from '../src/main/sandbox'
import { makeCsr } from '../tests/support/csr'

test('sandbox seed and issuance', async () => {
  const runs: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    await buildSeed('demo')
    runs.push(performance.now() - t)
  }
  const seedMs = Math.min(...runs)

  const N = 30
  const sb = await startSandbox({ seed: 'empty' })
  const csrs = await Promise.all(Array.from({ length: N }, (_, i) => makeCsr(`b${i}.example.com`)))
  let t = performance.now()
  const statuses: number[] = []
  for (const { pem } of csrs) {
    const res = await fetch(`${sb.url}/zones/${sb.zones[0]!.id}/client_certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.tokens.full}`, 'content-type': 'application/json' },
      body: JSON.stringify({ csr: pem, validity_days: 365 }),
    })
    statuses.push(res.status)
    await res.arrayBuffer()
  }
  const httpMs = (performance.now() - t) / N
  // A timing of refusals is no timing: every create must have been served (the real budget, 1200 per 5 minutes, is on).
  expect(statuses.filter((s) => s !== 200)).toEqual([])

  // The same burst past a small budget meets Cloudflare's rule: the user is blocked, every token of it.
  sb.faults.set('budget=10/60s@block=5s')
  const burst: number[] = []
  for (let i = 0; i < 12; i++) {
    const token = i % 2 ? sb.tokens.full : sb.tokens.readOnly
    burst.push((await fetch(`${sb.url}/user/tokens/verify`, { headers: { authorization: `Bearer ${token}` } })).status)
  }
  expect(burst).toEqual([...Array<number>(10).fill(200), 429, 429])
  expect(sb.rateLimit.stats()).toEqual({ refused: 2, blocks: 1 })
  await sb.close()

  // Reference: openssl signing a CSR with an EC P-256 CA (one process per certificate, as a script would).
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.pem'),
        '-subj',
        '/CN=bench CA',
        '-days',
        '30',
      ],
      { stdio: 'ignore' },
    )
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'c.key'),
        '-out',
        join(dir, 'c.csr'),
        '-subj',
        '/CN=c',
      ],
      { stdio: 'ignore' },
    )
    t = performance.now()
    for (let i = 0; i < N; i++)
      execFileSync(
        'openssl',
        [
          'x509',
          '-req',
          '-in',
          join(dir, 'c.csr'),
          '-CA',
          join(dir, 'ca.pem'),
          '-CAkey',
          join(dir, 'ca.key'),
          '-CAcreateserial',
          '-days',
          '365',
          '-out',
          join(dir, `c${i}.pem`),
        ],
        { stdio: 'ignore' },
      )
    const opensslMs = (performance.now() - t) / N
    console.log(`demo seed (96 client certs + 9 roots): ${seedMs.toFixed(0)} ms (best of 3; target < 1000 ms)`)
    console.log(`burst of 12 past a 10/60 s budget: ${burst.filter((s) => s === 429).length} x 429 (user blocked, both tokens)`)
    console.log(
      `create client certificate over HTTP: ${httpMs.toFixed(2)} ms each; openssl x509 -req (process per cert): ${opensslMs.toFixed(2)} ms each; ratio ${(httpMs / opensslMs).toFixed(2)}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
