/**
 * The fleet kit: from one root certificate, every file an administrator needs to deploy it to a fleet (MDM profiles,
 * Windows/Linux/macOS scripts, Ansible, Firefox policy, runtime snippets) and verify it (scripts that write reports).
 * Deterministic: the same root gives byte-identical files (no timestamps; UUIDs derived from the fingerprint).
 * `certdesk fleet kit` and the app's "Export for fleet…" both write it through `writeFleetKit`.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../../shared/errors'
import { parseRootForInstall } from '../truststore/certificates'
import { mobileconfig, verifyMacos } from './kit/apple'
import { firefoxPolicies } from './kit/firefox'
import { ansibleRoot, installLinux, verifyLinux } from './kit/linux'
import { readme } from './kit/readme'
import { kitRoot, type KitRoot } from './kit/root'
import { runtimesScript } from './kit/runtimes'
import { installWindows, uninstallWindows, verifyWindows } from './kit/windows'

export interface KitFile {
  /** Relative to the kit folder, `/`-separated. */
  path: string
  contents: Buffer
  /** Shell scripts are written 0755, the rest 0644. */
  executable: boolean
}

export interface FleetKit {
  root: Pick<KitRoot, 'subject' | 'name' | 'sha256' | 'thumbprint' | 'notAfter'>
  files: KitFile[]
}

const text = (path: string, contents: string, executable = false): KitFile => ({
  path,
  contents: Buffer.from(contents, 'utf8'),
  executable,
})

/**
 * The kit of a root (PEM or DER). Refuses what `certdesk trust install` refuses, with the same words: a private key,
 * a CSR, a bundle, a certificate that is not a CA, an expired root.
 */
export function buildFleetKit(input: Buffer, options: { version: string; now?: Date }): FleetKit {
  const root = kitRoot(parseRootForInstall(input, options.now), options.version)
  const files: KitFile[] = [
    { path: 'root.cer', contents: root.der, executable: false },
    text('root.pem', root.pem),
    text('root.mobileconfig', mobileconfig(root)),
    text('install-windows.ps1', installWindows(root)),
    text('verify-windows.ps1', verifyWindows(root)),
    text('uninstall-windows.ps1', uninstallWindows(root)),
    text('install-linux.sh', installLinux(root), true),
    text('verify-linux.sh', verifyLinux(root), true),
    text('verify-macos.sh', verifyMacos(root), true),
    text('runtimes.sh', runtimesScript(root), true),
    text('ansible-root.yml', ansibleRoot(root)),
    text('firefox/policies.json', firefoxPolicies(root)),
    text('README.txt', readme(root)),
  ]
  const { subject, name, sha256, thumbprint, notAfter } = root
  return { root: { subject, name, sha256, thumbprint, notAfter }, files }
}

/** What the folder holds now: absent, empty, or the names of what is in it (a few, for the question or the error). */
export function kitFolderState(dir: string): { state: 'absent' | 'empty' } | { state: 'not-empty'; names: string[] } {
  let names: string[]
  try {
    if (!statSync(dir).isDirectory())
      throw new AppError('bad_input', `${dir} is a file, not a folder.`, { hint: 'Choose a folder for the kit.' })
    names = readdirSync(dir).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' }
    throw error
  }
  return names.length === 0 ? { state: 'empty' } : { state: 'not-empty', names }
}

/**
 * Writes the kit into `dir` (created if absent). A folder that already holds files is refused unless `overwrite`:
 * then the kit's files replace theirs and other files stay. Returns the full paths written.
 */
export function writeFleetKit(kit: FleetKit, dir: string, options: { overwrite: boolean }): string[] {
  const folder = kitFolderState(dir)
  if (folder.state === 'not-empty' && !options.overwrite) {
    const shown = folder.names.slice(0, 3).join(', ') + (folder.names.length > 3 ? ', …' : '')
    throw new AppError('bad_input', `${dir} is not empty (it holds ${shown}); the kit was not written.`, {
      hint: 'Choose an empty or new folder, or overwrite (--force) to replace the kit files in it.',
      details: { reason: 'folder_not_empty' },
    })
  }
  const written: string[] = []
  for (const file of kit.files) {
    const path = join(dir, ...file.path.split('/'))
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, file.contents, { mode: file.executable ? 0o755 : 0o644 })
    chmodSync(path, file.executable ? 0o755 : 0o644)
    written.push(path)
  }
  return written
}
