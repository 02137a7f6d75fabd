import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseRootForInstall } from '../../../src/main/truststore/certificates'
import { createElevator } from '../../../src/main/truststore/elevate'
import { WindowsStore, listScript, parseCertutilStore, parsePowershellJson } from '../../../src/main/truststore/windows'
import { RecordingRunner, fail, fixture, ok } from './recording-runner'
import { sha1Hex, sha256Hex } from '../../support/cert-factory'

const pem = (name: string) => fixture(`${name}.pem`)

describe('Windows output parsing (recorded formats)', () => {
  it('PowerShell JSON with RawData gives SHA-256 and SHA-1 that match the certificates', () => {
    const entries = parsePowershellJson(fixture('windows-machine.powershell.json'), 'LocalMachine\\Root')
    expect(entries.map((e) => e.sha256)).toEqual(['root-a', 'root-b', 'builtin-0'].map((n) => sha256Hex(pem(n))))
    expect(entries.map((e) => e.sha1)).toEqual(['root-a', 'root-b', 'builtin-0'].map((n) => sha1Hex(pem(n))))
    expect(entries[0]?.subject).toBe('CN=Certdesk Fixture Root A, O=Certdesk Fixtures, C=US')
  })

  it('a single certificate is an object, not an array; an empty store is empty output', () => {
    const [only] = parsePowershellJson(fixture('windows-user-single.powershell.json'), 'CurrentUser\\Root')
    expect(only?.sha256).toBe(sha256Hex(pem('root-c')))
    expect(parsePowershellJson('\r\n', 'x')).toEqual([])
    expect(parsePowershellJson('[]', 'x')).toEqual([])
  })

  it('Windows PowerShell 5.1 Select-Object output (no RawData, \\/Date()\\/ dates) gives thumbprints and ISO dates', () => {
    const entries = parsePowershellJson(fixture('windows-select.powershell.json'), 'CurrentUser\\Root')
    expect(entries.map((e) => [e.sha256, e.sha1])).toEqual([
      [null, sha1Hex(pem('root-a'))],
      [null, sha1Hex(pem('root-c'))],
    ])
    const a = parseRootForInstall(Buffer.from(pem('root-a')))
    expect(entries[0]?.notAfter).toBe(a.summary.notAfter)
  })

  it('certutil -store in both thumbprint formats', () => {
    const modern = parseCertutilStore(fixture('windows-machine.certutil-store.txt'), 'LocalMachine\\Root')
    expect(modern.map((e) => e.sha1)).toEqual(['root-a', 'root-b', 'builtin-0'].map((n) => sha1Hex(pem(n))))
    expect(modern[0]).toMatchObject({ sha256: null, subject: 'C=US, O=Certdesk Fixtures, CN=Certdesk Fixture Root A' })
    const legacy = parseCertutilStore(fixture('windows-legacy.certutil-store.txt'), 'CurrentUser\\Root')
    expect(legacy.map((e) => e.sha1)).toEqual(['root-a', 'root-c'].map((n) => sha1Hex(pem(n))))
  })
})

/** A Windows machine as recorded, whose LocalMachine\Root changes when certutil runs. */
function fakeWindows(psWorks = true) {
  let machine = fixture('windows-machine.powershell.json')
  const runner = new RecordingRunner((file, args) => {
    if (file === 'powershell.exe' && args.includes('-Command'))
      return psWorks ? ok(machine) : { code: null, stdout: '', stderr: '', error: 'ENOENT spawn powershell.exe' }
    if (file === 'certutil.exe' && args.join(' ') === '-store Root') return ok(fixture('windows-machine.certutil-store.txt'))
    if (file === 'powershell.exe' && args.includes('-EncodedCommand')) {
      const script = Buffer.from(args.at(-1)!, 'base64').toString('utf16le')
      const path = /"([^"]+root\.cer)"|'-addstore -f Root ([^ ']+root\.cer)'/.exec(script)
      if (script.includes('-addstore')) {
        const file = path?.[1] ?? path?.[2] ?? ''
        const added = JSON.parse(machine) as object[]
        const root = parseRootForInstall(readFileSync(file))
        added.push({ Thumbprint: root.summary.sha1, RawData: root.der.toString('base64') })
        machine = JSON.stringify(added)
      }
      if (script.includes('-delstore')) {
        const sha1 = /-delstore Root ([0-9A-F]{40})/.exec(script)?.[1]
        machine = JSON.stringify((JSON.parse(machine) as Array<{ Thumbprint: string }>).filter((c) => c.Thumbprint !== sha1))
      }
      return ok('')
    }
    return fail(`unexpected ${file} ${args.join(' ')}`)
  })
  return runner
}

