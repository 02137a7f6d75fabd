import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCaptured } from '../support/cli'
import { CertFactory, sha256Hex, type TestCert } from '../support/cert-factory'

const certs = new CertFactory()
let root: TestCert
const cli = (...argv: string[]) => runCaptured(argv, { env: { PATH: process.env['PATH'] }, cwd: certs.dir })

beforeAll(() => {
  root = certs.root('CLI Fleet Root')
})
afterAll(() => certs.cleanup())

describe('certdesk fleet kit', () => {
  it('writes the kit into a new folder (relative to the cwd), scripts executable, and says what it wrote', async () => {
    const run = await cli('fleet', 'kit', root.certPath, '--out', 'kit-a')
    expect(run.code, run.err).toBe(0)
    expect(run.out).toContain(`Fleet kit for CN=CLI Fleet Root, O=Certdesk Test (SHA-256 ${sha256Hex(root.pem).toLowerCase()})`)
    const dir = join(certs.dir, 'kit-a')
    expect(readdirSync(dir).sort()).toEqual([
      'README.txt',
      'ansible-root.yml',
      'firefox',
      'install-linux.sh',
      'install-windows.ps1',
      'root.cer',
      'root.mobileconfig',
      'root.pem',
      'runtimes.sh',
      'uninstall-windows.ps1',
      'verify-linux.sh',
      'verify-macos.sh',
      'verify-windows.ps1',
    ])
    expect(statSync(join(dir, 'install-linux.sh')).mode & 0o777).toBe(0o755)
    expect(statSync(join(dir, 'root.mobileconfig')).mode & 0o777).toBe(0o644)
    expect(readFileSync(join(dir, 'root.pem'), 'utf8')).toBe(root.pem)
  })

  it('--json: the folder, the root and the files', async () => {
    const run = await cli('fleet', 'kit', root.certPath, '--out', 'kit-json', '--json')
    expect(run.code, run.err).toBe(0)
    const result = JSON.parse(run.out) as { folder: string; root: { sha256: string }; files: string[] }
    expect(result.folder).toBe(join(certs.dir, 'kit-json'))
    expect(result.root.sha256).toBe(sha256Hex(root.pem).toLowerCase())
    expect(result.files).toContain('firefox/policies.json')
  })

  it('refuses a folder that holds files (exit 2, nothing written) unless --force, which keeps the other files', async () => {
    const dir = join(certs.dir, 'kit-busy')
    mkdirSync(dir)
    writeFileSync(join(dir, 'notes.txt'), 'mine')
    const refused = await cli('fleet', 'kit', root.certPath, '--out', dir)
    expect(refused.code).toBe(2)
    expect(refused.err).toContain(`${dir} is not empty (it holds notes.txt); the kit was not written.`)
    expect(readdirSync(dir)).toEqual(['notes.txt'])
    const forced = await cli('fleet', 'kit', root.certPath, '--out', dir, '--force')
    expect(forced.code, forced.err).toBe(0)
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine')
    expect(readdirSync(dir)).toContain('root.mobileconfig')
  })

  it('refuses a leaf, an expired root and a missing file with exit 2 and writes nothing', async () => {
    const leaf = certs.write('leaf.pem', certs.leaf(root).pem)
    const expired = certs.write('expired.pem', await certs.expiredRoot('Expired Fleet Root'))
    for (const [input, words] of [
      [leaf, 'is not a CA certificate'],
      [expired, 'expired on'],
      ['missing.pem', 'missing.pem does not exist'],
    ] as const) {
      const run = await cli('fleet', 'kit', input, '--out', 'kit-refused')
      expect(run.code, input).toBe(2)
      expect(run.err).toContain(words)
      expect(() => readdirSync(join(certs.dir, 'kit-refused'))).toThrow()
    }
    const noOut = await cli('fleet', 'kit', root.certPath)
    expect(noOut.code).toBe(2)
    expect(noOut.err).toContain('--out DIR (the folder to write the kit into) is required')
    rmSync(join(certs.dir, 'kit-refused'), { recursive: true, force: true })
  })
})
