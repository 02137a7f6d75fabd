// Lint throughput: lean DER parse + full lint (profile auto) over 10,000 certificates (the system
// CA bundle repeated; each one parsed and linted afresh, nothing remembered between them) on one core,
// in CPU time (process.cpuUsage over five passes, 50,000 lints, so other work on a shared machine does not
// count) and wall time (best pass), beside OpenSSL's text decode of the same certificates (`openssl pkcs7 -print_certs
// -text -noout`, one process over a PKCS#7 bundle) and Node's X509Certificate parse, measured in the
// same run. Prints figures, ratios and the load average; asserts no time.
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { expect, test } from 'vitest'
import { inspectCertificate, lintCertificate, readCertificateData } from '../src/main/lint'

const TARGET = 10_000
const GOAL = 150_000

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000)
}

function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

/** CPU time (user + system) for `fn`, in ms: the whole process (garbage collector's helper threads too) and its main thread. */
function cpu(fn: () => void): { processMs: number; threadMs: number } {
  const start = process.cpuUsage()
  const thread = process.threadCpuUsage()
  fn()
  const usedThread = process.threadCpuUsage(thread)
  const used = process.cpuUsage(start)
  return { processMs: (used.user + used.system) / 1000, threadMs: (usedThread.user + usedThread.system) / 1000 }
}

test('lint throughput vs openssl and node', () => {
  const bundle = readFileSync('/etc/ssl/certs/ca-certificates.crt')
  const roots = readCertificateData(new Uint8Array(bundle)).certificates
  const ders: Uint8Array[] = []
  while (ders.length < TARGET) ders.push(roots[ders.length % roots.length]!)
  const now = new Date()

  // Warm up the JIT on three passes of the bundle, then time five passes.
  for (let i = 0; i < 3; i++) for (const der of roots) lintCertificate(der, { profile: 'auto', now })
  let errors = 0
  const runs = [0, 1, 2, 3, 4].map(() => {
    let cpuMs = { processMs: 0, threadMs: 0 }
    const wallMs = time(() => {
      cpuMs = cpu(() => {
        errors = 0
        for (const der of ders) errors += lintCertificate(der, { profile: 'auto', now }).counts.error
      })
    })
    return { ...cpuMs, wallMs }
  })
  const lintMs = runs.reduce((sum, r) => sum + r.processMs, 0) / runs.length
  const lintThreadMs = runs.reduce((sum, r) => sum + r.threadMs, 0) / runs.length
  const lintWallMs = Math.min(...runs.map((r) => r.wallMs))

  const nodeMs = Math.min(
    ...[0, 1].map(() =>
      time(() => {
        for (const der of ders) new X509Certificate(der)
      }),
    ),
  )

  const peculiarCount = 2_000
  const peculiarMs = time(() => {
    for (let i = 0; i < peculiarCount; i++) new x509.X509Certificate(ders[i]!)
  })
  const inspectCount = 1_000
  const inspectMs = time(() => {
    for (let i = 0; i < inspectCount; i++) inspectCertificate(ders[i]!)
  })

  const dir = mkdtempSync(join(tmpdir(), 'certdesk-lint-bench-'))
  let opensslMs: number
  try {
    const pem = ders
      .map(
        (d) =>
          `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
      )
      .join('')
    const pemPath = join(dir, 'bundle.pem')
    const p7Path = join(dir, 'bundle.p7b')
    writeFileSync(pemPath, pem, { mode: 0o600 })
    execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', pemPath, '-outform', 'DER', '-out', p7Path])
    opensslMs = time(() => {
      const out = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', p7Path, '-print_certs', '-text', '-noout'], {
        maxBuffer: 1 << 30,
      })
      expect(out.length).toBeGreaterThan(TARGET * 1000)
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const lintRate = rate(TARGET, lintMs)
  const opensslRate = rate(TARGET, opensslMs)
  const nodeRate = rate(TARGET, nodeMs)
  console.log(
    `\nlint bench — ${TARGET} certificates (${roots.length} distinct roots from the system bundle), one core; ` +
      `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  )
  console.log(
    `  certdesk parse + lint (auto):          ${lintRate.toLocaleString('en-US')} certs per CPU-second  ` +
      `(main thread alone ${rate(TARGET, lintThreadMs).toLocaleString('en-US')}; ` +
      `${rate(TARGET, lintWallMs).toLocaleString('en-US')}/s wall; ${errors} error findings)`,
  )
  console.log(
    `  openssl pkcs7 -print_certs -text:      ${opensslRate.toLocaleString('en-US')} certs/s  (${opensslMs.toFixed(0)} ms, one process)`,
  )
  console.log(`  node X509Certificate parse:            ${nodeRate.toLocaleString('en-US')} certs/s  (${nodeMs.toFixed(0)} ms)`)
  console.log(`  @peculiar/x509 parse (${peculiarCount}):          ${rate(peculiarCount, peculiarMs).toLocaleString('en-US')} certs/s`)
  console.log(`  certdesk inspect (rich view, ${inspectCount}):    ${rate(inspectCount, inspectMs).toLocaleString('en-US')} certs/s`)
  console.log(`  ratio lint / openssl text decode:      ${(lintRate / opensslRate).toFixed(1)}x  (target ≥ 5x)`)
  console.log(`  ratio lint / node X509Certificate:     ${(lintRate / nodeRate).toFixed(1)}x`)
  const wallRate = rate(TARGET, lintWallMs)
  console.log(
    `  target ≥ ${GOAL.toLocaleString('en-US')} certs/s (wall, best pass): ${wallRate >= GOAL ? 'met' : 'NOT met'}; ` +
      `per process CPU-second (GC helper threads included): ${lintRate >= GOAL ? 'met' : 'NOT met'}`,
  )
})
