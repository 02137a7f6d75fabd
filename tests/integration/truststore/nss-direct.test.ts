/** Reading cert9.db directly must give exactly what certutil exports, nickname by nickname. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCertificatesByLabel } from '../../../src/main/truststore/nss'
import { CertFactory } from '../../support/cert-factory'

const certs = new CertFactory()
const dir = mkdtempSync(join(tmpdir(), 'certdesk-nss-direct-'))
afterAll(() => {
  certs.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const pemToDer = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64'))

describe('NSS database read without certutil', () => {
  it('returns, per nickname, the same DER certutil exports', () => {
    execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`])
    const nicknames = ['Alpha Root', 'Beta Root', 'Gamma Root (ümlaut)']
    for (const nickname of nicknames)
      execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-t', 'C,,', '-n', nickname, '-i', certs.root(nickname).certPath])
    const direct = readCertificatesByLabel(dir)
    expect(direct).not.toBeNull()
    expect([...direct!.keys()].sort()).toEqual([...nicknames].sort())
    for (const nickname of nicknames) {
      const exported = execFileSync('certutil', ['-L', '-d', `sql:${dir}`, '-n', nickname, '-a'], { encoding: 'utf8' })
      expect(direct!.get(nickname)).toEqual([pemToDer(exported)])
    }
  })

  it('answers null for a folder without a readable cert9.db, so certutil is used instead', () => {
    expect(readCertificatesByLabel(mkdtempSync(join(tmpdir(), 'certdesk-no-nss-')))).toBeNull()
  })
})
