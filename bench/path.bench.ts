// Path validation throughput (RFC 5280 6.1) on the workload of a fleet scan: 10,000 three-certificate
// chains whose distinct leaves share 4 intermediates (each with a dNSName name constraint) and one root,
// as a fleet's client certificates do. Each chain is read from its DER bytes (parsed, or found parsed by
// its exact bytes), decoded and validated (signatures, validity, CA checks, name constraints, server
// purpose) on one core, measured in CPU time (process.cpuUsage). Every leaf is new to the first pass, so
// its signature is verified there; an intermediate's signature is verified once (the verdict is kept by
// the exact bytes and issuer key). A certificate is kept from its second sighting, so the second pass
// keeps the leaves, and a third shows re-validation with every verdict remembered.
// RSA-2048 and ECDSA P-256 fleets; beside them, in the same run, `openssl speed` for the same key type
// (the cost of the one leaf verification a chain cannot avoid, hence the ceiling on chains/s) and
// `openssl verify` of the same leaves (one process per 1,000 leaves). Prints figures; asserts no time.
import { execFileSync } from 'node:child_process'
import { createPublicKey, verify } from 'node:crypto'
import { availableParallelism, loadavg } from 'node:os'
import { expect, test } from 'vitest'
import { lintChain } from '../src/main/lint'
import { buildContext } from '../src/main/lint/context'
import { validatePath } from '../src/main/lint/path'
import { clearSharedCertificates, parseCertificateShared } from '../src/main/lint/shared'
import { caExts, certificate, cn, derToPem, ext, gn, leafExts, newKey, T0, type Key } from '../tests/support/chain-forge'
import { tempDir } from '../tests/support/tools'

const CHAINS = 10_000
const INTERMEDIATES = 4
const WARM_UP = 500
const TARGET = 20_000
const rate = (count: number, ms: number): number => Math.round((count / ms) * 1000)
const fmt = (n: number): string => n.toLocaleString('en-US')
type KeyType = 'ec' | 'rsa'

function time(fn: () => void): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

/** Main-thread CPU time of the last cpu() call, in ms (without the garbage collector's helper threads). */
let lastThreadMs = 0

/**
 * CPU time (user + system) of this process for `fn`, in ms: on a shared machine, what it spent on the
 * cores, including the garbage collector's helper threads (so it may exceed the wall time).
 */
function cpu(fn: () => void): number {
  const start = process.cpuUsage()
  const thread = process.threadCpuUsage()
  fn()
  const usedThread = process.threadCpuUsage(thread)
  const used = process.cpuUsage(start)
  lastThreadMs = (usedThread.user + usedThread.system) / 1000
  return (used.user + used.system) / 1000
}

interface Fleet {
  root: Uint8Array
  inters: Uint8Array[]
  /** Chains as a scan reads them: leaf, its intermediate, the root. */
  chains: Uint8Array[][]
  warmUp: Uint8Array[][]
  leafKey: Key
}

/** Leaves share one key pair: a leaf's own key is parsed, never used to verify, so distinct keys would cost the same. */
function fleet(type: KeyType): Fleet {
  const [rk, lk] = [newKey(type), newKey(type)]
  const root = certificate({ subject: cn('Bench Root'), issuer: cn('Bench Root'), key: rk, signer: rk, exts: caExts(rk, rk) })
  const interKeys = Array.from({ length: INTERMEDIATES }, () => newKey(type))
  const inters = interKeys.map((ik, k) =>
    certificate({
      subject: cn(`Bench Intermediate ${k + 1}`),
      issuer: cn('Bench Root'),
      key: ik,
      signer: rk,
      exts: [...caExts(ik, rk), ext.nc([gn.dns('example.test')])],
    }),
  )
  const chain = (i: number): Uint8Array[] => {
    const k = i % INTERMEDIATES
    const leaf = certificate({
      subject: cn(`device-${i}.example.test`),
      issuer: cn(`Bench Intermediate ${k + 1}`),
      key: lk,
      signer: interKeys[k]!,
      serial: 0x10000 + i,
      exts: leafExts(lk, interKeys[k]!, [gn.dns(`device-${i}.example.test`)]),
    })
    return [leaf, inters[k]!, root]
  }
  return {
    root,
    inters,
    chains: Array.from({ length: CHAINS }, (_, i) => chain(i)),
    warmUp: Array.from({ length: WARM_UP }, (_, i) => chain(CHAINS + i)),
    leafKey: lk,
  }
}

/** What a fleet scan does per chain: read each certificate by its bytes, decode it, validate the path. */
function validateAll(chains: Uint8Array[][], at: number): number {
  let problems = 0
  for (const ders of chains) {
    const path = ders.map((der, i) =>
      buildContext(parseCertificateShared(der), { now: at, expiringDays: 30, expectCa: i > 0, lastInChain: i === 2 }),
    )
    problems += validatePath(path, { at, purpose: 'server' }).length
  }
  return problems
}

