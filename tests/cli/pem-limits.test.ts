/**
 * `certdesk lint` / `certdesk inspect` on inputs over the PEM limits: exit 2 with one line saying the
 * size or count found, and bounded memory. The memory check runs the real CLI, bundled with rolldown
 * (what electron-vite uses) into a private folder, in a child process that reports its peak RSS:
 * before the fix a 40 MB one-line PEM peaked at 1.3 GB.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { rolldown } from 'rolldown'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../src/cli/run'
import { PEM_LIMITS } from '../../src/shared/pem'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-pem-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A syntactically fine certificate block (content is not checked before the limits). */
const BLOCK = `-----BEGIN CERTIFICATE-----\n${'QUFB'.repeat(100)}\n-----END CERTIFICATE-----\n`

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: dir }, '0.0.0-test')
  return { code, out: out.join(''), err: err.join('') }
}

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('over the limits: exit 2, one line', () => {
  test.each(['lint', 'inspect'])('%s refuses a file of 50,000 certificates from its size, saying the count', async (command) => {
    const path = file('many.pem', BLOCK.repeat(50_000))
    const r = await cli(command, path)
    expect(r.code).toBe(2)
    const [first] = r.err.split('\n')
    expect(first).toMatch(
      new RegExp(
        `^certdesk ${command}: .*many\\.pem is \\d+\\.\\d MiB and holds 50,000 PEM blocks; Certdesk reads certificate files of at most 4\\.0 MiB and 1,000 PEM blocks\\.$`,
      ),
    )
  })

  test.each(['lint', 'inspect'])('%s refuses 1,001 blocks under the size limit, saying the count', async (command) => {
    const path = file('count.pem', BLOCK.repeat(PEM_LIMITS.maxBlocks + 1))
    const r = await cli(command, path, '--json')
    expect(r.code).toBe(2)
    expect(r.err.split('\n')[0]).toBe(`certdesk ${command}: ${path} holds 1,001 PEM blocks; Certdesk reads at most 1,000 in one file.`)
    expect(JSON.parse(r.out)).toMatchObject({
      error: { code: 'bad_input', details: { reason: 'too_many_blocks', found: 1001, limit: 1000 } },
    })
  })
})

describe('other commands that read PEM files check the size before reading', () => {
  test('csr new --key, ca sign --csr and cf client-certs create --csr refuse a 5 MiB file, naming it as given', async () => {
    file('huge.key', `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(5 * 1024 * 1024)}\n-----END PRIVATE KEY-----\n`)
    const csr = await cli('csr', 'new', '--key', 'huge.key', '--cn', 'x', '--out', 'x.csr')
    expect(csr.code).toBe(2)
    expect(csr.err.split('\n')[0]).toBe(
      'certdesk csr new: huge.key is 5.0 MiB and holds 1 PEM block; Certdesk reads certificate files of at most 4.0 MiB.',
    )
    const sign = await cli(
      'ca',
      'sign',
      '--ca',
      'huge.key',
      '--ca-key',
      'huge.key',
      '--csr',
      'huge.key',
      '--profile',
      'client',
      '--days',
      '1',
      '--out',
      'x.pem',
    )
    expect(sign.code).toBe(2)
    expect(sign.err).toContain('huge.key is 5.0 MiB')
    const cf = await cli('cf', 'client-certs', 'create', '--zone', 'example.com', '--csr', 'huge.key', '--days', '365')
    expect(cf.code).toBe(2)
    expect(cf.err.split('\n')[0]).toBe(
      'certdesk cf client-certs create: huge.key is 5.0 MiB and holds 1 PEM block; Certdesk reads certificate files of at most 4.0 MiB.',
    )
  })
})

describe('peak memory of the CLI (child process)', () => {
  let cliJs: string

  beforeAll(async () => {
    const src = join(dir, 'entry.ts')
    // Peak RSS: VmHWM belongs to this process image; getrusage's maxRSS survives exec and would report
    // the forking vitest worker's peak.
    const report = `const hwm = /VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? process.resourceUsage().maxRSS`
    writeFileSync(
      src,
      `import ${JSON.stringify(resolve('src/cli/index.ts'))}\nimport { readFileSync } from 'node:fs'\nprocess.on('exit', () => { ${report}; process.stderr.write('MAXRSS_KB ' + hwm + '\\n') })\n`,
    )
    const bundle = await rolldown({ input: { cli: src }, platform: 'node', external: [/^node:/, 'keytar', 'electron'], logLevel: 'silent' })
    await bundle.write({ dir: join(dir, 'out'), format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' })
    await bundle.close()
    cliJs = join(dir, 'out', 'cli.js')
  }, 120_000)

  function peak(...argv: string[]): Promise<{ code: number; stderr: string; maxRssMb: number }> {
    return new Promise((done) => {
      execFile(process.execPath, [cliJs, ...argv], { cwd: dir, maxBuffer: 1 << 20 }, (error, _stdout, stderr) => {
        const kb = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? NaN)
        done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stderr, maxRssMb: kb / 1024 })
      })
    })
  }

  test('a 40 MB one-line PEM is refused before it is read (was 1.3 GB peak)', async () => {
    const path = file('oneline.pem', `-----BEGIN CERTIFICATE-----\n${'A'.repeat(40_000_000)}\n-----END CERTIFICATE-----\n`)
    const r = await peak('lint', path)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('oneline.pem is 38.1 MiB and holds 1 PEM block; Certdesk reads certificate files of at most 4.0 MiB.')
    expect(r.maxRssMb).toBeLessThan(200)
  }, 60_000)

  test('a hostile file just under 4 MiB is read in bounded memory', async () => {
    const path = file('hostile.pem', `-----BEGIN CERTIFICATE-----\n${'A'.repeat(PEM_LIMITS.maxBytes - 64)}\n-----END CERTIFICATE-----\n`)
    const r = await peak('inspect', path)
    expect(r.code).toBe(2)
    expect(r.maxRssMb).toBeGreaterThan(0)
    expect(r.maxRssMb).toBeLessThan(200)
  }, 60_000)
})
