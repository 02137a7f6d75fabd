/**
 * The Linux system store's elevated route (pkexec or sudo, for a user who cannot write the anchors
 * folder): the exact argument array handed to the elevator, and that array run for real — as the
 * elevated shell would run it — on a throwaway Debian tree, including a refresh that fails.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRootForInstall } from '../../../src/main/truststore/certificates'
import { createElevator, type Elevator } from '../../../src/main/truststore/elevate'
import { execRunner, type CommandRunner } from '../../../src/main/truststore/exec'
import { LinuxSystemStore, debianRefreshForSysroot } from '../../../src/main/truststore/linux'
import { CertFactory, sha256Hex, type TestCert } from '../../support/cert-factory'
import { UPDATE_CA_CERTIFICATES, makeDebianTree, snapshotTree } from '../../support/debian-tree'

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
  const store = new LinuxSystemStore({
    family: 'debian',
    runner: execRunner,
    sysroot: tree.root,
    refresh,
    elevator: recordingPkexec(calls),
  })
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
  it('installs with one pkexec call: /bin/sh -c SCRIPT with the certificate, the anchor and the refresh as separate arguments', async () => {
    const calls: string[][] = []
    const outcome = await elevatedStore(calls).install(parseRootForInstall(Buffer.from(root.pem)))
    expect(outcome.status).toBe('installed')
    expect(calls).toHaveLength(1)
    const [tool, sh, dashC, script, name, tmp, dest, refresh, ...refreshArgs] = calls[0]!
    expect([tool, sh, dashC, name]).toEqual(['pkexec', '/bin/sh', '-c', 'certdesk-install'])
    // The script is a constant: no path or name is ever spliced into it.
    expect(script).not.toContain(tree.root)
    expect(script).not.toContain('Elevated')
    // The certificate itself, not a file in a folder the user owns (which could be swapped before root reads it).
    expect(tmp).toBe(parseRootForInstall(Buffer.from(root.pem)).pem)
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

  it('the elevated scripts never take a path in the user temp folder; root works in its own mktemp -d folder', async () => {
    const calls: string[][] = []
    const other = certs.root('Elevated Swap Root')
    const store = elevatedStore(calls)
    expect((await store.install(parseRootForInstall(Buffer.from(other.pem)))).status).toBe('installed')
    expect((await store.remove(sha(other.pem))).status).toBe('removed')
    expect(calls).toHaveLength(2)
    for (const call of calls) {
      expect(call.filter((arg) => arg.startsWith(join(tmpdir(), 'certdesk-trust-')))).toEqual([])
      expect(call[3]).toContain('mktemp -d')
    }
  })

  it('a file swapped in the user temp folder while the prompt is open cannot become the installed anchor', async () => {
    const calls: string[][] = []
    const wanted = certs.root('Elevated Wanted Root')
    const attacker = certs.root('Elevated Attacker Root')
    const swapping: CommandRunner = {
      run: (file, args, options) => {
        calls.push([file, ...args])
        // While pkexec asks for the password, a process running as the user replaces every file it owns.
        for (const arg of args) if (arg.startsWith(join(tmpdir(), 'certdesk-trust-')) && existsSync(arg)) writeFileSync(arg, attacker.pem)
        return execRunner.run(args[0]!, args.slice(1), options)
      },
    }
    const store = new LinuxSystemStore({
      family: 'debian',
      runner: execRunner,
      sysroot: tree.root,
      refresh: debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root),
      elevator: createElevator('pkexec', swapping),
    })
    ;(store as unknown as { checkWritable(): Promise<boolean> }).checkWritable = async () => false
    expect((await store.install(parseRootForInstall(Buffer.from(wanted.pem)))).status).toBe('installed')
    const bundle = readFileSync(tree.bundle, 'utf8')
    expect(bundle).toContain(wanted.pem.trim().split('\n')[1]!)
    expect(bundle).not.toContain(attacker.pem.trim().split('\n')[1]!)
    expect((await store.remove(sha(wanted.pem))).status).toBe('removed')
  })

  it('elevated remove leaves /etc/ssl/certs as before install (no dangling links)', async () => {
    const calls: string[][] = []
    const other = certs.root('Elevated Links Root')
    const before = snapshotTree(tree.root)
    expect((await elevatedStore(calls).install(parseRootForInstall(Buffer.from(other.pem)))).status).toBe('installed')
    expect((await elevatedStore(calls).remove(sha(other.pem))).status).toBe('removed')
    expect(snapshotTree(tree.root)).toEqual(before)
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
