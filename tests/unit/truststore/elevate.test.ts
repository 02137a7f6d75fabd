import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appleScriptString,
  createElevator,
  osascriptArgs,
  powershellString,
  rootPemScript,
  shellQuote,
  uacScript,
  windowsQuoteArg,
  withPrivateTempFile,
  powershellEncoded,
} from '../../../src/main/truststore/elevate'
import { execRunner, type CommandRunner, type RunOptions } from '../../../src/main/truststore/exec'
import { JavaStore } from '../../../src/main/truststore/java'

const HOSTILE = [
  "/tmp/it's root.pem",
  '/tmp/$(touch /tmp/pwned).pem',
  '/tmp/`id`.pem',
  '/tmp/a"b\\c.pem',
  '/tmp/semi;colon && rm -rf ~.pem',
  '/tmp/new\nline.pem',
  '/tmp/tab\there.pem',
  '\'; do shell script "id" --',
  '',
  '\\',
  '\\"',
]

/** Reverses AppleScript string-literal escaping, as the AppleScript compiler does. */
function decodeAppleScript(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true)
  const body = literal.slice(1, -1)
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (ch === '"') throw new Error(`unescaped quote at ${i}`)
    if (ch !== '\\') {
      out += ch
      continue
    }
    const next = body[++i]
    out += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next
  }
  return out
}

/** Real /bin/sh splits the quoted command back into words; they must equal the originals. */
function shellWords(command: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `for a in ${command}; do printf '%s\\0' "$a"; done`]).toString()
  return out.split('\0').slice(0, -1)
}

