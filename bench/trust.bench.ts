/**
 * `certdesk trust list --json` over the whole system store plus NSS databases, as a whole process,
 * beside OpenSSL reading the same bundle (`openssl crl2pkcs7 -nocrl -certfile BUNDLE | openssl
 * pkcs7 -print_certs -noout`, two execFile'd processes piped). Target: within 2x of OpenSSL.
 * Also printed: the CLI's bare start-up (`certdesk --version`) beside the start-up of Node itself
 * (`node -e 0`) and of OpenSSL (`openssl version`), measured in the same run, and the in-process
 * listing, so the trust-store share of the time is visible. Nothing here asserts a time.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test, expect } from 'vitest'
import { TrustService, detectTrustStores } from '../src/main/truststore'

const ROOT = resolve(__dirname, '..')
const CLI = join(ROOT, 'out/main/cli.js')
const BUNDLE = '/etc/ssl/certs/ca-certificates.crt'
const RUNS = 11

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) =>
    execFile(file, args, { env, maxBuffer: 64 << 20 }, (e, out, err) =>
      e ? rej(new Error(`${file} ${args.join(' ')}: ${err || e.message}`)) : res(out),
    ),
  )
}

/** The reference: two processes, stdout of the first piped into the second, no shell. */
function opensslPipeline(): Promise<void> {
  return new Promise((res, rej) => {
    const a = execFile('openssl', ['crl2pkcs7', '-nocrl', '-certfile', BUNDLE], { encoding: 'buffer', maxBuffer: 64 << 20 })
    const b = execFile('openssl', ['pkcs7', '-print_certs', '-noout'], { maxBuffer: 64 << 20 }, (e) => (e ? rej(e) : res()))
    a.stdout?.pipe(b.stdin!)
    a.on('error', rej)
  })
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((x, y) => x - y)
  return times[Math.floor(times.length / 2)] as number
}

test('trust list: whole process vs openssl on the same bundle', async () => {
  if (!existsSync(CLI)) execFileSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit' })
  // A fake home with two Firefox profiles and a Chromium DB, each holding a few real roots.
  const home = mkdtempSync(join(tmpdir(), 'certdesk-bench-home-'))
  try {
    const ff = join(home, '.mozilla/firefox')
    const dbs = [join(ff, 'a.default-release'), join(ff, 'b.work'), join(home, '.pki/nssdb')]
    writeFileSync(join(home, 'root.key'), '')
    for (const [i, dir] of dbs.entries()) {
      mkdirSync(dir, { recursive: true })
      execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`])
      for (let n = 0; n < 5; n++) {
        const pem = join(home, `r${i}-${n}.pem`)
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
            join(home, 'root.key'),
            '-out',
            pem,
            '-days',
            '30',
            '-subj',
            `/CN=Bench Root ${i}-${n}`,
            '-addext',
            'basicConstraints=critical,CA:TRUE',
          ],
          { stdio: 'pipe' },
        )
        execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', 'C,,', '-n', `Bench Root ${i}-${n}`, '-i', pem])
      }
    }
    writeFileSync(
      join(ff, 'profiles.ini'),
      '[Profile0]\nName=default-release\nIsRelative=1\nPath=a.default-release\n\n[Profile1]\nName=work\nIsRelative=1\nPath=b.work\n',
    )
    const env = { ...process.env, CERTDESK_TRUST_HOME: home, CERTDESK_USER_DATA: join(home, 'userdata') }
    const args = [CLI, 'trust', 'list', '--json', '--store', 'system', '--store', 'nss']

    const listings = JSON.parse(await run(process.execPath, args, env)) as Array<{ store: { id: string }; entries: unknown[] }>
    const inBundle = (readFileSync(BUNDLE, 'utf8').match(/BEGIN CERTIFICATE/g) ?? []).length
    expect(listings[0]?.entries.length).toBeGreaterThanOrEqual(inBundle)
    expect(listings.slice(1).map((l) => l.entries.length)).toEqual([5, 5, 5])

    const cli = await median(() => run(process.execPath, args, env))
    const cliSystemOnly = await median(() => run(process.execPath, [CLI, 'trust', 'list', '--json', '--store', 'system'], env))
    const floor = await median(() => run(process.execPath, [CLI, '--version'], env))
    const nodeBare = await median(() => run(process.execPath, ['-e', '0'], env))
    const opensslBare = await median(() => run('openssl', ['version'], env))
    const openssl = await median(opensslPipeline)
    const service = new TrustService({ stores: detectTrustStores({ home, java: false }) })
    const inProcess = await median(() => service.list(['system', 'nss']))
    const inProcessSystem = await median(() => service.list(['system']))

    const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`
    const x = (v: number) => `${(v / openssl).toFixed(2)}x openssl`
    console.log(`\ntrust list — ${inBundle} roots in ${BUNDLE}, 3 NSS databases x 5 roots, median of ${RUNS}`)
    console.log(`  openssl crl2pkcs7 | pkcs7 -print_certs (2 processes) ${ms(openssl)}  (reference)`)
    console.log(`  certdesk trust list --json (system + nss)            ${ms(cli)}  ${x(cli)}`)
    console.log(`  certdesk trust list --json (system only)             ${ms(cliSystemOnly)}  ${x(cliSystemOnly)}`)
    console.log(`  certdesk --version (CLI start-up floor)              ${ms(floor)}  ${x(floor)}`)
    console.log(`  node -e 0 (bare Node start-up)                       ${ms(nodeBare)}  ${x(nodeBare)}`)
    console.log(`  openssl version (bare OpenSSL start-up)              ${ms(opensslBare)}  ${x(opensslBare)}`)
    console.log(`  trust work above CLI start-up (system + nss)         ${ms(cli - floor)}  ${x(cli - floor)}`)
    console.log(`  in-process TrustService.list (system + nss)          ${ms(inProcess)}  ${x(inProcess)}`)
    console.log(`  in-process TrustService.list (system only)           ${ms(inProcessSystem)}  ${x(inProcessSystem)}`)
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
})
