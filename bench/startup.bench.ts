/**
 * One-shot speed: the CLI as MDM scripts and helpdesk terminals run it, one whole process per answer,
 * beside OpenSSL doing the nearest job on the same certificate, measured in the same run (median of 7,
 * the commands interleaved so a busy machine slows both alike):
 * - `certdesk lint one.pem` beside `openssl x509 -noout -text` (target: within 3x);
 * - `certdesk trust verify one.pem --store system` beside `openssl x509 -noout -fingerprint` (within 4x);
 * - `certdesk --version` and `certdesk trust list --json` beside bare Node start-up (`node -e 0`);
 * - each CLI figure again with Node's compile cache off (NODE_DISABLE_COMPILE_CACHE=1), so its share shows.
 * CERTDESK_BENCH_CLI=path/to/cli.js measures another build (e.g. the one before a change) the same way.
 * Nothing here asserts a time.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test } from 'vitest'

const ROOT = resolve(__dirname, '..')
const CLI = process.env['CERTDESK_BENCH_CLI'] ?? join(ROOT, 'out/main/cli.js')
const BUNDLE = '/etc/ssl/certs/ca-certificates.crt'
const RUNS = 7

interface Job {
  label: string
  file: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Exit codes that are an answer, not a failure (lint and verify exit 1 for "no"). */
  codes?: number[]
}

function once(job: Job): Promise<number> {
  const started = performance.now()
  return new Promise((done, fail) =>
    execFile(job.file, job.args, { env: job.env ?? process.env, maxBuffer: 64 << 20 }, (error, _out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      if (!(job.codes ?? [0]).includes(code)) fail(new Error(`${job.label}: exit ${code}: ${err || error?.message}`))
      else done(performance.now() - started)
    }),
  )
}

/** Median wall time of each job over RUNS rounds, the jobs interleaved within a round; one warm-up round first. */
async function medians(jobs: Job[]): Promise<number[]> {
  for (const job of jobs) await once(job)
  const times = jobs.map((): number[] => [])
  for (let round = 0; round < RUNS; round++) for (const [i, job] of jobs.entries()) times[i]!.push(await once(job))
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!)
}

test('one-shot CLI commands, whole process, beside openssl', async () => {
  if (!existsSync(CLI)) execFileSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit' })
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-startup-bench-'))
  try {
    // One real root of this machine's store: `trust verify` answers "trusted" for it.
    const pem = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/.exec(readFileSync(BUNDLE, 'utf8'))?.[0]
    expect(pem).toBeDefined()
    const one = join(dir, 'one.pem')
    writeFileSync(one, pem!, { mode: 0o600 })
    const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' }
    const node = process.execPath
    const cli = (label: string, args: string[], env?: NodeJS.ProcessEnv): Job => ({
      label,
      file: node,
      args: [CLI, ...args],
      codes: [0, 1],
      ...(env ? { env } : {}),
    })
    const lintArgs = ['lint', one]
    const verifyArgs = ['trust', 'verify', one, '--store', 'system']
    const jobs: Job[] = [
      { label: 'openssl x509 -noout -text', file: 'openssl', args: ['x509', '-noout', '-text', '-in', one] },
      { label: 'openssl x509 -noout -fingerprint', file: 'openssl', args: ['x509', '-noout', '-fingerprint', '-sha256', '-in', one] },
      { label: 'node -e 0 (bare Node start-up)', file: node, args: ['-e', '0'] },
      cli('certdesk lint one.pem', lintArgs),
      cli('certdesk trust verify one.pem --store system', verifyArgs),
      cli('certdesk --version', ['--version']),
      cli('certdesk trust list --json', ['trust', 'list', '--json']),
      cli('certdesk lint one.pem (no compile cache)', lintArgs, noCache),
      cli('certdesk trust verify … (no compile cache)', verifyArgs, noCache),
      cli('certdesk --version (no compile cache)', ['--version'], noCache),
    ]
    const ms = await medians(jobs)
    const [text, fingerprint, bare] = ms as [number, number, number]
    const reference: Record<string, number> = { lint: text, verify: fingerprint }
    console.log(`\none-shot CLI — ${CLI}, whole process, median of ${RUNS} (interleaved)`)
    for (const [i, job] of jobs.entries()) {
      const v = ms[i]!
      const against = job.label.includes(' lint ')
        ? ` ${(v / reference['lint']!).toFixed(2)}x openssl -text (target <= 3x)`
        : job.label.includes(' verify ')
          ? ` ${(v / reference['verify']!).toFixed(2)}x openssl -fingerprint (target <= 4x)`
          : job.file === node && i > 2
            ? ` ${(v / bare).toFixed(2)}x bare Node`
            : ''
      console.log(`  ${job.label.padEnd(48)} ${v.toFixed(1).padStart(7)} ms${against}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
