/**
 * Bulk issue: 1,000 client certificates against the Sandbox under a shrunk Cloudflare budget.
 *
 * Budget: Cloudflare allows 1200 requests per 5 minutes per token. Here: 100 requests per 5 s
 * (requests ÷ 12, window ÷ 60 — 20 req/s, five times the real rate, so the run fits in about a minute).
 * The limiter paces to 80 % of that budget (DEFAULT_RATE_SHARE: the rest is the dashboard's); the
 * figures that matter are the share used and that no request met a 429 — the Sandbox blocks the
 * user (shortened to 10 s here, 5 minutes on Cloudflare) on any burst past the budget, and this
 * bench fails then.
 *
 * Reference, same run: the same bulk create with the budget off (the Sandbox's own throughput), so
 * the ratio shows the budget — not the client — is what limits the rate.
 * Keys: P-256 via WebCrypto (src/main/pki is not committed yet); no vault writes (vault.ts is not
 * committed yet).
 */
import type { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { expect, test } from 'vitest'
import { bulkCreate, pemBody, type BulkCreateItem } from '../src/main/cloudflare/client-certificates'
import { createCloudflareClient } from '../src/main/cloudflare/client'
import { DEFAULT_RATE_SHARE, RateLimiter, type RateBudget } from '../src/main/cloudflare/rate-limit'
import { startSandbox } from '../src/main/sandbox'

const COUNT = 1000
const REFERENCE_COUNT = 300
const BUDGET: RateBudget = { requests: 100, windowMs: 5000 }

async function makeItems(n: number, prefix: string): Promise<BulkCreateItem[]> {
  const items: BulkCreateItem[] = []
  for (let i = 0; i < n; i++) {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: `CN=${prefix}-${i}.example.com, O=Bench`,
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    })
    items.push({ key: `${prefix}-${i}`, csrPem: csr.toString('pem'), validityDays: 365 })
  }
  return items
}

async function run(items: BulkCreateItem[], budget: RateBudget | null) {
  const sb = await startSandbox({ seed: 'empty', faults: { budget: budget ? { ...budget, blockMs: 10_000 } : null } })
  try {
    const limiter = new RateLimiter({ ...(budget ? { budget } : { budget: { requests: 1_000_000, windowMs: 1000 } }), safetyMs: 100 })
    const client = createCloudflareClient({ token: sb.tokens.full, baseUrl: sb.url, limiter, attemptTimeoutMs: 30_000 })
    const zone = { zoneId: sb.zones[0]!.id, zoneName: sb.zones[0]!.name }
    const started = performance.now()
    const result = await bulkCreate(client, zone, items, { concurrency: 16 })
    const seconds = (performance.now() - started) / 1000
    const requests = sb.requests()
    const served = requests.filter((r) => r.status !== 429).length
    const throttled = requests.filter((r) => r.status === 429).length
    // The busiest window as the Sandbox counted it.
    const times = requests
      .filter((r) => r.status !== 429)
      .map((r) => r.at)
      .sort((a, b) => a - b)
    let busiest = 0
    for (let i = 0, j = 0; budget && j < times.length; j++) {
      while (times[j]! - times[i]! >= budget.windowMs) i++
      busiest = Math.max(busiest, j - i + 1)
    }
    const perCsr = new Map<string, number>()
    for (const c of sb.snapshot().clientCertificates) perCsr.set(pemBody(c.csr), (perCsr.get(pemBody(c.csr)) ?? 0) + 1)
    const duplicates = [...perCsr.values()].filter((n) => n > 1).length
    return {
      seconds,
      issued: result.issued.length,
      failed: result.failed.length,
      retries: result.retries,
      served,
      throttled,
      busiest,
      duplicates,
      stats: limiter.stats(),
    }
  } finally {
    await sb.close()
  }
}

test(`issue ${COUNT} client certificates under a ${BUDGET.requests}/${BUDGET.windowMs / 1000}s budget`, async () => {
  const t0 = performance.now()
  const items = await makeItems(COUNT, 'bench')
  const reference = await makeItems(REFERENCE_COUNT, 'ref')
  console.log(`prepared ${COUNT + REFERENCE_COUNT} P-256 keys + CSRs in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  const ref = await run(reference, null)
  const refPerMin = (ref.issued / ref.seconds) * 60
  console.log(
    `reference (budget off): ${ref.issued} certs in ${ref.seconds.toFixed(1)} s = ${refPerMin.toFixed(0)} certs/min, failures ${ref.failed}, duplicates ${ref.duplicates}`,
  )

  const r = await run(items, BUDGET)
  const perMin = (r.issued / r.seconds) * 60
  // The most the budget allows in the elapsed time: one full window at the start, then the steady rate.
  const allowed = BUDGET.requests * Math.max(1, r.seconds / (BUDGET.windowMs / 1000))
  const budgetPerMin = (BUDGET.requests / BUDGET.windowMs) * 60_000
  console.log(`budget ${BUDGET.requests} req / ${BUDGET.windowMs / 1000} s (Cloudflare 1200 / 300 s: requests ÷12, window ÷60, rate ×5)`)
  console.log(
    `issued ${r.issued}/${COUNT} in ${r.seconds.toFixed(1)} s = ${perMin.toFixed(0)} certs/min (budget ceiling ${budgetPerMin.toFixed(0)} req/min; ${(perMin / refPerMin).toFixed(2)}× the unthrottled reference)`,
  )
  console.log(`requests served ${r.served}, 429s ${r.throttled}, share of budget used ${((r.served / allowed) * 100).toFixed(1)}%`)
  console.log(
    `retries ${r.retries}, failures ${r.failed}, duplicates ${r.duplicates}, limiter waited ${(r.stats.waitedMs / 1000).toFixed(0)} request-seconds`,
  )
  console.log(`busiest ${BUDGET.windowMs / 1000} s window: ${r.busiest}/${BUDGET.requests} (share ${DEFAULT_RATE_SHARE * 100} %)`)
  // A burst past the budget would have met the Sandbox's block: fail, do not just report.
  expect(r.throttled).toBe(0)
  expect(r.busiest).toBeLessThanOrEqual(Math.floor(BUDGET.requests * DEFAULT_RATE_SHARE))
  expect([r.issued, r.failed, r.duplicates]).toEqual([COUNT, 0, 0])
}, 600_000)
