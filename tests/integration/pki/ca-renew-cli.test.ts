/**
 * `certdesk ca renew --vault-key ID`: a vault root's certificate re-issued with the same key (openssl as the referee:
 * same subject, key and SKI, a new serial, strict verification), and the exit codes: 0 done, 2 bad input.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { CliIo } from '../../../src/cli/command'
import { appServices as cliServices } from '../../../src/cli/app-services'
import { runCli } from '../../../src/cli/run'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-ca-renew-cli-'))
const env = { CERTDESK_USER_DATA: join(dir, 'home') }
const io = (out: string[], err: string[]): CliIo => ({ stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: dir })

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, io(out, err), 'test')
  return { code, out: out.join(''), err: err.join('') }
}
const x509 = (file: string, ...what: string[]) =>
  execFileSync('openssl', ['x509', '-in', join(dir, file), '-noout', ...what], { encoding: 'utf8' })

afterAll(() => {
  cliServices(io([], [])).close()
  rmSync(dir, { recursive: true, force: true })
})

describe('certdesk ca renew', () => {
  test('re-issues a vault root with the same key and SKI; --json says the old and the new', async () => {
    const made = await cli(
      'ca',
      'new',
      '--vault',
      '--cn',
      'Renewed Root',
      '--type',
      'ec-p256',
      '--days',
      '20',
      '--out-cert',
      'old.pem',
      '--json',
    )
    expect(made.code, made.err).toBe(0)
    const { id } = JSON.parse(made.out) as { id: string }
    const renewed = await cli('ca', 'renew', '--vault-key', id.slice(0, 8), '--days', '365', '--out-cert', 'new.pem', '--json')
    expect(renewed.code, renewed.err).toBe(0)
    const json = JSON.parse(renewed.out) as { id: string; serialNumber: string; notAfter: string; previous: { serialNumber: string } }
    expect(json.id).toBe(id)
    expect(json.previous.serialNumber).not.toBe(json.serialNumber)
    expect(readFileSync(join(dir, 'new.pem'), 'utf8')).toMatch(/BEGIN CERTIFICATE/)
    const same = ['-subject', '-pubkey', '-ext', 'subjectKeyIdentifier,basicConstraints,keyUsage']
    expect(x509('new.pem', ...same)).toBe(x509('old.pem', ...same))
    expect(x509('new.pem', '-serial')).toBe(`serial=${json.serialNumber.toUpperCase()}\n`)
    expect(x509('new.pem', '-checkend', String(300 * 86_400))).toMatch(/will not expire/)
    const verified = execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', join(dir, 'new.pem'), join(dir, 'new.pem')], {
      encoding: 'utf8',
    })
    expect(verified).toMatch(/: OK/)

    const text = await cli('ca', 'renew', '--vault-key', id)
    expect(text.code, text.err).toBe(0)
    expect(text.out).toMatch(/^Re-issued the CA certificate of "Root Renewed Root" with the same key: serial [0-9a-f]+, valid until /)
  })

  test('bad input exits 2 with one clear line: no such key, a key that is not a CA, a bad --days, no --vault-key', async () => {
    const missing = await cli('ca', 'renew', '--vault-key', 'abcd1234')
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/No key in the vault has an id starting with abcd1234/)

    const keyFile = join(dir, 'plain.key')
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile])
    const imported = await cli('vault', 'import', keyFile, '--label', 'Plain key', '--json')
    expect(imported.code, imported.err).toBe(0)
    const { id } = JSON.parse(imported.out) as { id: string }
    const bare = await cli('ca', 'renew', '--vault-key', id)
    expect(bare.code).toBe(2)
    expect(bare.err).toMatch(/has no CA certificate to re-issue/)

    const days = await cli('ca', 'renew', '--vault-key', id, '--days', 'ten')
    expect(days.code).toBe(2)
    expect(days.err).toMatch(/--days must be a whole number, not "ten"/)
    expect((await cli('ca', 'renew')).code).toBe(2)
  })
})
