import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest'
import { parseRootForInstall } from '../../../src/main/truststore/certificates'
import { execRunner } from '../../../src/main/truststore/exec'
import { digest } from '../../../src/main/certs/fingerprint'
import { findIn } from '../../../src/main/truststore/types'
import { LinuxSystemStore, debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import { CertFactory, sha256Hex, type TestCert } from '../../support/cert-factory'
import { nodeHandshake, opensslHandshake, startTlsServer } from '../../support/tls-server'
import { UPDATE_CA_CERTIFICATES, makeDebianTree, snapshotTree } from '../../support/debian-tree'

const certs = new CertFactory()
let rootA: TestCert
let rootB: TestCert
let leafA: TestCert
let leafB: TestCert
let tree: ReturnType<typeof makeDebianTree>

function store(refresh = debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root)): LinuxSystemStore {
  return new LinuxSystemStore({ family: 'debian', runner: execRunner, sysroot: tree.root, refresh, elevator: null })
}
const sha = (pem: string) => ({ algorithm: 'sha256' as const, hex: sha256Hex(pem) })
const countInBundle = (pem: string) => readFileSync(tree.bundle, 'utf8').split(pem.trim().split('\n')[1]!).length - 1

beforeAll(() => {
  // Same subject AND serial, different keys: removing one must leave the other.
  rootA = certs.root('Certdesk Twin Root', { serial: 4242 })
  rootB = certs.root('Certdesk Twin Root', { serial: 4242 })
  leafA = certs.leaf(rootA)
  leafB = certs.leaf(rootB)
})
afterAll(() => certs.cleanup())
beforeEach(async () => {
  tree = makeDebianTree()
  const result = await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)
  expect(result.code, result.stderr).toBe(0)
})
afterEach(() => tree.cleanup())

