/**
 * The fleet kit: deterministic, each artifact checked by an independent referee (openssl, Python's plistlib and yaml,
 * ajv with Mozilla's policy schema, the real update-ca-certificates and curl, keytool); PowerShell structurally (no pwsh).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { buildFleetKit, writeFleetKit, type FleetKit } from '../../src/main/fleet/kit'
import { CertFactory, sha1Hex, sha256Hex, type TestCert } from '../support/cert-factory'
import { UPDATE_CA_CERTIFICATES, makeDebianTree, snapshotTree } from '../support/debian-tree'
import { policiesFile } from '../support/fleet-kit-firefox-schema'
import { startTlsServer } from '../support/tls-server'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'

const certs = new CertFactory()
const dirs: string[] = []
let root: TestCert
let leaf: TestCert
let kit: FleetKit
let kitDir: string

const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}
const file = (k: FleetKit, path: string): Buffer => k.files.find((f) => f.path === path)!.contents
const text = (k: FleetKit, path: string): string => file(k, path).toString('utf8')
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** The report file of report-schema.md (certdesk-trust-report/1), as the reports' readers expect it. */
const TrustReport = z.object({
  schema: z.literal('certdesk-trust-report/1'),
  generatedAt: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
  generator: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  machine: z.object({ name: z.string().min(1), os: z.enum(['linux', 'macos', 'windows']), osVersion: z.string() }),
  root: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), subject: z.string().nullable() }),
  verdict: z.enum(['trusted', 'partly', 'not-trusted']),
  stores: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['trusted', 'present-not-trusted', 'missing', 'error']),
      detail: z.string(),
    }),
  ),
  runtimes: z.array(z.object({ runtime: z.string(), trusts: z.boolean().nullable(), source: z.string(), note: z.string() })),
  handshake: z.object({ target: z.string(), ok: z.boolean(), detail: z.string() }).nullable(),
})

