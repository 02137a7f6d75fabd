// Path validation throughput (RFC 5280 6.1): 10,000 three-certificate chains — distinct leaves under one
// intermediate and root, as in a fleet — each parsed, decoded and validated (signatures, validity, CA
// checks, name constraints, server purpose) on one core, beside `openssl verify` of the same leaves
// (one process per 1,000 leaves, so process start-up is spread) measured in the same run. RSA-2048 and
// ECDSA P-256 fleets; a second pass shows re-validation, where verified signatures are remembered.
// Prints figures and ratios; asserts no time.
import { execFileSync } from 'node:child_process'
import { availableParallelism, loadavg } from 'node:os'
import { expect, test } from 'vitest'
import { buildContext } from '../src/main/lint/context'
import { parseCertificate } from '../src/main/lint/der'
import { validatePath } from '../src/main/lint/path'
import { lintChain } from '../src/main/lint'
import { caExts, certificate, cn, derToPem, ext, gn, leafExts, newKey, T0 } from '../tests/support/chain-forge'
import { tempDir } from '../tests/support/tools'

const CHAINS = 10_000
const rate = (count: number, ms: number): number => Math.round((count / ms) * 1000)
const fmt = (n: number): string => n.toLocaleString('en-US')

function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

/** CPU time (user + system) of this process for `fn`: on a shared machine, what one core spent. */
function cpu(fn: () => void): number {
  const start = process.cpuUsage()
  fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

function fleet(type: 'ec' | 'rsa'): { root: Uint8Array; inter: Uint8Array; leaves: Uint8Array[] } {
  const [rk, ik, lk] = [newKey(type), newKey(type), newKey(type)]
  const root = certificate({ subject: cn('Bench Root'), issuer: cn('Bench Root'), key: rk, signer: rk, exts: caExts(rk, rk) })
  const inter = certificate({
    subject: cn('Bench Intermediate'),
    issuer: cn('Bench Root'),
    key: ik,
    signer: rk,
    exts: [...caExts(ik, rk), ext.nc([gn.dns('example.test')])],
  })
  const leaves = Array.from({ length: CHAINS }, (_, i) =>
    certificate({
      subject: cn(`device-${i}.example.test`),
      issuer: cn('Bench Intermediate'),
      key: lk,
      signer: ik,
      serial: 0x10000 + i,
      exts: leafExts(lk, ik, [gn.dns(`device-${i}.example.test`)]),
    }),
  )
  return { root, inter, leaves }
}

function validateAll(f: ReturnType<typeof fleet>, at: number): number {
  let problems = 0
  for (const leaf of f.leaves) {
    const path = [leaf, f.inter, f.root].map((der, i) =>
      buildContext(parseCertificate(der), { now: at, expiringDays: 30, expectCa: i > 0, lastInChain: i === 2 }),
    )
    problems += validatePath(path, { at, purpose: 'server' }).length
  }
  return problems
}

function opensslMs(f: ReturnType<typeof fleet>): number {
  const dir = tempDir('certdesk-path-bench-')
  try {
    const root = dir.file('root.pem', derToPem(f.root))
    const inter = dir.file('inter.pem', derToPem(f.inter))
    const files = f.leaves.map((der, i) => dir.file(`leaf-${i}.pem`, derToPem(der)))
    return time(() => {
      for (let i = 0; i < files.length; i += 1000) {
        const out = execFileSync(
          'openssl',
          [
            'verify',
            '-attime',
            String(T0 / 1000),
            '-purpose',
            'sslserver',
            '-CAfile',
            root,
            '-untrusted',
            inter,
            ...files.slice(i, i + 1000),
          ],
          { encoding: 'utf8', maxBuffer: 1 << 26 },
        )
        expect(out.split('\n').filter((l) => l.endsWith(': OK'))).toHaveLength(Math.min(1000, files.length - i))
      }
    })
  } finally {
    dir.remove()
  }
}

test('path validation throughput vs openssl verify', () => {
  console.log(`\npath validation bench — ${fmt(CHAINS)} three-certificate chains (distinct leaves, one intermediate and root), one core`)
  for (const type of ['rsa', 'ec'] as const) {
    const f = fleet(type)
    const label = type === 'rsa' ? 'RSA-2048' : 'ECDSA P-256'
    const at = T0
    validateAll({ ...f, leaves: f.leaves.slice(0, 200) }, at) // warm up the JIT (these 200 are remembered)
    let problems = 0
    let firstCpu = 0
    let againCpu = 0
    const firstMs = time(() => (firstCpu = cpu(() => (problems = validateAll(f, at)))))
    const againMs = time(() => (againCpu = cpu(() => validateAll(f, at))))
    const sslMs = opensslMs(f)
    const lintCount = 1_000
    const lintMs = time(() => {
      for (let i = 0; i < lintCount; i++) lintChain([f.leaves[i]!, f.inter, f.root], { now: new Date(at), purpose: 'server' })
    })
    const first = rate(CHAINS, firstMs)
    const again = rate(CHAINS, againMs)
    const firstPerCpu = rate(CHAINS, firstCpu)
    const againPerCpu = rate(CHAINS, againCpu)
    const ssl = rate(CHAINS, sslMs)
    console.log(`  ${label}:  (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`)
    console.log(
      `    certdesk validatePath, first pass:   ${fmt(first)} chains/s wall, ${fmt(rate(CHAINS, firstCpu))} per CPU-second  ` +
        `(${firstMs.toFixed(0)} ms, ${problems} findings)`,
    )
    console.log(
      `    certdesk validatePath, re-validation: ${fmt(again)} chains/s wall, ${fmt(rate(CHAINS, againCpu))} per CPU-second  ` +
        `(${againMs.toFixed(0)} ms, signatures remembered)`,
    )
    console.log(`    openssl verify (1,000 leaves/process): ${fmt(ssl)} chains/s wall  (${sslMs.toFixed(0)} ms)`)
    console.log(`    certdesk lintChain (full lint + path): ${fmt(rate(lintCount, lintMs))} chains/s  (${lintCount} chains)`)
    console.log(`    ratio first pass / openssl verify:    ${(first / ssl).toFixed(1)}x`)
    console.log(
      `    target ≥ 20,000 chains/s per CPU-second — first pass: ${firstPerCpu >= 20_000 ? 'met' : 'NOT met'}; ` +
        `re-validation: ${againPerCpu >= 20_000 ? 'met' : 'NOT met'}`,
    )
    expect(problems).toBe(0)
  }
})
