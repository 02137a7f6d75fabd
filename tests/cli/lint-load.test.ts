/**
 * `certdesk lint FILE` on one certificate needs no hashing and no signature check, so it does not load
 * node:crypto (6 ms of a one-shot run): the chain lint and the rule catalog, which do, are loaded by the
 * commands that use them. node:crypto is mocked here to fail if it is loaded at all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test, vi } from 'vitest'
import { runCli } from '../../src/cli/run'

vi.mock('node:crypto', () => {
  throw new Error('node:crypto was loaded to lint one certificate')
})

const dir = mkdtempSync(join(tmpdir(), 'certdesk-lint-load-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('certdesk lint FILE (one certificate) does not load node:crypto', async () => {
  const pem = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/.exec(
    readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8'),
  )?.[0]
  const file = join(dir, 'root.pem')
  writeFileSync(file, pem!)
  let out = ''
  let err = ''
  const code = await runCli(['lint', file, '--json'], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir }, 'test')
  expect(err).toBe('')
  expect([0, 1]).toContain(code)
  expect(JSON.parse(out)).toMatchObject({ file, kind: 'certificate', profile: expect.any(String) })
})