function sh(script: string, args: string[], env: Record<string, string>): { code: number; out: string; err: string } {
  const run = spawnSync('/bin/sh', [script, ...args], {
    env: { PATH: `${process.env['PATH']}:/usr/sbin:/sbin`, HOME: env['HOME'] ?? tempDir('certdesk-kit-home-'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: run.status ?? -1, out: run.stdout, err: run.stderr }
}

beforeAll(() => {
  root = certs.root('Fleet Root & Co')
  leaf = certs.leaf(root)
  kit = buildFleetKit(Buffer.from(root.pem), { version: '9.8.7' })
  kitDir = tempDir('certdesk-kit-')
  writeFleetKit(kit, kitDir, { overwrite: false })
})

afterAll(() => {
  certs.cleanup()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('the kit files', () => {
  it('are byte-identical across two runs, from PEM and from DER alike', () => {
    const again = buildFleetKit(Buffer.from(root.pem), { version: '9.8.7' })
    const fromDer = buildFleetKit(file(kit, 'root.cer'), { version: '9.8.7' })
    const second = tempDir('certdesk-kit-again-')
    writeFleetKit(again, second, { overwrite: false })
    const names = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    expect(names(second)).toEqual(names(kitDir))
    for (const f of kit.files) {
      expect(readFileSync(join(second, f.path)).equals(readFileSync(join(kitDir, f.path))), f.path).toBe(true)
      expect(file(fromDer, f.path).equals(f.contents), f.path).toBe(true)
    }
    expect(kit.files.map((f) => f.path)).toEqual([
      'root.cer',
      'root.pem',
      'root.mobileconfig',
      'install-windows.ps1',
      'verify-windows.ps1',
      'uninstall-windows.ps1',
      'install-linux.sh',
      'verify-linux.sh',
      'verify-macos.sh',
      'runtimes.sh',
      'ansible-root.yml',
      'firefox/policies.json',
      'README.txt',
    ])
    // Another root gives other files (the UUIDs and fingerprints are the root's).
    const other = buildFleetKit(Buffer.from(certs.root('Fleet Root & Co').pem), { version: '9.8.7' })
    expect(text(other, 'root.mobileconfig')).not.toEqual(text(kit, 'root.mobileconfig'))
  })

  it("root.cer is the root as DER (SHA-256 equal to openssl's) and root.pem the same certificate", () => {
    const der = readFileSync(join(kitDir, 'root.cer'))
    expect(sha256(der)).toBe(sha256Hex(root.pem).toLowerCase())
    expect(kit.root.sha256).toBe(sha256Hex(root.pem).toLowerCase())
    const fromDer = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', join(kitDir, 'root.cer'), '-outform', 'PEM']).toString()
    expect(readFileSync(join(kitDir, 'root.pem'), 'utf8')).toBe(fromDer)
  })

  it('the .mobileconfig parses with plistlib, and its com.apple.security.root payload is the root', () => {
    const script = [
      'import plistlib, sys, json, base64',
      'p = plistlib.load(open(sys.argv[1], "rb"))',
      'c = p["PayloadContent"][0]',
      'print(json.dumps({"type": p["PayloadType"], "uuid": p["PayloadUUID"], "ptype": c["PayloadType"], "puuid": c["PayloadUUID"],',
      '  "ver": c["PayloadVersion"], "der": base64.b64encode(c["PayloadContent"]).decode(), "name": c["PayloadDisplayName"]}))',
    ].join('\n')
    const out = JSON.parse(execFileSync('python3', ['-c', script, join(kitDir, 'root.mobileconfig')]).toString()) as Record<string, unknown>
    expect(out['type']).toBe('Configuration')
    expect(out['ptype']).toBe('com.apple.security.root')
    expect(out['ver']).toBe(1)
    expect(out['name']).toBe('Fleet Root & Co')
    expect(Buffer.from(out['der'] as string, 'base64').equals(file(kit, 'root.cer'))).toBe(true)
    const uuid = /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/
    expect(out['uuid']).toMatch(uuid)
    expect(out['puuid']).toMatch(uuid)
    expect(out['uuid']).not.toBe(out['puuid'])
  })

  it("firefox/policies.json is valid against Mozilla's Certificates policy schema and names the root's file", () => {
    const policies = JSON.parse(text(kit, 'firefox/policies.json')) as { policies: { Certificates: Record<string, unknown> } }
    const validate = new Ajv({ strict: true }).compile(policiesFile)
    expect(validate(policies), JSON.stringify(validate.errors)).toBe(true)
    const certificates = policies.policies.Certificates
    expect(Object.keys(certificates).sort()).toEqual(['ImportEnterpriseRoots', 'Install'])
    expect(certificates['ImportEnterpriseRoots']).toBe(true)
    const [name] = certificates['Install'] as string[]
    expect(name).toMatch(new RegExp(`^certdesk-Fleet-Root-Co-${kit.root.sha256.slice(0, 16).toUpperCase()}\\.cer$`))
    expect(text(kit, 'README.txt')).toContain(`root.cer as ${name}`)
    // The check can fail: a wrong type is refused.
    expect(validate({ policies: { Certificates: { ImportEnterpriseRoots: 'yes' } } })).toBe(false)
  })

  it('the PowerShell scripts: thumbprint, store, embedded root and Intune exit codes (structural; no pwsh here)', () => {
    const thumbprint = sha1Hex(root.pem).toUpperCase()
    for (const name of ['install-windows.ps1', 'verify-windows.ps1', 'uninstall-windows.ps1']) {
      const ps = text(kit, name)
      expect(ps, name).toContain(`$Thumbprint = '${thumbprint}'`)
      expect(ps, name).toContain("$Store = 'Cert:\\LocalMachine\\Root'")
      expect(
        ps.split('\r\n').every((l) => !l.includes('\n')),
        `${name}: CRLF lines`,
      ).toBe(true)
      // Balanced braces and parentheses outside strings and comments.
      const code = ps
        .split('\r\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n')
        .replace(/'[^']*'/g, "''")
        .replace(/"(?:[^"`]|`.)*"/g, '""')
      for (const [open, close] of [
        ['{', '}'],
        ['(', ')'],
      ] as const)
        expect(code.split(open).length, `${name} ${open}${close}`).toBe(code.split(close).length)
      expect(
        [...ps.matchAll(/\bexit (\d+)/g)].map((m) => m[1]).every((c) => c === '0' || c === '1'),
        name,
      ).toBe(true)
    }
    const install = text(kit, 'install-windows.ps1')
    expect(install).toMatch(/Import-Certificate -FilePath \$File -CertStoreLocation Cert:\\LocalMachine\\Root/)
    const embedded = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(install)![1]!
    expect(Buffer.from(embedded, 'base64').equals(file(kit, 'root.cer'))).toBe(true)
    // Idempotent: the store is checked before importing.
    expect(install.indexOf('if ((Get-KitRoot).Count -gt 0)')).toBeLessThan(install.indexOf('Import-Certificate'))
    const verify = text(kit, 'verify-windows.ps1')
    // param() is the first statement; present → stdout and exit 0, absent → exit 1 (Intune detection).
    expect(verify.split('\r\n').find((l) => l && !l.startsWith('#'))).toBe("param([string]$Report = '')")
    expect(verify).toMatch(/Write-Output "Detected: [^"]+"\r\n {2}exit 0\r\n\}\r\nexit 1\r\n$/)
    expect(verify).toContain("schema = 'certdesk-trust-report/1'")
    expect(verify).toContain("generator = [ordered]@{ name = 'certdesk-kit/verify-windows.ps1'; version = '9.8.7' }")
    expect(text(kit, 'uninstall-windows.ps1')).toContain('$Found | Remove-Item -Force')
    expect(text(kit, 'README.txt')).toContain('certutil -addstore -f Root root.cer')
  })

  it('ansible-root.yml is YAML of three tasks that copy the PEM and refresh only on change', () => {
    const script = 'import yaml, sys, json; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))'
    const tasks = JSON.parse(execFileSync('python3', ['-c', script, join(kitDir, 'ansible-root.yml')]).toString()) as Array<
      Record<string, Record<string, string> | string>
    >
    expect(tasks).toHaveLength(3)
    const copy = tasks[1]!['ansible.builtin.copy'] as Record<string, string>
    expect(copy['content']).toBe(root.pem.replace(/\r\n/g, '\n'))
    expect(tasks[2]!['when']).toBe('certdesk_root_copy.changed')
    expect((tasks[0]!['ansible.builtin.set_fact'] as Record<string, string>)['certdesk_root_anchor']).toContain(
      "'Debian': '/usr/local/share/ca-certificates/certdesk-Fleet-Root-Co-",
    )
  })

  it('every shell script passes sh -n, and every text file starts with where it goes', () => {
    for (const name of ['install-linux.sh', 'verify-linux.sh', 'verify-macos.sh', 'runtimes.sh']) {
      expect(spawnSync('/bin/sh', ['-n', join(kitDir, name)]).status, name).toBe(0)
      expect(text(kit, name).startsWith('#!/bin/sh\n'), name).toBe(true)
    }
    for (const f of kit.files.filter((f) => !['root.cer', 'root.pem', 'firefox/policies.json', 'README.txt'].includes(f.path)))
      expect(f.contents.toString('utf8'), f.path).toMatch(/Where it goes: /)
  })

  it("refuses a leaf, an expired root, a key and a bundle with the trust store's words", async () => {
    const kitOf = (input: string) => () => buildFleetKit(Buffer.from(input), { version: '1' })
    expect(kitOf(leaf.pem)).toThrow(/is not a CA certificate/)
    expect(kitOf(await certs.expiredRoot('Old Root'))).toThrow(/expired on/)
    expect(kitOf(leaf.keyPem)).toThrow(/private key/)
    expect(kitOf(root.pem + leaf.pem)).toThrow(/holds 2 certificates/)
  })
})

describe('install-linux.sh and verify-linux.sh in a throwaway Debian tree', () => {
  let tree: ReturnType<typeof makeDebianTree>
  let server: Awaited<ReturnType<typeof startTlsServer>>
  const env = () => ({ CERTDESK_KIT_ROOT: tree.root })
  /** curl against the loopback server (asynchronously: the server runs in this process). */
  const curl = (extra: string[]) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        'curl',
        ['-sS', '-o', '/dev/null', '--http0.9', '--noproxy', '*', ...extra, `https://localhost:${server.port}/`],
        {
          timeout: 20_000,
        },
      )
      let stderr = ''
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('close', (status) => resolve({ status, stderr }))
    })
  const verify = (reportName: string) => {
    const report = join(tree.root, reportName)
    return { ...sh(join(kitDir, 'verify-linux.sh'), ['--report', report], env()), report }
  }
  const readReport = (path: string) => TrustReport.parse(JSON.parse(readFileSync(path, 'utf8')))

  beforeAll(async () => {
    tree = makeDebianTree(2)
    const refresh = await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)
    expect(refresh.code).toBe(0)
    server = await startTlsServer(leaf.pem + root.pem, leaf.keyPem)
  })
  afterAll(async () => {
    // close() waits for every connection to end; curl's last one may linger, and the process ends anyway.
    await Promise.race([server.close(), new Promise((resolve) => setTimeout(resolve, 2000))])
    tree.cleanup()
  })

  it('installs (curl then verifies the loopback server), is idempotent, and --remove leaves the tree byte-identical', async () => {
    const before = snapshotTree(tree.root)
    expect((await curl(['--cacert', tree.bundle])).status).toBe(60) // not trusted yet: curl's "peer certificate cannot be authenticated"
    const notYet = verify('before.json')
    expect(notYet.code, notYet.err).toBe(1)
    const missing = readReport(notYet.report)
    expect(missing.verdict).toBe('not-trusted')
    expect(missing.stores).toEqual([expect.objectContaining({ id: 'system', status: 'missing' })])
    rmSync(notYet.report)

    const installed = sh(join(kitDir, 'install-linux.sh'), [], env())
    expect(installed.code, installed.err).toBe(0)
    expect(installed.out).toContain('Installed the root "CN=Fleet Root & Co, O=Certdesk Test" into the Debian/Ubuntu system store')
    const anchor = join(tree.anchors, `certdesk-Fleet-Root-Co-${kit.root.sha256.slice(0, 16).toUpperCase()}.crt`)
    expect(readFileSync(anchor, 'utf8')).toBe(readFileSync(join(kitDir, 'root.pem'), 'utf8'))
    const viaBundle = await curl(['--cacert', tree.bundle])
    expect(viaBundle.status, viaBundle.stderr).toBe(0)
    const viaHashLinks = await curl(['--capath', join(tree.root, 'etc/ssl/certs')])
    expect(viaHashLinks.status, viaHashLinks.stderr).toBe(0)

    const after = snapshotTree(tree.root)
    const again = sh(join(kitDir, 'install-linux.sh'), [], env())
    expect(again.code).toBe(0)
    expect(again.out).toContain('Already installed and trusted')
    expect(snapshotTree(tree.root)).toEqual(after)

    const trusted = verify('after.json')
    expect(trusted.code, trusted.err).toBe(0)
    const report = readReport(trusted.report)
    expect(report).toMatchObject({
      generator: { name: 'certdesk-kit/verify-linux.sh', version: '9.8.7' },
      machine: { os: 'linux', osVersion: '' },
      root: { sha256: kit.root.sha256, subject: 'CN=Fleet Root & Co, O=Certdesk Test' },
      verdict: 'trusted',
      runtimes: [],
      handshake: null,
    })
    expect(report.stores).toEqual([expect.objectContaining({ id: 'system', status: 'trusted' })])
    rmSync(trusted.report)

    const removed = sh(join(kitDir, 'install-linux.sh'), ['--remove'], env())
    expect(removed.code, removed.err).toBe(0)
    expect(snapshotTree(tree.root)).toEqual(before)
    expect((await curl(['--cacert', tree.bundle])).status).toBe(60)
    const removeAgain = sh(join(kitDir, 'install-linux.sh'), ['--remove'], env())
    expect(removeAgain.code).toBe(0)
    expect(removeAgain.out).toContain('nothing changed')
    expect(snapshotTree(tree.root)).toEqual(before)
  })

  it('verify-linux.sh says present-not-trusted for an anchor the bundle lacks, and exits 2 on a bad argument', () => {
    const anchor = join(tree.anchors, `certdesk-Fleet-Root-Co-${kit.root.sha256.slice(0, 16).toUpperCase()}.crt`)
    writeFileSync(anchor, root.pem)
    try {
      const stale = verify('stale.json')
      expect(stale.code).toBe(1)
      const report = readReport(stale.report)
      expect(report.verdict).toBe('not-trusted')
      expect(report.stores[0]).toMatchObject({ status: 'present-not-trusted' })
      expect(report.stores[0]!.detail).toContain('run update-ca-certificates as root')
      rmSync(stale.report)
    } finally {
      rmSync(anchor)
    }
    const bad = sh(join(kitDir, 'verify-linux.sh'), ['--bogus'], env())
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('verify-linux.sh: unknown argument "--bogus"')
    expect(sh(join(kitDir, 'install-linux.sh'), ['--bogus'], env()).code).toBe(2)
  })
})

describe('install-linux.sh chooses the family from os-release', () => {
  const cases = [
    ['ID=fedora', 'etc/pki/ca-trust/source/anchors', '.pem'],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"', 'etc/pki/ca-trust/source/anchors', '.pem'],
    ['ID=opensuse-leap\nID_LIKE="suse opensuse"', 'etc/pki/trust/anchors', '.pem'],
    ['ID=opensuse-microos', 'etc/pki/trust/anchors', '.pem'],
    ['ID=arch', 'etc/ca-certificates/trust-source/anchors', '.crt'],
    ["ID='linuxmint'\nID_LIKE='ubuntu debian'", 'usr/local/share/ca-certificates', '.crt'],
  ] as const
  it.each(cases)('%s → %s', (osRelease, anchors, ext) => {
    const treeRoot = tempDir('certdesk-kit-family-')
    mkdirSync(join(treeRoot, 'etc'), { recursive: true })
    writeFileSync(join(treeRoot, 'etc/os-release'), `${osRelease}\nPRETTY_NAME="Test Linux"\n`)
    const run = sh(join(kitDir, 'install-linux.sh'), [], { CERTDESK_KIT_ROOT: treeRoot })
    const anchor = join(treeRoot, anchors, `certdesk-Fleet-Root-Co-${kit.root.sha256.slice(0, 16).toUpperCase()}${ext}`)
    if (anchors.startsWith('usr/local')) {
      // Debian's tool runs inside the (empty) tree and fails there: the anchor is taken back out.
      expect(run.code).toBe(1)
      expect(() => readFileSync(anchor)).toThrow()
    } else {
      expect(run.code, run.err).toBe(0)
      expect(readFileSync(anchor, 'utf8')).toBe(root.pem)
    }
  })

  it('an os-release it does not know: the refresh tool present decides (as the app does)', () => {
    const treeRoot = tempDir('certdesk-kit-family-')
    mkdirSync(join(treeRoot, 'etc'), { recursive: true })
    writeFileSync(join(treeRoot, 'etc/os-release'), 'ID=plan9\nPRETTY_NAME="Plan 9"\n')
    const run = sh(join(kitDir, 'install-linux.sh'), [], { CERTDESK_KIT_ROOT: treeRoot })
    // This machine has update-ca-certificates (Debian), which fails in the empty tree: refused, nothing left behind.
    expect(run.code).toBe(1)
    expect(run.err).toContain('update-ca-certificates failed; removing')
    expect(readdirSync(join(treeRoot, 'usr/local/share/ca-certificates'))).toEqual([])
  })
})

describe('runtimes.sh', () => {
  it('--apply writes the env file, points git at the combined bundle and imports into each JDK, once', () => {
    const tree = makeDebianTree(1)
    dirs.push(tree.root)
    execFileSync(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args, { stdio: 'pipe' })
    // A JDK of the tree: this machine's keytool and a copy of its cacerts.
    const jdk = join(tree.root, 'usr/lib/jvm/test-jdk')
    mkdirSync(join(jdk, 'bin'), { recursive: true })
    mkdirSync(join(jdk, 'lib/security'), { recursive: true })
    symlinkSync(realpathSync('/usr/bin/keytool'), join(jdk, 'bin/keytool'))
    const realCacerts = realpathSync(join(realpathSync('/usr/bin/keytool'), '../../lib/security/cacerts'))
    const realBefore = sha256(readFileSync(realCacerts))
    copyFileSync(realCacerts, join(jdk, 'lib/security/cacerts'))

    const run = sh(join(kitDir, 'runtimes.sh'), ['--apply'], { CERTDESK_KIT_ROOT: tree.root })
    expect(run.code, run.err).toBe(0)
    expect(run.out).toContain(`java: imported into ${join(jdk, 'lib/security/cacerts')}`)
    const alias = `certdesk-fleet-root-co-${kit.root.sha256.slice(0, 16)}`
    const listed = execFileSync('keytool', [
      '-list',
      '-keystore',
      join(jdk, 'lib/security/cacerts'),
      '-storepass',
      'changeit',
      '-alias',
      alias,
    ])
    expect(listed.toString().replace(/:/g, '')).toContain(kit.root.sha256.toUpperCase())
    expect(sha256(readFileSync(realCacerts))).toBe(realBefore)

    const data = join(tree.root, 'usr/local/share/certdesk')
    const name = `certdesk-Fleet-Root-Co-${kit.root.sha256.slice(0, 16).toUpperCase()}`
    const envFile = readFileSync(join(tree.root, 'etc/profile.d', `${name}.sh`), 'utf8')
    expect(envFile).toContain(`export NODE_EXTRA_CA_CERTS="${join(data, `${name}.pem`)}"`)
    expect(envFile).toContain(`export REQUESTS_CA_BUNDLE="${join(data, `${name}-bundle.pem`)}"`)
    const bundle = readFileSync(join(data, `${name}-bundle.pem`), 'utf8')
    expect(bundle.startsWith(readFileSync(tree.bundle, 'utf8'))).toBe(true)
    expect(bundle.endsWith(root.pem)).toBe(true)
    const git = execFileSync('git', ['config', '--file', join(tree.root, 'etc/gitconfig'), 'http.sslCAInfo'])
      .toString()
      .trim()
    expect(git).toBe(join(data, `${name}-bundle.pem`))

    const again = sh(join(kitDir, 'runtimes.sh'), ['--apply'], { CERTDESK_KIT_ROOT: tree.root })
    expect(again.out).toContain('already trusts the root')
    expect(sh(join(kitDir, 'runtimes.sh'), ['--dockerfile'], {}).out).toContain('RUN update-ca-certificates')
    expect(sh(join(kitDir, 'runtimes.sh'), [], {}).code).toBe(2)
  })
})

/** CI runs as root on a throwaway machine: there the kit also changes the real system store, and undoes it. */
describe.runIf(process.env['CI'] === 'true' && process.getuid?.() === 0)('on CI (root): the real system store', () => {
  it('install-linux.sh makes curl trust the loopback server through the system store; --remove restores it byte for byte', async () => {
    const server = await startTlsServer(leaf.pem + root.pem, leaf.keyPem)
    const systemCurl = () =>
      new Promise<number | null>((resolve) => {
        const args = ['-sS', '-o', '/dev/null', '--http0.9', '--noproxy', '*', `https://localhost:${server.port}/`]
        execFile('curl', args, { timeout: 20_000 }, (error) => resolve(error ? ((error as { code?: number }).code ?? -1) : 0))
      })
    // The hooks rewrite java/cacerts on every run (a new salt each time): it is compared by the certificates it holds.
    const javaStore = '/etc/ssl/certs/java/cacerts'
    const javaRoots = () =>
      spawnSync('keytool', ['-list', '-keystore', javaStore, '-storepass', 'changeit'], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter((l) => l.includes('(SHA-256)'))
        .sort()
    const system = () => {
      const certs = snapshotTree('/etc/ssl/certs')
      delete certs['java/cacerts']
      return { anchors: snapshotTree('/usr/local/share/ca-certificates'), certs, java: javaRoots() }
    }
    // A current bundle first, so what --remove leaves can be compared with it.
    execFileSync(UPDATE_CA_CERTIFICATES, { stdio: 'pipe' })
    const before = system()
    try {
      expect(await systemCurl()).toBe(60)
      const installed = sh(join(kitDir, 'install-linux.sh'), [], {})
      expect(installed.code, installed.err).toBe(0)
      expect(await systemCurl()).toBe(0)
      const report = join(tempDir('certdesk-kit-ci-'), 'report.json')
      const verified = sh(join(kitDir, 'verify-linux.sh'), ['--report', report], {})
      expect(verified.code, verified.err).toBe(0)
      expect(TrustReport.parse(JSON.parse(readFileSync(report, 'utf8'))).verdict).toBe('trusted')
    } finally {
      const removed = sh(join(kitDir, 'install-linux.sh'), ['--remove'], {})
      expect(removed.code, removed.err).toBe(0)
      await Promise.race([server.close(), new Promise((resolve) => setTimeout(resolve, 2000))])
    }
    expect(system()).toEqual(before)
  })
})
