/**
 * `certdesk trust verify` after `certdesk trust fix-runtimes`: the runtimes are checked as a new login shell sees
 * them (the fix's env file), and a runtime the fix made trust the root that no longer does — the env file or the
 * bundle removed, REQUESTS_CA_BUNDLE unset so requests is back on certifi, another JDK in use — is drift: reported
 * on its line, and verify exits 1. The root is in a throwaway Debian system store, so without drift verify exits 0.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'
import { runCaptured } from '../support/cli'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../support/debian-tree'
import { CA_EXT, Forge } from '../support/forge'
import { tempDir, type TempDir } from '../support/tools'

const forge = new Forge()
const root = forge.issue({ name: 'Drift Test Root', ext: CA_EXT })
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim()
const PATH = [dirname(process.execPath), dirname(python), '/usr/bin', '/bin', '/usr/sbin'].join(':')

let tree: ReturnType<typeof makeDebianTree>
let dir: TempDir
let home: string
let userData: string

beforeAll(async () => {
  tree = makeDebianTree(2)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  dir = tempDir('certdesk-runtimes-drift-')
  home = join(dir.path, 'home')
  userData = join(dir.path, 'data')
  mkdirSync(home)
})
afterAll(() => {
  tree.cleanup()
  dir.remove()
  forge.cleanup()
})

const cli = (argv: string[], env: Record<string, string> = {}) =>
  runCaptured(argv, {
    env: { HOME: home, PATH, CERTDESK_USER_DATA: userData, CERTDESK_TRUST_ROOT: tree.root, GIT_CONFIG_NOSYSTEM: '1', ...env },
    cwd: dir.path,
  })

interface Line {
  runtime: string
  trusts: boolean | null
  drift?: boolean
  note: string
  source: string
}

async function verify(env: Record<string, string> = {}): Promise<{ code: number; lines: Record<string, Line> }> {
  const run = await cli(['trust', 'verify', root.pem, '--store', 'system', '--json'], env)
  const report = JSON.parse(run.out) as { runtimes: Line[] }
  return { code: run.code, lines: Object.fromEntries(report.runtimes.map((r) => [r.runtime, r])) }
}

describe('trust verify reports drift of the runtime fix', () => {
  it('exits 0 while the fix holds, and 1 with the reason when the env file, the bundle or REQUESTS_CA_BUNDLE is gone', async () => {
    expect((await cli(['trust', 'install', root.pem, '--store', 'system'])).code).toBe(0)
    // Before the fix: Node does not trust the root, but nothing was fixed, so that is no drift.
    const before = await verify()
    expect(before.code).toBe(0)
    expect(before.lines['node']).toMatchObject({ trusts: false, source: 'bundled roots' })
    expect(before.lines['node']?.drift).toBeUndefined()

    expect((await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node,python,git'])).code).toBe(0)
    const fixed = await verify()
    expect(fixed.code).toBe(0)
    expect(fixed.lines['node']).toMatchObject({ trusts: true, source: 'NODE_EXTRA_CA_CERTS' })
    expect(fixed.lines['python']).toMatchObject({ trusts: true, source: 'REQUESTS_CA_BUNDLE' })
    expect(fixed.lines['git']).toMatchObject({ trusts: true, source: 'http.sslCAInfo' })

    const envFile = join(userData, 'runtimes', 'env.sh')
    const envText = readFileSync(envFile, 'utf8')
    rmSync(envFile)
    const noEnv = await verify()
    expect(noEnv.code).toBe(1)
    expect(noEnv.lines['node']).toMatchObject({ drift: true, trusts: false })
    expect(noEnv.lines['node']?.note).toContain(`The env file ${envFile} was removed.`)
    expect(noEnv.lines['python']?.drift).toBe(true)
    expect(noEnv.lines['git']?.drift).toBeUndefined() // git reads its config, not the env file

    // certifi (reinstalled) is what requests reads once REQUESTS_CA_BUNDLE and SSL_CERT_FILE are unset.
    writeFileSync(envFile, envText.replace(/^export (REQUESTS_CA_BUNDLE|SSL_CERT_FILE)=.*\n/gm, ''))
    const certifi = await verify()
    expect(certifi.code).toBe(1)
    expect(certifi.lines['node']?.drift).toBeUndefined()
    expect(certifi.lines['python']).toMatchObject({ drift: true, source: 'certifi' })

    writeFileSync(envFile, envText)
    const bundle = join(userData, 'runtimes', 'ca-bundle.pem')
    const bundleText = readFileSync(bundle, 'utf8')
    writeFileSync(bundle, readFileSync('/etc/ssl/certs/ca-certificates.crt')) // this machine's roots: not the test root
    const noRoot = await verify()
    expect(noRoot.code).toBe(1)
    expect(
      Object.values(noRoot.lines)
        .filter((l) => l.drift)
        .map((l) => l.runtime),
    ).toEqual(['node', 'python', 'git'])
    writeFileSync(bundle, bundleText)
    expect((await verify()).code).toBe(0)
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
  }, 60_000)

  it('reports a JDK other than the one whose cacerts was copied', async () => {
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'java'])).code).toBe(0)
    expect((await verify()).lines['java']).toMatchObject({ trusts: true, source: 'JAVA_TOOL_OPTIONS trustStore' })
    // Another JDK: its keytool is this one's, its home is elsewhere.
    const realKeytool = execFileSync('sh', ['-c', 'readlink -f "$(command -v keytool)"'], { encoding: 'utf8' }).trim()
    const jdk = join(dir.path, 'jdk-next')
    mkdirSync(join(jdk, 'lib', 'security'), { recursive: true })
    mkdirSync(join(jdk, 'bin'))
    writeFileSync(join(jdk, 'lib', 'security', 'cacerts'), '')
    symlinkSync(realKeytool, join(jdk, 'bin', 'keytool'))
    chmodSync(join(jdk, 'lib', 'security', 'cacerts'), 0o644)
    const upgraded = await verify({ JAVA_HOME: jdk })
    expect(upgraded.code).toBe(1)
    expect(upgraded.lines['java']?.drift).toBe(true)
    expect(upgraded.lines['java']?.note).toContain(`now ${jdk}`)
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
  }, 60_000)
})
