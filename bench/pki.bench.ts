// PKI throughput: key + CSR generation for ec-p256 (in-process WebCrypto) and rsa-2048 (the
// worker pool), beside `openssl genpkey` run with the same parallelism and Node's bare
// crypto.generateKeyPair, all measured in this run. Prints figures and ratios; asserts no time.
// Targets (2 cores): pool RSA-2048 >= 0.9x bare Node; >= 3,000 ec-p256 key+CSR/s.
import { execFile } from 'node:child_process'
import { generateKeyPair } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { createCsr } from '../src/main/pki/csr'
import { generateKey, keyPool, shutdownKeyPool, type KeyType } from '../src/main/pki/keys'

const run = promisify(execFile)
const generateKeyPairAsync = promisify(generateKeyPair)
const CORES = availableParallelism()

/** Runs `job` `count` times with `concurrency` in flight; returns jobs per second. */
async function throughput(count: number, concurrency: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++)
    }),
  )
  return (count / (performance.now() - start)) * 1000
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1))
const subject = { cn: 'bench-device', o: 'Certdesk Bench' }

async function keyAndCsr(type: KeyType): Promise<void> {
  const keys = await generateKey(type)
  await createCsr({ keys, subject, sans: ['DNS:bench.example.com'] })
}

test('key and CSR throughput vs openssl genpkey and bare Node', async () => {
  // Warm up: JIT, the worker pool (one worker per core) and the provider registrations.
  await Promise.all(Array.from({ length: CORES }, () => keyAndCsr('rsa-2048')))
  for (let i = 0; i < 200; i++) await keyAndCsr('ec-p256')

  const ecCount = 6_000
  const ecKeyCsr = await throughput(ecCount, 64, () => keyAndCsr('ec-p256'))
  const ecKeyOnly = await throughput(ecCount, 64, () => generateKey('ec-p256'))

  const rsaCount = 48
  const rsaPoolKeys = await throughput(rsaCount, CORES * 2, () => generateKey('rsa-2048'))
  const rsaPoolKeyCsr = await throughput(rsaCount, CORES * 2, () => keyAndCsr('rsa-2048'))
  // Bare Node: the libuv threadpool, `CORES` in flight, DER out (no import), as a floor for overhead.
  const rsaBare = await throughput(rsaCount, CORES, () =>
    generateKeyPairAsync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'der' },
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    }),
  )
  const ecBare = await throughput(ecCount, 64, () => generateKeyPairAsync('ec', { namedCurve: 'P-256' }))

  // openssl genpkey, one process per key, `CORES` processes at a time (what a shell script would do).
  const rsaOpenssl = await throughput(rsaCount, CORES, () =>
    run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', '/dev/null']),
  )
  // (openssl's per-key figure includes process start-up, as a script calling it per key would pay.)
  const ecOpenssl = await throughput(200, CORES, () =>
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', '/dev/null']),
  )

  const lines = [
    `cores: ${CORES} (pool size ${keyPool().size})`,
    `ec-p256  key+CSR (Certdesk):          ${fmt(ecKeyCsr)}/s   target >= 3,000/s -> ${(ecKeyCsr / 3000).toFixed(2)}x of target`,
    `ec-p256  key only (Certdesk):         ${fmt(ecKeyOnly)}/s`,
    `ec-p256  key only (bare Node):        ${fmt(ecBare)}/s   Certdesk/bare ${(ecKeyOnly / ecBare).toFixed(2)}x`,
    `ec-p256  openssl genpkey x${CORES} procs:   ${fmt(ecOpenssl)}/s   Certdesk key+CSR/openssl ${(ecKeyCsr / ecOpenssl).toFixed(1)}x`,
    `rsa-2048 key (Certdesk pool):         ${fmt(rsaPoolKeys)}/s`,
    `rsa-2048 key+CSR (Certdesk pool):     ${fmt(rsaPoolKeyCsr)}/s`,
    `rsa-2048 key (bare Node generateKeyPair x${CORES}): ${fmt(rsaBare)}/s   pool/bare ${(rsaPoolKeys / rsaBare).toFixed(2)}x (target >= 0.9x)`,
    `rsa-2048 openssl genpkey x${CORES} procs:  ${fmt(rsaOpenssl)}/s   pool/openssl ${(rsaPoolKeys / rsaOpenssl).toFixed(2)}x`,
  ]
  console.log(`\nPKI bench\n${lines.map((l) => `  ${l}`).join('\n')}\n`)
  await shutdownKeyPool()
  // Sanity only (never a time): every figure was measured.
  for (const figure of [ecKeyCsr, ecKeyOnly, ecBare, ecOpenssl, rsaPoolKeys, rsaPoolKeyCsr, rsaBare, rsaOpenssl])
    expect(figure).toBeGreaterThan(0)
}, 180_000)