describe('Windows LocalMachine\\Root store', () => {
  it('lists with PowerShell -NoProfile -NonInteractive and a constant script', async () => {
    const runner = fakeWindows()
    const store = new WindowsStore({ scope: 'machine', runner, elevator: createElevator('uac', runner) })
    expect(await store.list()).toHaveLength(3)
    expect(runner.calls).toEqual([
      { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', listScript('machine')] },
    ])
    expect(listScript('machine')).toContain("Get-ChildItem -Path 'Cert:\\LocalMachine\\Root'")
    expect(listScript('user')).toContain("Get-ChildItem -Path 'Cert:\\CurrentUser\\Root'")
  })

  it('falls back to certutil -store when PowerShell is unavailable', async () => {
    const runner = fakeWindows(false)
    const store = new WindowsStore({ scope: 'machine', runner, elevator: null })
    const entries = await store.list()
    expect(entries.map((e) => e.sha1)).toContain(sha1Hex(pem('root-b')))
    expect(runner.calls.at(-1)).toEqual({ file: 'certutil.exe', args: ['-store', 'Root'] })
    // SHA-256 cannot be matched against a SHA-1-only listing: say so rather than "not present".
    expect((await store.remove({ algorithm: 'sha256', hex: sha256Hex(pem('root-b')) })).status).toBe('failed')
  })

  it('installs through a UAC prompt running certutil -addstore -f Root FILE, then finds it by thumbprint; twice is a no-op', async () => {
    const runner = fakeWindows()
    const store = new WindowsStore({ scope: 'machine', runner, elevator: createElevator('uac', runner) })
    const root = parseRootForInstall(Buffer.from(pem('root-c')))
    expect((await store.install(root)).status).toBe('installed')
    const uac = runner.calls.find((c) => c.args.includes('-EncodedCommand'))!
    expect(uac.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'])
    const script = Buffer.from(uac.args.at(-1)!, 'base64').toString('utf16le')
    expect(script).toMatch(
      /^\$p = Start-Process -FilePath 'certutil\.exe' -ArgumentList '-addstore -f Root \S+root\.cer' -Verb RunAs -Wait -PassThru -WindowStyle Hidden\nexit \$p\.ExitCode$/,
    )
    expect((await store.install(root)).status).toBe('already-present')
    expect(runner.calls.filter((c) => c.args.includes('-EncodedCommand'))).toHaveLength(1)
  })

  it('removes by thumbprint only (root A), leaving the others', async () => {
    const runner = fakeWindows()
    const store = new WindowsStore({ scope: 'machine', runner, elevator: createElevator('uac', runner) })
    const result = await store.remove({ algorithm: 'sha256', hex: sha256Hex(pem('root-a')) })
    expect(result.status).toBe('removed')
    const script = Buffer.from(runner.calls.find((c) => c.args.includes('-EncodedCommand'))!.args.at(-1)!, 'base64').toString('utf16le')
    expect(script).toContain(`-ArgumentList '-delstore Root ${sha1Hex(pem('root-a'))}'`)
    expect((await store.list()).map((e) => e.sha1)).toEqual(['root-b', 'builtin-0'].map((n) => sha1Hex(pem(n))))
    expect((await store.remove({ algorithm: 'sha256', hex: sha256Hex(pem('root-a')) })).status).toBe('not-present')
  })

  it('a declined UAC prompt is reported with the fix', async () => {
    const runner = fakeWindows()
    runner.handler = ((base) => (file: string, args: readonly string[]) =>
      args.includes('-EncodedCommand')
        ? fail('Start-Process : This command cannot be run due to the error: The operation was canceled by the user.')
        : base(file, args))(runner.handler)
    const store = new WindowsStore({ scope: 'machine', runner, elevator: createElevator('uac', runner) })
    const result = await store.install(parseRootForInstall(Buffer.from(pem('root-c'))))
    expect(result).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/UAC prompt was declined/),
      hint: expect.stringMatching(/current user/),
    })
  })
})

describe('Windows CurrentUser\\Root store', () => {
  it('installs and removes with certutil -user, no elevation', async () => {
    let json = fixture('windows-user-single.powershell.json')
    const runner = new RecordingRunner((file, args) => {
      if (file === 'powershell.exe') return ok(json)
      if (args[1] === '-addstore') {
        const root = parseRootForInstall(readFileSync(args.at(-1)!))
        json = JSON.stringify([JSON.parse(json), { Thumbprint: root.summary.sha1, RawData: root.der.toString('base64') }])
        return ok(
          'Root "Trusted Root Certification Authorities"\r\nCertificate "Certdesk Fixture Root A" added to store.\r\nCertUtil: -addstore command completed successfully.\r\n',
        )
      }
      if (args[1] === '-delstore') {
        json = JSON.stringify((JSON.parse(json) as Array<{ Thumbprint: string }>).filter((c) => c.Thumbprint !== args[3]))
        return ok('CertUtil: -delstore command completed successfully.\r\n')
      }
      return fail('unexpected')
    })
    const store = new WindowsStore({ scope: 'user', runner, elevator: null })
    expect((await store.install(parseRootForInstall(Buffer.from(pem('root-a'))))).status).toBe('installed')
    expect(runner.calls.find((c) => c.file === 'certutil.exe')?.args).toEqual([
      '-user',
      '-addstore',
      '-f',
      'Root',
      expect.stringMatching(/root\.cer$/),
    ])
    expect((await store.remove({ algorithm: 'sha1', hex: sha1Hex(pem('root-a')) })).status).toBe('removed')
    expect(runner.calls.filter((c) => c.file === 'certutil.exe').at(-1)?.args).toEqual([
      '-user',
      '-delstore',
      'Root',
      sha1Hex(pem('root-a')),
    ])
    expect((await store.list()).map((e) => e.sha256)).toEqual([sha256Hex(pem('root-c'))])
  })
})
