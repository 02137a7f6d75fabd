/**
 * A throwaway Debian trust tree (ca-certificates.conf, a few distro roots copied from this
 * machine, empty anchors and /etc/ssl/certs) that the real update-ca-certificates rebuilds.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'

export const UPDATE_CA_CERTIFICATES = '/usr/sbin/update-ca-certificates'
const DISTRO_DIR = '/usr/share/ca-certificates/mozilla'

export function makeDebianTree(distroRoots = 3): { root: string; anchors: string; bundle: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'certdesk-debian-'))
  const distro = join(root, 'usr/share/ca-certificates/mozilla')
  for (const dir of ['usr/local/share/ca-certificates', 'etc/ssl/certs', 'etc/ca-certificates/update.d'])
    mkdirSync(join(root, dir), { recursive: true })
  mkdirSync(distro, { recursive: true })
  const picked = readdirSync(DISTRO_DIR)
    .filter((n) => n.endsWith('.crt'))
    .sort()
    .slice(0, distroRoots)
  for (const name of picked) copyFileSync(join(DISTRO_DIR, name), join(distro, name))
  writeFileSync(join(root, 'etc/ca-certificates.conf'), `# throwaway\n${picked.map((n) => `mozilla/${n}`).join('\n')}\n`)
  writeFileSync(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n')
  return {
    root,
    anchors: join(root, 'usr/local/share/ca-certificates'),
    bundle: join(root, 'etc/ssl/certs/ca-certificates.crt'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  }
}

/**
 * Readies the tree as the machine of an app under test: the real update-ca-certificates builds its bundle, an empty NSS
 * database stands in `home`, and the trust options returned point the app there, never at this machine's stores.
 */
export async function throwawayMachine(treeRoot: string, home: string) {
  const refresh = await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, treeRoot).args)
  if (refresh.code !== 0) throw new Error(`update-ca-certificates failed in the throwaway tree: ${refresh.stderr}`)
  mkdirSync(join(home, '.pki/nssdb'), { recursive: true })
  execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${join(home, '.pki/nssdb')}`])
  const env = { PATH: `${process.env['PATH'] ?? ''}:/usr/sbin` }
  return { platform: 'linux' as const, sysroot: treeRoot, home, env, java: false as const, elevator: null }
}

/** Every path under `root` with what it is: a link and its target, a file and its SHA-256, or a folder. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = join(rel, name)
      const info = lstatSync(join(root, path))
      if (info.isSymbolicLink()) out[path] = `link -> ${readlinkSync(join(root, path))}`
      else if (info.isDirectory()) {
        out[path] = 'dir'
        walk(path)
      } else
        out[path] = `file ${createHash('sha256')
          .update(readFileSync(join(root, path)))
          .digest('hex')}`
    }
  }
  walk('')
  return out
}
