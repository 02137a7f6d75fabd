/**
 * `certdesk cf mtls probe` through the real runCli: exit 0 when the outcome is the expected one, 1 when not, 2 on bad input; files and a vault
 * key as the certificate; curl as the referee on the same server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIo } from '../../src/cli/command'
import { runCli } from '../../src/cli/run'
import { appServices } from '../../src/cli/app-services'
import { readKeyPair } from '../../src/main/keys/material'
import { ProbeResult } from '../../src/shared/probe-model'
import { curlStatus, HOST, makePki, RAY, RULE, startMtlsServer, type Pki } from '../support/probe-fixture'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-probe-cli-'))
const env = { CERTDESK_USER_DATA: dir }
let pki: Pki
let server: Awaited<ReturnType<typeof startMtlsServer>>
let vaultKeyId: string

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: pki.factory.dir }
  const code = await runCli(argv, io, 'test')
  return { code, out, err }
}

const at = () => [`https://${HOST}:${server.port}/`, '--resolve', `${HOST}:${server.port}:127.0.0.1`, '--ca', pki.edgeCa.certPath]

beforeAll(async () => {
  pki = makePki()
  server = await startMtlsServer(pki)
  const { vault } = appServices({ stdout: () => {}, stderr: () => {}, env, cwd: dir })
  const keys = await readKeyPair(pki.good.keyPem)
  const saved = await vault.save({ privateKey: keys.privateKey, label: 'laptop-1 in the vault' })
  vaultKeyId = (await vault.linkCertificate(saved.id, pki.good.pem)).id
})

afterAll(async () => {
  appServices({ stdout: () => {}, stderr: () => {}, env, cwd: dir }).close()
  await server?.close()
  pki?.factory.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

describe('certdesk cf mtls probe', () => {
  it('--no-cert --expect blocked: exit 0, the Ray ID and the rule; curl says 403 too', async () => {
    const r = await cli(['cf', 'mtls', 'probe', ...at(), '--no-cert', '--expect', 'blocked'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain(`As expected (blocked): The request without a certificate was blocked by Cloudflare (HTTP 403, Ray ID ${RAY}`)
    expect(r.out).toContain(`rule "${RULE.description}"`)
    expect(r.out).toContain(`client certificate asked for: yes; server: CN=${HOST}, issued by CN=Probe Edge CA`)
    expect(await curlStatus(pki, server.port)).toBe(403)
  })

  it('--cert/--key --expect allowed: exit 0 and both attempts in --json (schema-valid, no key); curl says 200', async () => {
    const r = await cli([
      'cf',
      'mtls',
      'probe',
      ...at(),
      '--cert',
      pki.good.certPath,
      '--key',
      pki.good.keyPath,
      '--expect',
      'allowed',
      '--json',
    ])
    expect(r.code, r.err).toBe(0)
    const result = ProbeResult.parse(JSON.parse(r.out))
    expect(result.attempts.map((a) => [a.withCertificate, a.outcome])).toEqual([
      [true, 'allowed'],
      [false, 'blocked'],
    ])
    expect(r.out).not.toContain('PRIVATE KEY')
    expect(await curlStatus(pki, server.port, pki.good)).toBe(200)
  })

  it('another CA with --expect allowed: exit 1, says not as expected; curl says 403', async () => {
    const r = await cli(['cf', 'mtls', 'probe', ...at(), '--cert', pki.other.certPath, '--key', pki.other.keyPath, '--expect', 'allowed'])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^Not as expected: allowed was expected but the request was blocked\./)
    expect(await curlStatus(pki, server.port, pki.other)).toBe(403)
  })

  it('--vault-key by id prefix presents the vault key and its certificate', async () => {
    const r = await cli(['cf', 'mtls', 'probe', ...at(), '--vault-key', vaultKeyId.slice(0, 8), '--expect', 'allowed'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('The request with the certificate "laptop-1" was allowed (HTTP 200')
  })

  it('bad input exits 2 with one clear line', async () => {
    const cases: Array<[string[], string]> = [
      [['--cert', 'a.pem'], '--cert and --key go together: give both files'],
      [['--no-cert', '--vault-key', 'abcd'], '--no-cert sends only the request without a certificate'],
      [['--expect', 'maybe'], '--expect takes allowed or blocked, not "maybe"'],
      [['--timeout', 'soon'], '--timeout takes seconds, e.g. 10, not "soon"'],
      [['--vault-key', 'zzzz'], '"zzzz" is not a key id'],
      [['--vault-key', 'ffff0000'], 'No key in the vault has an id starting with ffff0000.'],
      [['--cert', 'missing.pem', '--key', 'missing.key'], 'missing.pem does not exist.'],
      [['--cert', pki.good.certPath, '--key', pki.other.keyPath], 'The private key does not match the client certificate'],
    ]
    for (const [args, message] of cases) {
      const r = await cli(['cf', 'mtls', 'probe', ...at(), ...args])
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2)
      expect(r.err).toContain(message)
    }
    const noUrl = await cli(['cf', 'mtls', 'probe', '--no-cert'])
    expect(noUrl.code).toBe(2)
    expect(noUrl.err).toContain('give exactly one URL')
  })

  it('an untrusted server (no --ca) exits 1 and names the CA to pass', async () => {
    const r = await cli(['cf', 'mtls', 'probe', `https://${HOST}:${server.port}/`, '--resolve', `${HOST}:${server.port}:127.0.0.1`])
    expect(r.code).toBe(1)
    expect(r.err).toContain(`The server's certificate for ${HOST} is not trusted`)
    expect(r.err).toContain('hint: Pass the CA that issued it (CN=Probe Edge CA, O=Certdesk Test) with --ca FILE')
  })
})