describe('Linux system store (Debian, real update-ca-certificates on a throwaway tree)', () => {
  it('lists the distro bundle, marks nothing local, and describes itself', async () => {
    const s = store()
    const entries = await s.list()
    expect(entries).toHaveLength(3)
    expect(entries.every((e) => e.origin === 'distro' && e.trust === 'trusted' && /^[0-9A-F]{64}$/.test(e.sha256 ?? ''))).toBe(true)
    expect(s.describe()).toMatchObject({
      id: 'linux-system',
      kind: 'system',
      location: tree.anchors,
      available: true,
      needsElevation: false,
    })
  })

  it('installs a root so a real handshake verifies, twice leaves one copy, remove makes it fail again', async () => {
    const s = store()
    const server = await startTlsServer(leafA.pem, leafA.keyPem)
    try {
      expect((await nodeHandshake(server.port, readFileSync(tree.bundle, 'utf8'))).authorized).toBe(false)
      const first = await s.install(parseRootForInstall(Buffer.from(rootA.pem)))
      expect(first).toMatchObject({ status: 'installed', storeId: 'linux-system' })
      const anchorFiles = readdirSync(tree.anchors)
      expect(anchorFiles).toHaveLength(1)
      expect(anchorFiles[0]).toMatch(/^certdesk-Certdesk-Twin-Root-[0-9A-F]{16}\.crt$/)
      expect(countInBundle(rootA.pem)).toBe(1)
      const listed = await s.find(sha(rootA.pem))
      expect(listed).toHaveLength(1)
      expect(listed[0]).toMatchObject({ origin: 'local', trust: 'trusted', location: join(tree.anchors, anchorFiles[0]!) })

      expect(await nodeHandshake(server.port, readFileSync(tree.bundle, 'utf8'))).toEqual({ authorized: true })
      const hs = await opensslHandshake(server.port, tree.bundle)
      expect(hs.ok, hs.output).toBe(true)

      const second = await s.install(parseRootForInstall(Buffer.from(rootA.pem)))
      expect(second.status).toBe('already-present')
      expect(readdirSync(tree.anchors)).toHaveLength(1)
      expect(countInBundle(rootA.pem)).toBe(1)

      expect((await s.remove(sha(rootA.pem))).status).toBe('removed')
      expect(readdirSync(tree.anchors)).toHaveLength(0)
      expect(countInBundle(rootA.pem)).toBe(0)
      expect((await nodeHandshake(server.port, readFileSync(tree.bundle, 'utf8'))).authorized).toBe(false)
      expect((await opensslHandshake(server.port, tree.bundle)).ok).toBe(false)

      const again = await s.remove(sha(rootA.pem))
      expect(again.status).toBe('not-present')
    } finally {
      await server.close()
    }
  })

  it('remove leaves the tree exactly as before install: no dangling name or hash link in /etc/ssl/certs', async () => {
    const s = store()
    const before = snapshotTree(tree.root)
    expect((await s.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('installed')
    expect(
      Object.values(snapshotTree(join(tree.root, 'etc/ssl/certs'))).filter((v) => v.includes('certdesk-Certdesk-Twin-Root')),
    ).toHaveLength(2)
    expect((await s.remove(sha(rootA.pem))).status).toBe('removed')
    expect(snapshotTree(tree.root)).toEqual(before)
  })

  it('removing one of two roots with the same subject hash keeps the other reachable through its hash link', async () => {
    const s = store()
    const withB = snapshotTree(tree.root)
    expect((await s.install(parseRootForInstall(Buffer.from(rootB.pem)))).status).toBe('installed')
    const onlyB = snapshotTree(tree.root)
    expect((await s.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('installed')
    expect((await s.remove(sha(rootA.pem))).status).toBe('removed')
    expect(snapshotTree(tree.root)).toEqual(onlyB)
    expect((await s.remove(sha(rootB.pem))).status).toBe('removed')
    expect(snapshotTree(tree.root)).toEqual(withB)
  })

  it('removes only the root with that fingerprint when another shares its subject and serial', async () => {
    const s = store()
    expect((await s.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('installed')
    expect((await s.install(parseRootForInstall(Buffer.from(rootB.pem)))).status).toBe('installed')
    expect(readdirSync(tree.anchors)).toHaveLength(2)
    expect((await s.remove(sha(rootA.pem))).status).toBe('removed')
    expect(await s.find(sha(rootA.pem))).toHaveLength(0)
    expect(await s.find(sha(rootB.pem))).toHaveLength(1)
    const server = await startTlsServer(leafB.pem, leafB.keyPem)
    try {
      const hs = await opensslHandshake(server.port, tree.bundle)
      expect(hs.ok, hs.output).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('a failing refresh restores the anchors folder on install and on remove', async () => {
    const good = store()
    expect((await good.install(parseRootForInstall(Buffer.from(rootB.pem)))).status).toBe('installed')
    const before = readdirSync(tree.anchors).map((n) => [n, readFileSync(join(tree.anchors, n), 'utf8')])
    const bundleBefore = readFileSync(tree.bundle, 'utf8')
    const broken = store({ file: '/bin/sh', args: ['-c', 'echo "E: refresh exploded" >&2; exit 3'] })

    const install = await broken.install(parseRootForInstall(Buffer.from(rootA.pem)))
    expect(install.status).toBe('failed')
    expect(install.toolOutput).toContain('E: refresh exploded')
    expect(install.message).toMatch(/restored/)
    expect(readdirSync(tree.anchors).map((n) => [n, readFileSync(join(tree.anchors, n), 'utf8')])).toEqual(before)

    const remove = await broken.remove(sha(rootB.pem))
    expect(remove.status).toBe('failed')
    expect(readdirSync(tree.anchors).map((n) => [n, readFileSync(join(tree.anchors, n), 'utf8')])).toEqual(before)
    expect(readFileSync(tree.bundle, 'utf8')).toBe(bundleBefore)
  })

  it('reports an anchor the refresh never picked up as present-not-trusted, and install finishes the job', async () => {
    writeFileSync(join(tree.anchors, 'manual.crt'), rootA.pem)
    writeFileSync(join(tree.anchors, 'ignored.pem'), rootB.pem)
    const s = store()
    const [a] = await s.find(sha(rootA.pem))
    expect(a).toMatchObject({ trust: 'present-not-trusted', origin: 'local' })
    expect(a?.note).toMatch(/has not run/)
    const [b] = await s.find(sha(rootB.pem))
    expect(b?.note).toMatch(/ignores this file/)
    expect((await s.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('installed')
    expect(readdirSync(tree.anchors).sort()).toEqual(['ignored.pem', 'manual.crt'])
    expect(countInBundle(rootA.pem)).toBe(1)
  })

  it('refuses to remove a distribution root and says how to distrust it', async () => {
    const s = store()
    const [distro] = await s.list()
    const result = await s.remove({ algorithm: 'sha256', hex: distro!.sha256! })
    expect(result.status).toBe('failed')
    expect(result.hint).toMatch(/ca-certificates\.conf/)
    expect(await s.list()).toHaveLength(3)
  })

  it('reports a missing refresh tool instead of writing', async () => {
    const fresh = new LinuxSystemStore({ family: 'debian', runner: execRunner, sysroot: tree.root, refresh: null })
    expect(fresh.describe().available).toBe(false)
    const result = await fresh.install(parseRootForInstall(Buffer.from(rootA.pem)))
    expect(result).toMatchObject({ status: 'failed' })
    expect(result.hint).toMatch(/ca-certificates/)
    expect(readdirSync(tree.anchors)).toHaveLength(0)
  })
  it('a lookup by fingerprint finds what the listing holds, in every spelling (it decodes only the matches)', async () => {
    const s = store()
    expect((await s.install(parseRootForInstall(Buffer.from(rootA.pem)))).status).toBe('installed')
    // An anchor the refresh has not picked up yet, and one Debian's tool ignores (.pem).
    writeFileSync(join(tree.anchors, 'stale.crt'), rootB.pem)
    writeFileSync(join(tree.anchors, 'ignored.pem'), certs.root('Certdesk Ignored Root').pem)
    const listed = await s.list()
    expect(listed.map((e) => [e.origin, e.trust])).toContainEqual(['local', 'trusted'])
    expect(listed.filter((e) => e.trust === 'present-not-trusted')).toHaveLength(2)
    for (const entry of listed) {
      for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
        const fp = { algorithm, hex: digest(entry.der!, algorithm) }
        const found = await s.find(fp)
        expect(found).toEqual(findIn(listed, fp))
        expect(found).toHaveLength(1)
      }
    }
    expect(await s.find({ algorithm: 'sha256', hex: '00'.repeat(32) })).toEqual([])
  })
})