/** `openssl speed` verifications per second for this key type (system OpenSSL), from its machine-readable line. */
function opensslSpeed(type: KeyType): number {
  const out = execFileSync('openssl', ['speed', '-mr', '-seconds', '1', type === 'rsa' ? 'rsa2048' : 'ecdsap256'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const line = out.split('\n').find((l) => l.startsWith(type === 'rsa' ? '+F2:' : '+F4:'))
  if (!line) throw new Error(`openssl speed printed no result line:\n${out}`)
  return Math.round(Number(line.split(':').at(-1)))
}

/** node:crypto verifications per CPU-second of one leaf signature (Node's own OpenSSL), the call validatePath makes. */
function nodeVerifySpeed(f: Fleet): number {
  const cert = parseCertificateShared(f.chains[0]![0]!)
  const issuer = parseCertificateShared(f.chains[0]![1]!)
  const key = createPublicKey({ key: Buffer.from(issuer.publicKey.raw), format: 'der', type: 'spki' })
  const n = 2_000
  let ok = 0
  const ms = cpu(() => {
    for (let i = 0; i < n; i++) if (verify('sha256', cert.tbs, key, cert.signature)) ok++
  })
  expect(ok).toBe(n)
  return rate(n, ms)
}

function opensslVerifyMs(f: Fleet): number {
  const dir = tempDir('certdesk-path-bench-')
  try {
    const root = dir.file('root.pem', derToPem(f.root))
    const inters = dir.file('inters.pem', f.inters.map(derToPem).join(''))
    const files = f.chains.map(([leaf], i) => dir.file(`leaf-${i}.pem`, derToPem(leaf!)))
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
            inters,
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

test('path validation throughput vs openssl', () => {
  console.log(
    `\npath validation bench — ${fmt(CHAINS)} three-certificate chains: distinct leaves under ${INTERMEDIATES} shared ` +
      `intermediates and one root, one core, CPU time`,
  )
  const headline: string[] = []
  for (const type of ['rsa', 'ec'] as const) {
    const f = fleet(type)
    const label = type === 'rsa' ? 'RSA-2048' : 'ECDSA P-256'
    const at = T0
    clearSharedCertificates()
    validateAll(f.warmUp, at) // warms the JIT on other leaves; the intermediates' and root's verdicts are kept
    let problems = 0
    let firstCpu = 0
    let againCpu = 0
    const firstMs = time(() => (firstCpu = cpu(() => (problems = validateAll(f.chains, at)))))
    const firstThreadMs = lastThreadMs
    const secondCpu = cpu(() => validateAll(f.chains, at))
    const againMs = time(() => (againCpu = cpu(() => validateAll(f.chains, at))))
    const speed = opensslSpeed(type)
    const nodeSpeed = nodeVerifySpeed(f)
    const sslMs = opensslVerifyMs(f)
    const lintCount = 1_000
    const lintCpu = cpu(() => {
      for (let i = 0; i < lintCount; i++) lintChain(f.chains[i]!, { now: new Date(at), purpose: 'server' })
    })
    const firstPerCpu = rate(CHAINS, firstCpu)
    const againPerCpu = rate(CHAINS, againCpu)
    // Every first-pass chain verifies one new leaf signature: no chain rate can beat the verify rate.
    const bound = speed
    const usPerVerify = 1e6 / bound
    console.log(`  ${label}:  (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`)
    console.log(
      `    certdesk validatePath, first pass:    ${fmt(firstPerCpu)} chains per CPU-second  ` +
        `(main thread alone ${fmt(rate(CHAINS, firstThreadMs))}; ${fmt(rate(CHAINS, firstMs))}/s wall; ${problems} findings)`,
    )
    console.log(`    certdesk validatePath, second pass:   ${fmt(rate(CHAINS, secondCpu))} chains per CPU-second  (leaves kept from now)`)
    console.log(
      `    certdesk validatePath, re-validation: ${fmt(againPerCpu)} chains per CPU-second  ` +
        `(${fmt(rate(CHAINS, againMs))}/s wall, every verdict remembered)`,
    )
    console.log(`    openssl speed ${type === 'rsa' ? 'rsa2048' : 'ecdsap256'} verify:     ${fmt(speed)}/s  (system OpenSSL)`)
    console.log(`    node:crypto verify of a leaf:         ${fmt(nodeSpeed)} per CPU-second  (Node's OpenSSL ${process.versions.openssl})`)
    console.log(
      `    ceiling from one leaf verify a chain: ${fmt(bound)} chains/s by openssl speed  (${usPerVerify.toFixed(1)} µs per verify; ` +
        `${TARGET / 1000}k chains/s leaves ${(1e6 / TARGET).toFixed(0)} µs per chain)`,
    )
    console.log(`    openssl verify (1,000 leaves/process): ${fmt(rate(CHAINS, sslMs))} chains/s wall  (${sslMs.toFixed(0)} ms)`)
    console.log(`    certdesk lintChain (full lint + path): ${fmt(rate(lintCount, lintCpu))} chains per CPU-second  (${lintCount} chains)`)
    const met = firstPerCpu >= TARGET
    const verdict = met
      ? 'met'
      : bound < TARGET
        ? `NOT met, and cannot be here: one ${label} leaf verification costs ${usPerVerify.toFixed(0)} µs, more than the ` +
          `${(1e6 / TARGET).toFixed(0)} µs a chain may take`
        : 'NOT met'
    console.log(
      `    target ≥ ${fmt(TARGET)} chains per CPU-second, first pass: ${verdict}; ` +
        `re-validation: ${againPerCpu >= TARGET ? 'met' : 'NOT met'}`,
    )
    headline.push(`${label} ${fmt(firstPerCpu)} (ceiling ${fmt(bound)})`)
    expect(problems).toBe(0)
  }
  console.log(`  headline, first pass chains per CPU-second: ${headline.join('; ')}`)
})
