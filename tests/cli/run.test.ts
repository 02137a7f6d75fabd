import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runCli } from '../../src/cli/run'

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = []
  const err: string[] = []
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env, cwd: process.cwd() },
    out: () => out.join(''),
    err: () => err.join(''),
  }
}

describe('certdesk CLI', () => {
  test('--help lists commands and exit codes', async () => {
    const c = capture()
    expect(await runCli(['--help'], c.io, '9.9.9')).toBe(0)
    expect(c.out()).toContain('profiles list')
    expect(c.out()).toContain('Exit codes')
  })

  test('--version, plain and --json', async () => {
    const plain = capture()
    expect(await runCli(['--version'], plain.io, '9.9.9')).toBe(0)
    expect(plain.out().trim()).toBe('9.9.9')
    const json = capture()
    await runCli(['--version', '--json'], json.io, '9.9.9')
    expect(JSON.parse(json.out())).toEqual({ version: '9.9.9' })
  })

  test('unknown commands and unknown flags exit 2', async () => {
    const unknown = capture()
    expect(await runCli(['frobnicate'], unknown.io, '1')).toBe(2)
    expect(unknown.err()).toContain('unknown command')
    const badFlag = capture({ CERTDESK_USER_DATA: mkdtempSync(join(tmpdir(), 'certdesk-cli-')) })
    expect(await runCli(['profiles', 'list', '--nope'], badFlag.io, '1')).toBe(2)
    expect(badFlag.err()).toContain('Usage: certdesk profiles list')
  })

  test('certdesk cf --help lists the cf commands (exit 0); certdesk cf gateway lists the gateway ones on stderr (exit 2)', async () => {
    const help = capture()
    expect(await runCli(['cf', '--help'], help.io, '1')).toBe(0)
    expect(help.out()).toMatch(/^Commands of certdesk cf:\n/)
    for (const verb of [
      'cf verify',
      'cf hostnames replace',
      'cf access-roots update-settings',
      'cf mtls-certs delete',
      'cf gateway watch',
    ]) {
      expect(help.out()).toContain(`  ${verb} `)
    }
    const group = capture()
    expect(await runCli(['cf', 'gateway'], group.io, '1')).toBe(2)
    expect(group.err()).toContain('cf gateway use-for-inspection')
    expect(group.err()).not.toContain('cf mtls-certs')
    const unknown = capture()
    expect(await runCli(['cf', 'frobnicate'], unknown.io, '1')).toBe(2)
    expect(unknown.err()).toContain('unknown command "cf frobnicate"')
  })

  test('profiles list --json reads the app storage folder', async () => {
    const c = capture({ CERTDESK_USER_DATA: mkdtempSync(join(tmpdir(), 'certdesk-cli-')) })
    expect(await runCli(['profiles', 'list', '--json'], c.io, '1')).toBe(0)
    expect(JSON.parse(c.out())).toEqual([])
  })
})
