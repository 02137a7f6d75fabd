/**
 * The Linux system store's elevated route (pkexec or sudo, for a user who cannot write the anchors
 * folder): the exact argument array handed to the elevator, and that array run for real — as the
 * elevated shell would run it — on a throwaway Debian tree, including a refresh that fails.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRootForInstall } from '../../../src/main/truststore/certificates'
import { createElevator, type Elevator } from '../../../src/main/truststore/elevate'
import { execRunner, type CommandRunner } from '../../../src/main/truststore/exec'
import { LinuxSystemStore, debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import { CertFactory, sha256Hex, type TestCert } from '../../unit/truststore/certs'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from './debian-tree'

const certs = new CertFactory()
let tree: ReturnType<typeof makeDebianTree>
let root: TestCert

/** pkexec's argument array is recorded, then run without pkexec (the tests already run as root). */
function recordingPkexec(calls: string[][]): Elevator {
  const runner: CommandRunner = {
    run: (file, args, options) => {
      calls.push([file, ...args])
      expect(file).toBe('pkexec')
      // pkexec FILE ARGS… runs FILE with ARGS: do exactly that.
      return execRunner.run(args[0]!, args.slice(1), options)
    },
  }
  return createElevator('pkexec', runner)
}

function elevatedStore(calls: string[][], refresh = debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root)): LinuxSystemStore {
  const store = new LinuxSystemStore({ family: 'debian', runner: execRunner, sysroot: tree.root, refresh, elevator: recordingPkexec(calls) })
  // As a desktop user, the anchors folder is not writable: force the elevated route.
  ;(store as unknown as { checkWritable(): Promise<boolean> }).checkWritable = async () => false
  return store
}

const sha = (pem: string) => ({ algorithm: 'sha256' as const, hex: sha256Hex(pem) })

beforeAll(async () => {
  tree = makeDebianTree(2)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  root = certs.root('Elevated Route Root')
})
afterAll(() => {
  tree.cleanup()
  certs.cleanup()
})

describe('Linux system store through pkexec', () => {
  it('installs with one pkexec call: /bin/sh -c SCRIPT with the temp file, the anchor and the refresh as separate arguments', async () => {
    const calls: string[][] = []
    const outcome = await elevatedStore(calls).install(parseRootForInstall(Buffer.from(root.pem)))
    expect(outcome.status).toBe('installed')
    expect(calls).toHaveLength(1)
    const [tool, sh, dashC, script, name, tmp, dest, refresh, ...refreshArgs] = calls[0]!
    expect([tool, sh, dashC, name]).toEqual(['pkexec', '/bin/sh', '-c', 'certdesk-install'])
    // The script is a constant: no path or name is ever spliced into it.
    expect(script).not.toContain(tree.root)
    expect(script).not.toContain('Elevated')
    expect(tmp).toMatch(/root\.pem$/)
    expect(dest!.startsWith(tree.anchors)).toBe(true)
    expect(dest).toMatch(/\.crt$/)
    expect(refresh).toBe(UPDATE_CA_CERTIFICATES)
    expect(refreshArgs).toEqual(debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)
    expect(readFileSync(tree.bundle, 'utf8')).toContain(root.pem.trim().split('\n')[1]!)
  })

  it('removes with pkexec, and only the anchor with that fingerprint', async () => {
    const calls: string[][] = []
    const outcome = await elevatedStore(calls).remove(sha(root.pem))
    expect(outcome.status).toBe('removed')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.slice(0, 5)).toEqual(['pkexec', '/bin/sh', '-c', expect.any(String), 'certdesk-remove'])
    expect(readdirSync(tree.anchors)).toEqual([])
    expect(readFileSync(tree.bundle, 'utf8')).not.toContain(root.pem.trim().split('\n')[1]!)
  })

  it('a refresh that fails under pkexec leaves no anchor behind and says so', async () => {
    const calls: string[][] = []
    const failing = { file: '/bin/false', args: [] as string[] }
    const outcome = await elevatedStore(calls, failing).install(parseRootForInstall(Buffer.from(root.pem)))
    expect(outcome.status).toBe('failed')
    expect(outcome.message).toMatch(/the anchor was not kept/)
    expect(readdirSync(tree.anchors)).toEqual([])
  })
})
