import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRootForInstall } from '../../../src/main/truststore/certificates'
import { execRunner } from '../../../src/main/truststore/exec'
import { NssStore, parseCertutilList } from '../../../src/main/truststore/nss'
import { TrustService } from '../../../src/main/truststore/service'
import { discoverNssDatabases } from '../../../src/main/truststore/nss-discovery'
import { CertFactory, sha256Hex, type TestCert } from '../../support/cert-factory'
import { startTlsServer } from '../../support/tls-server'

const certs = new CertFactory()
let home: string
let elsewhere: string
let rootA: TestCert
let rootB: TestCert
let leafA: TestCert

const newDb = (dir: string) => {
  mkdirSync(dir, { recursive: true })
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`])
}
const sha = (pem: string) => ({ algorithm: 'sha256' as const, hex: sha256Hex(pem) })

/** NSS's own TLS client against the database: exit 0 only when NSS accepts the chain. */
function nssHandshake(port: number, dir: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'tstclnt',
      ['-h', '127.0.0.1', '-p', String(port), '-a', 'localhost', '-d', `sql:${dir}`],
      { timeout: 15_000 },
      (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }),
    )
    child.stdin?.end('')
  })
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'certdesk-home-'))
  elsewhere = mkdtempSync(join(tmpdir(), 'certdesk-abs-profile-'))
  const ff = join(home, '.mozilla/firefox')
  newDb(join(ff, 'abcd1234.default-release'))
  mkdirSync(join(ff, 'never-opened.default'), { recursive: true }) // no cert9.db: must not count
  newDb(elsewhere)
  writeFileSync(
    join(ff, 'profiles.ini'),
    [
      '[Install4F96D1932A9F858E]',
      'Default=abcd1234.default-release',
      'Locked=1',
      '',
      '[Profile0]',
      'Name=default-release',
      'IsRelative=1',
      'Path=abcd1234.default-release',
      'Default=1',
      '',
      '[Profile1]',
      'Name=never',
      'IsRelative=1',
      'Path=never-opened.default',
      '',
      '[Profile2]',
      'Name=work',
      'IsRelative=0',
      `Path=${elsewhere}`,
      '',
      '[General]',
      'StartWithLastProfile=1',
      'Version=2',
      '',
    ].join('\n'),
  )
  newDb(join(home, '.pki/nssdb'))
  newDb(join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/flat.default'))
  writeFileSync(
    join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/profiles.ini'),
    '[Profile0]\r\nName=flat\r\nIsRelative=1\r\nPath=flat.default\r\n',
  )
  rootA = certs.root('NSS Twin Root', { serial: 99 })
  rootB = certs.root('NSS Other Root', { serial: 99 })
  leafA = certs.leaf(rootA)
})
afterAll(() => {
  rmSync(home, { recursive: true, force: true })
  rmSync(elsewhere, { recursive: true, force: true })
  certs.cleanup()
})

describe('NSS discovery', () => {
  it('finds ~/.pki/nssdb and every Firefox profile with cert9.db from profiles.ini (relative, absolute, Flatpak), once each', () => {
    const dbs = discoverNssDatabases({ home, platform: 'linux', env: {} })
    expect(dbs.map((d) => d.dir).sort()).toEqual(
      [
        join(home, '.pki/nssdb'),
        join(home, '.mozilla/firefox/abcd1234.default-release'),
        elsewhere,
        join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/flat.default'),
      ].sort(),
    )
    expect(dbs.find((d) => d.dir === elsewhere)?.label).toBe('Firefox profile work')
    expect(dbs.find((d) => d.dir.includes('.var'))?.label).toBe('Firefox (Flatpak) profile flat')
  })
})

describe('NSS store (real certutil on throwaway databases)', () => {
  it('install makes NSS itself accept the server, twice is a no-op, remove makes it refuse again', async () => {
    const dir = join(home, '.mozilla/firefox/abcd1234.default-release')
    const store = new NssStore({ dir, label: 'Firefox', app: 'firefox' }, execRunner)
    const server = await startTlsServer(leafA.pem, leafA.keyPem)
    try {
      expect((await nssHandshake(server.port, dir)).ok).toBe(false)
      expect(await store.install(parseRootForInstall(Buffer.from(rootA.pem)))).toMatchObject({ status: 'installed', storeId: `nss:${dir}` })
      const listed = parseCertutilList(execFileSync('certutil', ['-L', '-d', `sql:${dir}`]).toString())
      expect(listed).toEqual([{ nickname: expect.stringMatching(/^NSS Twin Root \(certdesk [0-9A-F]{8}\)$/), flags: 'C,,' }])
      const hs = await nssHandshake(server.port, dir)
      expect(hs.ok, hs.output).toBe(true)

      expect((await store.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('already-present')
      expect(parseCertutilList(execFileSync('certutil', ['-L', '-d', `sql:${dir}`]).toString())).toHaveLength(1)

      expect((await store.remove(sha(rootA.pem))).status).toBe('removed')
      expect(await store.list()).toEqual([])
      expect((await nssHandshake(server.port, dir)).ok).toBe(false)
      expect((await store.remove(sha(rootA.pem))).status).toBe('not-present')
    } finally {
      await server.close()
    }
  })

  it('removes only the matching root: another with the same serial stays with its trust', async () => {
    const dir = join(home, '.pki/nssdb')
    const store = new NssStore({ dir, label: 'Chromium', app: 'chromium' }, execRunner)
    await store.install(parseRootForInstall(Buffer.from(rootA.pem)))
    await store.install(parseRootForInstall(Buffer.from(rootB.pem)))
    expect(await store.list()).toHaveLength(2)
    expect((await store.remove(sha(rootA.pem))).status).toBe('removed')
    const left = await store.list()
    expect(left.map((e) => e.sha256)).toEqual([sha256Hex(rootB.pem)])
    expect(left[0]?.trust).toBe('trusted')
  })

  it('sets trust on a root present without it (present-not-trusted → trusted), no second copy', async () => {
    const dir = elsewhere
    execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', ',,', '-n', 'untrusted copy', '-i', rootB.certPath])
    const store = new NssStore({ dir, label: 'work', app: 'firefox' }, execRunner)
    const [entry] = await store.find(sha(rootB.pem))
    expect(entry).toMatchObject({ trust: 'present-not-trusted', location: 'untrusted copy' })
    expect((await store.install(parseRootForInstall(Buffer.from(rootB.pem)))).status).toBe('installed')
    expect(parseCertutilList(execFileSync('certutil', ['-L', '-d', `sql:${dir}`]).toString())).toEqual([
      { nickname: 'untrusted copy', flags: 'C,,' },
    ])
  })

  it('reports the NSS refusal of a different root with the same issuer and serial, with a fix', async () => {
    const dir = join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox/flat.default')
    const twin = certs.root('NSS Twin Root', { serial: 99 })
    const store = new NssStore({ dir, label: 'flat', app: 'firefox' }, execRunner)
    expect((await store.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('installed')
    const clash = await store.install(parseRootForInstall(Buffer.from(twin.pem)))
    expect(clash.status).toBe('failed')
    expect(clash.toolOutput).toMatch(/REUSED_ISSUER_AND_SERIAL/)
    expect(clash.hint).toMatch(/same issuer and serial/)
    expect((await store.list()).map((e) => e.sha256)).toEqual([sha256Hex(rootA.pem)])
  })

  it('a re-keyed root sharing a nickname keeps its own trust: the distrusted one is never reported or left trusted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-nss-rekey-'))
    try {
      newDb(dir)
      const trusted = certs.root('Rekeyed Root', { serial: 1 })
      const distrusted = certs.root('Rekeyed Root', { serial: 2 })
      execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', 'C,,', '-n', 'Rekeyed Root', '-i', trusted.certPath])
      execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', 'p,p,p', '-n', 'Rekeyed Root', '-i', distrusted.certPath])
      const flagsNow = () =>
        parseCertutilList(execFileSync('certutil', ['-L', '-d', `sql:${dir}`]).toString())
          .map((l) => l.flags.trim())
          .sort()
      const store = new NssStore({ dir, label: 'rekey', app: 'firefox' }, execRunner)
      expect((await store.find(sha(distrusted.pem))).map((e) => e.trust)).toEqual(['present-not-trusted'])
      expect((await store.find(sha(trusted.pem))).map((e) => e.trust)).toEqual(['trusted'])
      const service = new TrustService({ stores: [store] })
      expect((await service.verify(distrusted.pem)).allTrusted).toBe(false)

      expect((await store.remove(sha(trusted.pem))).status).toBe('removed')
      expect(flagsNow()).toEqual(['p,p,p'])
      expect((await store.list()).map((e) => [e.sha256, e.trust])).toEqual([[sha256Hex(distrusted.pem), 'present-not-trusted']])

      // And the other way round: removing the distrusted one leaves the trusted one trusted.
      execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', 'C,,', '-n', 'Rekeyed Root', '-i', trusted.certPath])
      expect((await store.remove(sha(distrusted.pem))).status).toBe('removed')
      expect(flagsNow()).toEqual(['C,,'])
      expect((await store.list()).map((e) => [e.sha256, e.trust])).toEqual([[sha256Hex(trusted.pem), 'trusted']])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a missing database fails with a hint instead of throwing', async () => {
    const store = new NssStore({ dir: join(home, 'nope'), label: 'gone', app: 'firefox' }, execRunner)
    const result = await store.install(parseRootForInstall(Buffer.from(rootA.pem)))
    expect(result.status).toBe('failed')
    expect(result.hint).toMatch(/Firefox/)
  })
})
