import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { ActivityLog } from '../../../src/main/storage/activity'
import { TrustService, detectTrustStores, probeLocalRoot } from '../../../src/main/truststore'
import { parseRootForInstall as parseRoot } from '../../../src/main/truststore/certificates'
import { execRunner } from '../../../src/main/truststore/exec'
import { JavaStore } from '../../../src/main/truststore/java'
import { debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import { CertFactory, opensslRoot, sha256Hex, type TestCert } from '../../support/cert-factory'
import { startTlsServer } from '../../support/tls-server'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../../support/debian-tree'

const certs = new CertFactory()
let tree: ReturnType<typeof makeDebianTree>
let home: string
let logDir: string
let root: TestCert
let leaf: TestCert
let activity: ActivityLog
let service: TrustService
let nssDir: string

/** A small real lint for the test: a root must have keyUsage with keyCertSign; warn past 10 years. */
function lintRoot(der: Uint8Array): { errors: string[]; warnings: string[] } {
  const cert = new x509.X509Certificate(der)
  const ku = cert.getExtension(x509.KeyUsagesExtension)
  const errors = ku && ku.usages & x509.KeyUsageFlags.keyCertSign ? [] : ['keyUsage must include keyCertSign for a CA (RFC 5280 4.2.1.3)']
  const years = (cert.notAfter.getTime() - cert.notBefore.getTime()) / (365.25 * 86_400_000)
  return { errors, warnings: years > 10 ? [`validity of ${years.toFixed(0)} years`] : [] }
}

beforeAll(async () => {
  tree = makeDebianTree(2)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  home = join(tree.root, 'home')
  nssDir = join(home, '.pki/nssdb')
  mkdirSync(nssDir, { recursive: true })
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${nssDir}`])
  logDir = mkdtempSync(join(tmpdir(), 'certdesk-activity-'))
  activity = new ActivityLog(logDir)
  root = certs.root('Service Root')
  leaf = certs.leaf(root)
  const stores = detectTrustStores({
    platform: 'linux',
    sysroot: tree.root,
    home,
    env: { PATH: process.env['PATH'] },
    java: false,
    elevator: null,
  })
  service = new TrustService({ stores, lintRoot, activity, env: { PATH: process.env['PATH'], HOME: home } })
})
afterAll(() => {
  tree.cleanup()
  rmSync(logDir, { recursive: true, force: true })
  certs.cleanup()
})

function expectRefusal(fn: () => Promise<unknown>, reason: string) {
  return expect(fn()).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'bad_input' && e.details?.['reason'] === reason)
}

describe('TrustService over a throwaway Debian tree and NSS home', () => {
  it('detects the Debian system store and the NSS database, and reports list progress', async () => {
    expect(service.describe().map((d) => d.id)).toEqual(['linux-system', `nss:${nssDir}`])
    expect(service.describe()[0]).toMatchObject({ label: 'System (Debian/Ubuntu)', location: tree.anchors })
    const progress: Array<[number, number]> = []
    const listings = await service.list(undefined, (p) => progress.push([p.done, p.total]))
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ])
    expect(listings[0]?.entries).toHaveLength(2)
    expect(listings[1]?.entries).toHaveLength(0)
    expect(JSON.stringify(listings)).not.toContain('"der"')
    expect((await service.list(['nss'])).map((l) => l.store.kind)).toEqual(['nss'])
    await expect(service.list(['bogus'])).rejects.toThrow(/Unknown trust store: bogus/)
  })

  it('refuses bad input with specific errors and writes nothing anywhere', async () => {
    const bundle = readFileSync(tree.bundle, 'utf8')
    await expectRefusal(() => service.install(certs.leaf(root).pem), 'not_ca')
    await expectRefusal(async () => service.install(await certs.expiredRoot('Expired')), 'expired')
    await expectRefusal(() => service.install(root.keyPem), 'private_key')
    await expectRefusal(() => service.install(certs.csr()), 'csr')
    await expectRefusal(() => service.install('garbage \u0000\u0001'), 'not_a_certificate')
    expect(readdirSync(tree.anchors)).toEqual([])
    expect(readFileSync(tree.bundle, 'utf8')).toBe(bundle)
    expect(execFileSync('certutil', ['-L', '-d', `sql:${nssDir}`]).toString()).not.toMatch(/C,,/)
    expect(activity.list()).toEqual([])
  })

  it('verify of a certificate says up front whether install would take it (leaf, expired root: no, with the reason)', async () => {
    expect((await service.verify(root.pem)).installable).toEqual({ ok: true })
    expect((await service.verify(leaf.pem)).installable).toEqual({
      ok: false,
      message: expect.stringMatching(/is not a CA certificate/),
      hint: expect.stringMatching(/Install the CA that issued it/),
    })
    expect((await service.verify(await certs.expiredRoot('Expired Up Front'))).installable).toMatchObject({
      ok: false,
      message: expect.stringMatching(/expired on/),
    })
    expect((await service.verify(sha256Hex(root.pem))).installable).toBeUndefined()
    expect(() => service.checkInstallable(leaf.pem)).toThrow(/is not a CA certificate/)
  })

  it('installs into every store with one outcome each, lints first, and logs each change', async () => {
    const noKu = certs.write('noku.pem', '')
    opensslRoot(noKu, `${noKu}.key`, { subject: '/CN=No KU Root', days: 5000, ext: ['basicConstraints=critical,CA:TRUE'] })
    const report = await service.install(readFileSync(noKu, 'utf8'))
    expect(report.warnings).toEqual([
      'Lint error: keyUsage must include keyCertSign for a CA (RFC 5280 4.2.1.3)',
      'Lint warning: validity of 14 years',
    ])
    expect(report.outcomes.map((o) => [o.storeId, o.status])).toEqual([
      ['linux-system', 'installed'],
      [`nss:${nssDir}`, 'installed'],
    ])
    const logged = activity.list()
    expect(logged.map((e) => [e.action, e.target, e.outcome])).toEqual([
      ['trust.install', `nss:${nssDir} ${report.fingerprint}`, 'ok'],
      ['trust.install', `linux-system ${report.fingerprint}`, 'ok'],
    ])
    const removal = await service.remove(noKu)
    expect(removal.outcomes.map((o) => o.status)).toEqual(['removed', 'removed'])
  })

  it('verify: missing everywhere → fix per store; after install → trusted everywhere, in every fingerprint spelling', async () => {
    const fp = sha256Hex(root.pem)
    const before = await service.verify(fp)
    expect(before.allTrusted).toBe(false)
    expect(before.lines.map((l) => [l.storeId, l.status])).toEqual([
      ['linux-system', 'missing'],
      [`nss:${nssDir}`, 'missing'],
    ])
    expect(before.lines[0]?.fix).toBe('certdesk trust install ROOT.pem --store linux-system')
    // Asked by fingerprint and held nowhere: nothing to name it by.
    expect(before.root).toBeUndefined()

    const report = await service.install(root.pem, ['all'])
    expect(report.outcomes.every((o) => o.status === 'installed')).toBe(true)
    const gateway = fp
      .match(/../g)!
      .map((b) => b.replace(/^0/, ''))
      .join(':')
    const md5 = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-md5'], { input: root.pem }).toString().trim()
    for (const input of [fp, gateway, root.pem, root.certPath, md5]) {
      const v = await service.verify(input)
      expect(
        v.lines.map((l) => l.status),
        input,
      ).toEqual(['trusted', 'trusted'])
      expect(v.allTrusted).toBe(true)
      // A bare fingerprint is named from the store that holds it, as a PEM is from itself.
      expect(v.root, input).toMatchObject({ sha256: fp, subject: 'CN=Service Root, O=Certdesk Test', selfSigned: true })
    }
    expect((await service.verify(md5)).fingerprint.algorithm).toBe('md5')
    expect((await service.find(root.certPath)).map((f) => f.entries.length)).toEqual([1, 1])
  })

  it('proves it by handshake: the local probe verifies against the system bundle, the host probe finds the anchor store', async () => {
    const bundle = readFileSync(tree.bundle, 'utf8')
    const local = await probeLocalRoot(root.pem, root.keyPem, [bundle])
    expect(local).toMatchObject({ host: '127.0.0.1', verified: true })
    expect(local.chain[0]?.issuer).toBe('CN=Service Root, O=Certdesk Test')
    const other = certs.root('Not Installed')
    expect((await probeLocalRoot(other.pem, other.keyPem, [bundle])).verified).toBe(false)

    const server = await startTlsServer(leaf.pem, leaf.keyPem)
    try {
      const probed = await service.probeHost('127.0.0.1', server.port, { ca: [bundle], servername: 'localhost' })
      expect(probed.verified).toBe(true)
      // Node completes the chain with the trusted root from the CA set it verified against.
      expect(probed.chain.map((c) => c.subject)).toEqual(['CN=localhost', 'CN=Service Root, O=Certdesk Test'])
      expect(probed.anchor).toEqual({
        sha256: sha256Hex(root.pem),
        sha1: expect.any(String),
        subject: 'CN=Service Root, O=Certdesk Test',
        storeIds: ['linux-system', `nss:${nssDir}`],
      })
      // Against the OS store as Node sees it (the real machine, untouched), it does not verify.
      const system = await service.probeHost('127.0.0.1', server.port, { servername: 'localhost' })
      expect(system.verified).toBe(false)
      // In words, with OpenSSL's code kept for searching.
      expect(system.verifyError).toMatch(
        /^The (server sent its certificate without the chain|root \(or an intermediate\) that signed this chain is not trusted).* \[(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\]$/,
      )
    } finally {
      await server.close()
    }
  })

  it('reports the runtimes that ignore the OS store by checking the files they read', async () => {
    const extra = certs.write('extra.pem', root.pem)
    const gitconfig = certs.write('gitconfig', `[http]\n\tsslCAInfo = ${certs.write('git-ca.pem', certs.root('Git Only').pem)}\n`)
    const svc = new TrustService({
      stores: service.stores,
      env: {
        PATH: process.env['PATH'],
        HOME: home,
        NODE_EXTRA_CA_CERTS: extra,
        SSL_CERT_FILE: extra,
        GIT_CONFIG_GLOBAL: gitconfig,
        GIT_CONFIG_NOSYSTEM: '1',
      },
    })
    const v = await svc.verify(sha256Hex(root.pem))
    const by = Object.fromEntries(v.runtimes.map((r) => [r.runtime, r]))
    expect(by['node']).toMatchObject({ source: 'NODE_EXTRA_CA_CERTS', trusts: true })
    expect(by['python']).toMatchObject({ source: 'SSL_CERT_FILE', trusts: true })
    expect(by['java']).toMatchObject({ trusts: null })
    expect(by['git']).toMatchObject({ source: 'http.sslCAInfo', trusts: false })
    const plain = new TrustService({
      stores: service.stores,
      env: { PATH: '/usr/bin:/bin', HOME: home, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    })
    const byPlain = Object.fromEntries((await plain.verify(sha256Hex(root.pem))).runtimes.map((r) => [r.runtime, r]))
    expect(byPlain['node']).toMatchObject({ source: 'bundled roots', trusts: false })
    expect(byPlain['git']).toMatchObject({ source: 'system store', trusts: true })
  })

  it('remove by fingerprint takes it out of every store, a second remove is a clear no-op', async () => {
    const first = await service.remove(sha256Hex(root.pem))
    expect(first.outcomes.map((o) => o.status)).toEqual(['removed', 'removed'])
    const second = await service.remove(sha256Hex(root.pem))
    expect(second.outcomes.map((o) => [o.status, o.message])).toEqual([
      ['not-present', 'Not in this store; nothing changed.'],
      ['not-present', 'Not in this database; nothing changed.'],
    ])
    expect((await service.verify(root.pem)).lines.map((l) => l.status)).toEqual(['missing', 'missing'])
    await expect(service.remove('MD5 Fingerprint=' + '00'.repeat(16))).rejects.toThrow(/too weak/)
  })
})

describe('Java cacerts (real keytool on a throwaway keystore)', () => {
  it('imports, is idempotent, and deletes only by the matching fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-java-'))
    try {
      const cacerts = join(dir, 'cacerts')
      const seed = certs.root('Java Seed')
      execFileSync(
        'keytool',
        ['-importcert', '-noprompt', '-keystore', cacerts, '-storepass', 'changeit', '-alias', 'seed', '-file', seed.certPath],
        { stdio: 'pipe' },
      )
      const store = new JavaStore({ javaHome: dir, cacerts, keytool: 'keytool', source: 'JAVA_HOME' }, execRunner)
      const javaRoot = parseRoot(Buffer.from(certs.root('Java Root').pem))
      expect((await store.install(javaRoot)).status).toBe('installed')
      expect((await store.install(javaRoot)).status).toBe('already-present')
      const listed = execFileSync('keytool', ['-list', '-keystore', cacerts, '-storepass', 'changeit']).toString()
      expect(listed).toMatch(/certdesk-java-root-[0-9a-f]{8}/)
      expect((await store.remove({ algorithm: 'sha256', hex: javaRoot.summary.sha256 })).status).toBe('removed')
      expect((await store.list()).map((e) => e.location)).toEqual(['seed'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