describe('elevation quoting with hostile filenames', () => {
  it('shellQuote survives a real shell unchanged', () => {
    for (const arg of HOSTILE) expect(shellWords(shellQuote(arg))).toEqual([arg])
    expect(shellWords(HOSTILE.map(shellQuote).join(' '))).toEqual(HOSTILE)
  })

  it('osascript gets one -e argument whose AppleScript literal decodes to the exact shell command', () => {
    const argv: [string, ...string[]] = [
      '/usr/bin/security',
      'add-trusted-cert',
      '-d',
      '-r',
      'trustRoot',
      '-k',
      '/Library/Keychains/System.keychain',
      ...HOSTILE,
    ]
    const args = osascriptArgs([argv])
    expect(args).toHaveLength(2)
    expect(args[0]).toBe('-e')
    const m = /^do shell script (".*") with administrator privileges$/s.exec(args[1]!)
    expect(m).not.toBeNull()
    const shell = decodeAppleScript(m![1]!)
    expect(shellWords(shell)).toEqual(argv)
    expect(appleScriptString('a"b')).toBe('"a\\"b"')
  })

  it('joins several commands with && and keeps each argument intact', () => {
    const args = osascriptArgs(
      [
        ['/usr/bin/security', 'remove-trusted-cert', '-d', HOSTILE[0]!],
        ['/usr/bin/security', 'delete-certificate', '-Z', 'AB12', '/Library/Keychains/System.keychain'],
      ],
      'Why',
    )
    const m = /^do shell script (".*") with administrator privileges with prompt "Why"$/s.exec(args[1]!)
    const shell = decodeAppleScript(m![1]!)
    const parts = shell.split(' && ')
    expect(parts).toHaveLength(2)
    expect(shellWords(parts[0]!)).toEqual(['/usr/bin/security', 'remove-trusted-cert', '-d', HOSTILE[0]])
  })

  it('Windows command-line quoting follows the CommandLineToArgvW rules', () => {
    expect(windowsQuoteArg('C:\\plain\\root.cer')).toBe('C:\\plain\\root.cer')
    expect(windowsQuoteArg('C:\\with space\\root.cer')).toBe('"C:\\with space\\root.cer"')
    expect(windowsQuoteArg('a"b')).toBe('"a\\"b"')
    expect(windowsQuoteArg('C:\\dir with space\\')).toBe('"C:\\dir with space\\\\"')
    expect(windowsQuoteArg('')).toBe('""')
  })

  it('PowerShell literals double every kind of single quote, and the UAC script passes the exit code', () => {
    expect(powershellString("it's")).toBe("'it''s'")
    expect(powershellString('a\u2019b')).toBe("'a\u2019\u2019b'")
    const script = uacScript('certutil.exe', ['-addstore', '-f', 'Root', "C:\\Users\\o'neil\\AppData\\Local\\Temp\\x y\\root.cer"])
    expect(script).toBe(
      "$p = Start-Process -FilePath 'certutil.exe' -ArgumentList '-addstore -f Root \"C:\\Users\\o''neil\\AppData\\Local\\Temp\\x y\\root.cer\"' -Verb RunAs -Wait -PassThru -WindowStyle Hidden\nexit $p.ExitCode",
    )
    const encoded = powershellEncoded(script)
    expect(encoded.slice(0, -1)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'])
    expect(Buffer.from(encoded.at(-1)!, 'base64').toString('utf16le')).toBe(script)
  })

  it('each elevator builds an argument array, never a shell string', async () => {
    const calls: Array<[string, readonly string[]]> = []
    const runner: CommandRunner = {
      run: async (file: string, args: readonly string[], _o?: RunOptions) => (
        calls.push([file, args]),
        { code: 0, stdout: '', stderr: '' }
      ),
    }
    await createElevator('pkexec', runner).run('/usr/sbin/update-ca-certificates', ['--fresh'])
    await createElevator('sudo', runner).run('/usr/sbin/update-ca-certificates', [HOSTILE[1]!])
    await createElevator('osascript', runner).run('/usr/bin/security', ['x'])
    await createElevator('uac', runner).run('certutil.exe', ['-delstore', 'Root', 'AB'])
    expect(calls[0]).toEqual(['pkexec', ['/usr/sbin/update-ca-certificates', '--fresh']])
    expect(calls[1]).toEqual(['sudo', ['--', '/usr/sbin/update-ca-certificates', HOSTILE[1]]])
    expect(calls[2]![0]).toBe('/usr/bin/osascript')
    expect(calls[3]![0]).toBe('powershell.exe')
  })

  it('writes the temp file 0600 in a private 0700 folder and removes both afterwards', async () => {
    let seen = ''
    await withPrivateTempFile('PEM', 'root.pem', async (path) => {
      seen = path
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(dirname(path)).mode & 0o777).toBe(0o700)
    })
    expect(existsSync(seen)).toBe(false)
    expect(existsSync(dirname(seen))).toBe(false)
    await expect(
      withPrivateTempFile('x', 'r.pem', async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
  })
})

describe('elevated scripts work only in a folder root creates', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\'$(id)`x`"\n-----END CERTIFICATE-----\n'

  it('rootPemScript writes the PEM argument into a fresh 0700 folder, passes the rest on, and removes the folder', () => {
    const script = rootPemScript(['cat "$work/root.pem"; echo "|$(stat -c %a "$work")|$work|$#|$*"'])
    const out = execFileSync('/bin/sh', ['-c', script, 'certdesk-test', PEM, 'a b', 'c'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', TMPDIR: '/home/someone' },
    })
    expect(out.startsWith(PEM)).toBe(true)
    const [, mode, work, count, rest] = out.slice(PEM.length).trim().split('|')
    expect(mode).toBe('700')
    // /tmp whatever TMPDIR says: a TMPDIR the user controls is not where root writes.
    expect(work).toMatch(/^\/tmp\/tmp\./)
    expect([count, rest]).toEqual(['2', 'a b c'])
    expect(existsSync(work!)).toBe(false)
  })

  it('Java: an elevated keytool import reads the root from root’s own folder, never from a user temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-java-elev-'))
    // A stand-in keytool that records the -file it was given and what that file held.
    const keytool = join(dir, 'keytool')
    writeFileSync(
      keytool,
      `#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -file ] && { echo "$2" > ${dir}/file; cat "$2" > ${dir}/content; }; shift; done\n`,
      { mode: 0o755 },
    )
    const runs: Array<{ file: string; args: readonly string[] }> = []
    const elevator = {
      method: 'sudo' as const,
      run: async (file: string, args: readonly string[]) => (runs.push({ file, args }), execRunner.run(file, args)),
    }
    const store = new JavaStore({ javaHome: dir, cacerts: join(dir, 'cacerts'), keytool, source: 'JAVA_HOME' }, execRunner, elevator)
    const result = await (
      store as unknown as { elevatedImport: (pem: string, args: string[], e: typeof elevator) => Promise<{ code: number | null }> }
    ).elevatedImport(PEM, ['-importcert', '-noprompt', '-alias', 'certdesk-x'], elevator)
    expect(result.code).toBe(0)
    expect(runs[0]!.file).toBe('/bin/sh')
    expect(runs[0]!.args).toContain(PEM)
    expect(runs[0]!.args.some((a) => a.startsWith(tmpdir() + '/certdesk-trust-'))).toBe(false)
    expect(readFileSync(join(dir, 'content'), 'utf8')).toBe(PEM)
    const used = readFileSync(join(dir, 'file'), 'utf8').trim()
    expect(used).toMatch(/^\/tmp\/tmp\.[^/]+\/root\.pem$/)
    expect(existsSync(dirname(used))).toBe(false)
  })
})
