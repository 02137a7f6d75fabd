/**
 * The one-shot commands load only what they use (issue 14, "One-shot speed"): `certdesk lint FILE` on a
 * certificate reads it with the lean DER reader and its rules, and `certdesk trust verify … --store system`
 * reads the stores with node:crypto. Neither loads zod nor the rich view's libraries (@peculiar/x509, pkijs,
 * asn1js), which are for `inspect`, a file that holds no certificate, and the app; nor does any trust command
 * import node:tls (~20 ms), which only a host probe needs. Each is mocked here to fail if it is imported at all.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { runCli } from '../../src/cli/run'
import type { CliIo } from '../../src/cli/command'
import { execRunner } from '../../src/main/truststore/exec'
import { debianRefreshForSysroot } from '../../src/main/truststore/linux'
import { UPDATE_CA_CERTIFICATES, makeDebianTree } from '../support/debian-tree'

vi.mock('zod', () => {
  throw new Error('zod was loaded by a one-shot command')
})
vi.mock('@peculiar/x509', () => {
  throw new Error('@peculiar/x509 was loaded by a one-shot command')
})
vi.mock('@peculiar/asn1-schema', () => {
  throw new Error('@peculiar/asn1-schema was loaded by a one-shot command')
})
vi.mock('@peculiar/asn1-x509', () => {
  throw new Error('@peculiar/asn1-x509 was loaded by a one-shot command')
})
vi.mock('pkijs', () => {
  throw new Error('pkijs was loaded by a one-shot command')
})
vi.mock('asn1js', () => {
  throw new Error('asn1js was loaded by a one-shot command')
})

vi.mock('node:tls', () => {
  throw new Error('node:tls was imported by a one-shot command')
})

let tree: ReturnType<typeof makeDebianTree>
let rootFile: string

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: { PATH: process.env['PATH'], CERTDESK_TRUST_ROOT: tree.root, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    cwd: tree.root,
  }
  return { code: await runCli(argv, io, 'test'), out, err }
}

beforeAll(async () => {
  tree = makeDebianTree(2)
  expect((await execRunner.run(UPDATE_CA_CERTIFICATES, debianRefreshForSysroot(UPDATE_CA_CERTIFICATES, tree.root).args)).code).toBe(0)
  const distro = join(tree.root, 'usr/share/ca-certificates/mozilla')
  rootFile = join(distro, readdirSync(distro)[0]!)
  expect(readFileSync(rootFile, 'utf8')).toContain('BEGIN CERTIFICATE')
})
afterAll(() => tree.cleanup())

test('certdesk lint FILE (a certificate) loads neither zod nor the rich view’s libraries', async () => {
  const lint = await cli('lint', rootFile, '--profile', 'root-ca')
  expect(lint.err).toBe('')
  expect(lint.out).toMatch(/profile root-ca/)
  expect([0, 1]).toContain(lint.code)
  const chain = await cli('lint', tree.bundle)
  expect(chain.out).toMatch(/chain of 2/)
  const badProfile = await cli('lint', rootFile, '--profile', 'strictest')
  expect(badProfile.code).toBe(2)
  expect(badProfile.err).toContain('unknown profile "strictest"; choose one of auto|')
})

test('certdesk trust verify FILE --store system loads no PKI library', async () => {
  const verify = await cli('trust', 'verify', rootFile, '--store', 'system')
  expect(verify.err).toBe('')
  expect(verify.code).toBe(0)
  expect(verify.out).toMatch(/trusted {13}System \(Debian\/Ubuntu\)/)
})

test('certdesk trust list and find load no PKI library and no node:tls', async () => {
  const list = await cli('trust', 'list', '--json', '--store', 'system')
  expect(list.err).toBe('')
  expect((JSON.parse(list.out) as Array<{ entries: unknown[] }>)[0]?.entries).toHaveLength(2)
  const find = await cli('trust', 'find', rootFile)
  expect(find.code).toBe(0)
})
