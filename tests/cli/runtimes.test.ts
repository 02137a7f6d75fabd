/**
 * `certdesk trust fix-runtimes` in a throwaway HOME, against an HTTPS server on 127.0.0.1 whose chain ends in a
 * fresh root. The referees are the runtimes themselves, each started from a new login shell (`bash -lc`, which
 * reads the profile the fix changed): Node's fetch, Python's urllib and requests, git's curl (git ls-remote) and
 * Java (a single-file program). Each fails before the fix, succeeds after, and fails again after --undo, which
 * leaves every file in HOME byte for byte as it was.
 */
import { execFile, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCaptured } from '../support/cli'
import { snapshotTree } from '../support/debian-tree'
import { CA_EXT, Forge } from '../support/forge'
import { tempDir, type TempDir } from '../support/tools'

const forge = new Forge()
const root = forge.issue({ name: 'Runtime Test Root', ext: CA_EXT })
const leaf = forge.issue({
  name: 'localhost',
  issuer: root,
  ext: [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ],
})

/** The real interpreter behind a pyenv shim (the shim looks for ~/.pyenv, which a throwaway HOME lacks). */
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim()
/** What the login shells find on PATH: this Node, this Python, java and git from /usr/bin. */
const PATH = [dirname(process.execPath), dirname(python), '/usr/bin', '/bin'].join(':')

let server: Server
let url: string
let dir: TempDir
let home: string
let userData: string

beforeAll(async () => {
  // 200 for /, 404 for anything else (git's info/refs): an HTTP answer, after a handshake that verified.
  server = createServer({ cert: readFileSync(leaf.pem), key: readFileSync(leaf.key) }, (req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404).end(req.url === '/' ? 'hello\n' : 'no such repository\n')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  forge.cleanup()
})

function freshHome(): void {
  dir?.remove()
  dir = tempDir('certdesk-runtimes-')
  home = join(dir.path, 'home')
  userData = join(dir.path, 'data')
  mkdirSync(home)
  // The user's own files, which the fix changes and undo must give back byte for byte.
  writeFileSync(join(home, '.profile'), '# my profile\nexport EDITOR=vi\n')
  writeFileSync(join(home, '.bashrc'), '# my bashrc\nalias ll="ls -l"') // no final newline
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Test User\n')
}

const cli = (argv: string[], env: Record<string, string> = {}) =>
  runCaptured(argv, { env: { HOME: home, PATH, CERTDESK_USER_DATA: userData, ...env }, cwd: dir.path })

/** A command in a new login shell of the throwaway HOME: its output, and whether it exited 0. */
function loginShell(command: string[], cwd = dir.path): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-lc', '"$@"', 'probe', ...command],
      { cwd, env: { HOME: home, PATH, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ ok: !error, out: `${stdout}${stderr}` }),
    )
  })
}

const NODE_FETCH =
  'fetch(process.argv[1]).then((r) => console.log("HTTP", r.status), (e) => { console.log("TLS?", e.cause?.code ?? e.message); process.exit(3) })'
const PY_URLLIB = 'import sys, urllib.request; print("HTTP", urllib.request.urlopen(sys.argv[1]).status)'
const PY_REQUESTS = 'import sys, requests; print("HTTP", requests.get(sys.argv[1]).status_code)'

/** Each runtime's verdict on the server: 'trusted' (an HTTP answer came back), 'tls' (the handshake failed), or what it said. */
async function verdicts(): Promise<Record<string, string>> {
  const [node, urllib, requests, git] = await Promise.all([
    loginShell([process.execPath, '-e', NODE_FETCH, `${url}/`]),
    loginShell([python, '-c', PY_URLLIB, `${url}/`]),
    loginShell([python, '-c', PY_REQUESTS, `${url}/`]),
    loginShell(['git', 'ls-remote', `${url}/repo.git`]),
  ])
  const tls =
    /certificate verify failed|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SSL certificate problem|certificate verification failed/
  const verdict = (r: { ok: boolean; out: string }, trusted: RegExp) => (trusted.test(r.out) ? 'trusted' : tls.test(r.out) ? 'tls' : r.out)
  return {
    node: verdict(node, /^HTTP 200$/m),
    urllib: verdict(urllib, /^HTTP 200$/m),
    requests: verdict(requests, /^HTTP 200$/m),
    // git got past the handshake when the server's 404 comes back as "not found".
    git: verdict(git, /repository '.*' not found|returned error: 404/),
  }
}

const allTls = { node: 'tls', urllib: 'tls', requests: 'tls', git: 'tls' }
const allTrusted = { node: 'trusted', urllib: 'trusted', requests: 'trusted', git: 'trusted' }

