#!/usr/bin/env node
// `npm test`: typecheck → lint → format check → Vitest (unit + integration) → build → browser e2e (+ Electron smoke).
// Vitest runs inside a throwaway keyring on Linux (scripts/with-keyring.sh). Ends with one plain
// summary line, "tests: N passed, N failed, N skipped", and exits non-zero if any step failed.
//   node scripts/test.mjs            everything
//   node scripts/test.mjs unit       typecheck, lint, unit + integration
//   node scripts/test.mjs e2e        build + browser suites
//   node scripts/test.mjs bench      build + every benchmark (npm run bench); prints figures, asserts no time
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const mode = process.argv[2] ?? 'all'
const results = join('test-results')
mkdirSync(results, { recursive: true })
const needsKeyring = process.platform === 'linux' && process.env.CERTDESK_THROWAWAY_KEYRING !== '1'
const totals = { passed: 0, failed: 0, skipped: 0 }
const failedSteps = []

function run(label, command, args) {
  const started = Date.now()
  process.stdout.write(`\n▶ ${label}\n`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const ok = result.status === 0
  process.stdout.write(`${ok ? '✔' : '✘'} ${label} (${seconds}s)\n`)
  if (!ok) failedSteps.push(label)
  return ok
}

function vitest(label, config, jsonFile) {
  const out = join(results, jsonFile)
  rmSync(out, { force: true })
  const args = ['vitest', 'run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]
  const ok = needsKeyring ? run(label, 'scripts/with-keyring.sh', ['npx', ...args]) : run(label, 'npx', args)
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'))
    totals.passed += report.numPassedTests
    totals.failed += report.numFailedTests
    totals.skipped += report.numPendingTests + report.numTodoTests
  } else if (!ok) {
    totals.failed += 1
  }
  return ok
}

if (mode === 'all' || mode === 'unit') {
  run('typecheck (node, web)', 'npm', ['run', '--silent', 'typecheck'])
  run('eslint', 'npm', ['run', '--silent', 'lint'])
  run('prettier --check', 'npm', ['run', '--silent', 'format:check'])
  vitest('vitest: unit + integration', 'vitest.config.ts', 'vitest-unit.json')
}
if (mode === 'all' || mode === 'e2e') {
  if (run('build (electron-vite)', 'npm', ['run', '--silent', 'build'])) {
    vitest('vitest: browser e2e + Electron smoke', 'vitest.e2e.config.ts', 'vitest-e2e.json')
  }
}

if (mode === 'bench') {
  if (run('build (electron-vite)', 'npm', ['run', '--silent', 'build'])) {
    const args = ['vitest', 'run', '-c', 'vitest.bench.config.ts']
    if (needsKeyring) run('benchmarks', 'scripts/with-keyring.sh', ['npx', ...args])
    else run('benchmarks', 'npx', args)
  }
  process.exit(failedSteps.length ? 1 : 0)
}

if (failedSteps.length) process.stdout.write(`\nFailed steps: ${failedSteps.join(', ')}\n`)
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`)
process.exit(failedSteps.length || totals.failed ? 1 : 0)
