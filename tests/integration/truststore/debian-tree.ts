/**
 * A throwaway Debian trust tree (ca-certificates.conf, a few distro roots copied from this
 * machine, empty anchors and /etc/ssl/certs) that the real update-ca-certificates rebuilds.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const UPDATE_CA_CERTIFICATES = '/usr/sbin/update-ca-certificates'
const DISTRO_DIR = '/usr/share/ca-certificates/mozilla'

export function makeDebianTree(distroRoots = 3): { root: string; anchors: string; bundle: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'certdesk-debian-'))
  const distro = join(root, 'usr/share/ca-certificates/mozilla')
  for (const dir of ['usr/local/share/ca-certificates', 'etc/ssl/certs', 'etc/ca-certificates/update.d']) mkdirSync(join(root, dir), { recursive: true })
  mkdirSync(distro, { recursive: true })
  const picked = readdirSync(DISTRO_DIR).filter((n) => n.endsWith('.crt')).sort().slice(0, distroRoots)
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