describe('certdesk trust fix-runtimes', () => {
  it('makes Node, Python (urllib, requests) and git trust the root in a new login shell; a second fix changes nothing; --undo gives every file back', async () => {
    freshHome()
    const before = snapshotTree(home)
    expect(await verdicts()).toEqual(allTls)

    const fixed = await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node,python,git', '--json'])
    expect(fixed.err).toBe('')
    expect(fixed.code).toBe(0)
    const report = JSON.parse(fixed.out) as { fixes: Array<{ runtime: string; status: string }>; profiles: string[] }
    expect(report.fixes.map((f) => [f.runtime, f.status])).toEqual([
      ['node', 'fixed'],
      ['python', 'fixed'],
      ['git', 'fixed'],
    ])
    expect(report.profiles).toEqual([join(home, '.profile'), join(home, '.bashrc')])
    expect(await verdicts()).toEqual(allTrusted)
    // git's own view of its global configuration, in that HOME.
    const caInfo = execFileSync('git', ['config', '--global', '--get', 'http.sslCAInfo'], { env: { HOME: home, PATH }, encoding: 'utf8' })
    expect(caInfo.trim()).toBe(join(userData, 'runtimes', 'ca-bundle.pem'))

    const afterFix = snapshotTree(home)
    const again = await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node,python,git', '--json'])
    expect(again.code).toBe(0)
    expect((JSON.parse(again.out) as typeof report).fixes.map((f) => f.status)).toEqual(['already', 'already', 'already'])
    expect(snapshotTree(home)).toEqual(afterFix)

    const undone = await cli(['trust', 'fix-runtimes', root.pem, '--undo'])
    expect(undone.code).toBe(0)
    expect(undone.out).toContain('restored')
    expect(snapshotTree(home)).toEqual(before)
    expect(existsSync(join(userData, 'runtimes'))).toBe(false)
    expect(await verdicts()).toEqual(allTls)
  }, 30_000)

  it('makes Java trust the root through a cacerts copy (a single-file program from a login shell), and --undo takes it away', async () => {
    freshHome()
    const probe = dir.file(
      'Probe.java',
      [
        'public class Probe {',
        '  public static void main(String[] a) throws Exception {',
        '    var c = (javax.net.ssl.HttpsURLConnection) new java.net.URI(a[0]).toURL().openConnection();',
        '    try { System.out.println("HTTP " + c.getResponseCode()); }',
        '    catch (javax.net.ssl.SSLException e) { System.out.println("TLS " + e.getMessage()); System.exit(3); }',
        '  }',
        '}',
      ].join('\n'),
    )
    // C1 only: the JVM starts faster, and the program is too short to need more.
    const java = () => loginShell(['java', '-XX:TieredStopAtLevel=1', probe, `${url}/`])
    const before = snapshotTree(home)

    expect((await java()).out).toMatch(/^TLS .*(PKIX path building failed|unable to find valid certification path)/m)
    const fixed = await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'java'])
    expect(fixed.err).toBe('')
    expect(fixed.code).toBe(0)
    expect(fixed.out).toMatch(/java\s+fixed\s+Imported into .*java-cacerts/)
    expect((await java()).out).toMatch(/^HTTP 200$/m)
    // The root went into the copy, not into the JDK's own cacerts (compared by content: other programs on this
    // machine, such as update-ca-certificates' Java hook, may rewrite that file at any time).
    const jdkList = execFileSync('keytool', ['-list', '-rfc', '-cacerts', '-storepass', 'changeit'], { encoding: 'utf8' })
    const body = readFileSync(root.pem, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
    expect(jdkList).not.toContain(body.at(-2)) // a line of the key and signature: this root's alone

    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
    expect(snapshotTree(home)).toEqual(before)
    expect((await java()).out).toMatch(/^TLS /m)
  }, 40_000)

  it('reports a runtime that could not be fixed (exit 1) and still fixes the others; --undo after it restores everything', async () => {
    freshHome()
    // A JDK whose keytool fails: the fix stops there for Java only.
    const jdk = join(dir.path, 'broken-jdk')
    mkdirSync(join(jdk, 'lib', 'security'), { recursive: true })
    mkdirSync(join(jdk, 'bin'))
    writeFileSync(join(jdk, 'lib', 'security', 'cacerts'), 'not a keystore')
    writeFileSync(
      join(jdk, 'bin', 'keytool'),
      '#!/bin/sh\necho "keytool error: java.io.IOException: Invalid keystore format" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    )
    const before = snapshotTree(home)
    const fixed = await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node,java', '--json'], { JAVA_HOME: jdk })
    expect(fixed.code).toBe(1)
    const report = JSON.parse(fixed.out) as { fixes: Array<{ runtime: string; status: string; message: string; hint?: string }> }
    expect(report.fixes[0]).toMatchObject({ runtime: 'node', status: 'fixed' })
    expect(report.fixes[1]).toMatchObject({ runtime: 'java', status: 'failed' })
    expect(report.fixes[1]?.hint).toContain('Invalid keystore format')
    // Node works; the env file names no Java trust store.
    expect((await verdicts()).node).toBe('trusted')
    expect(readFileSync(join(userData, 'runtimes', 'env.sh'), 'utf8')).not.toContain('JAVA_TOOL_OPTIONS')

    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
    expect(snapshotTree(home)).toEqual(before)
    expect(existsSync(join(userData, 'runtimes'))).toBe(false)
  }, 30_000)

  it('points Java at a cacerts copy in a folder with a space (macOS’s “Application Support”): the JVM reads the path whole', async () => {
    freshHome()
    userData = join(dir.path, 'Application Support', 'Certdesk')
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'java'])).code).toBe(0)
    const settings = await loginShell(['java', '-XshowSettings:properties', '-version'])
    expect(settings.out).toContain(`javax.net.ssl.trustStore = ${join(userData, 'runtimes', 'java-cacerts')}\n`)
    const verified = await cli(['trust', 'verify', root.pem, '--store', 'system', '--json'])
    const java = (JSON.parse(verified.out) as { runtimes: Array<{ runtime: string; trusts: boolean; file?: string }> }).runtimes.find(
      (r) => r.runtime === 'java',
    )
    expect(java).toMatchObject({ trusts: true, file: join(userData, 'runtimes', 'java-cacerts') })
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
  }, 30_000)

  it('refuses bad input in the user’s words (exit 2), and a second root while one is fixed (exit 1)', async () => {
    freshHome()
    const other = forge.issue({ name: 'Other Root', ext: CA_EXT })
    const unknown = await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node,ruby'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain('Unknown runtime: ruby.')
    expect((await cli(['trust', 'fix-runtimes', leaf.pem])).code).toBe(2)
    expect(existsSync(join(userData, 'runtimes'))).toBe(false)

    expect((await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node'])).code).toBe(0)
    const second = await cli(['trust', 'fix-runtimes', other.pem, '--runtimes', 'node'])
    expect(second.code).toBe(1)
    expect(second.err).toContain('already fixed for another root: CN=Runtime Test Root')
    const wrongUndo = await cli(['trust', 'fix-runtimes', other.pem, '--undo'])
    expect(wrongUndo.code).toBe(2)
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
    const nothing = await cli(['trust', 'fix-runtimes', root.pem, '--undo'])
    expect(nothing.code).toBe(0)
    expect(nothing.out).toContain('nothing to undo')
  }, 30_000)

  it('undo keeps what the user changed since the fix: only the Certdesk block and http.sslCAInfo are taken out', async () => {
    freshHome()
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node,git'])).code).toBe(0)
    writeFileSync(join(home, '.bashrc'), `${readFileSync(join(home, '.bashrc'), 'utf8')}export MINE=1\n`)
    execFileSync('git', ['config', '--global', 'user.email', 'me@example.com'], { env: { HOME: home, PATH } })
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--undo'])).code).toBe(0)
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('# my bashrc\nalias ll="ls -l"\nexport MINE=1\n')
    expect(readFileSync(join(home, '.gitconfig'), 'utf8')).toContain('me@example.com')
    expect(readFileSync(join(home, '.gitconfig'), 'utf8')).not.toContain('sslCAInfo')
    expect(readFileSync(join(home, '.profile'), 'utf8')).toBe('# my profile\nexport EDITOR=vi\n')
  }, 30_000)

  it('undo leaves alone a profile the user removed since the fix, and puts back the rest', async () => {
    freshHome()
    expect((await cli(['trust', 'fix-runtimes', root.pem, '--runtimes', 'node'])).code).toBe(0)
    rmSync(join(home, '.bashrc'))
    const undone = await cli(['trust', 'fix-runtimes', root.pem, '--undo'])
    expect(undone.err).toBe('')
    expect(undone.code).toBe(0)
    expect(undone.out).toContain(`kept            ${join(home, '.bashrc')} — Removed since the fix: nothing to put back.`)
    expect(existsSync(join(home, '.bashrc'))).toBe(false)
    expect(readFileSync(join(home, '.profile'), 'utf8')).toBe('# my profile\nexport EDITOR=vi\n')
  })
})

afterAll(() => {
  dir?.remove()
  rmSync(forge.dir, { recursive: true, force: true })
})
