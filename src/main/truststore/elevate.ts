/**
 * Running one command with administrator rights, with arguments always as an array:
 * pkexec (polkit dialog) or sudo (terminal) on Linux, an osascript `do shell script … with
 * administrator privileges` on macOS, a UAC prompt through `Start-Process -Verb RunAs` on
 * Windows. Where a string must be built (AppleScript, PowerShell), every argument is quoted
 * strictly here and nowhere else. Certificates reach the elevated tool through a 0600 file in a
 * private mkdtemp folder that is removed afterwards.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import type { CommandRunner, RunOptions, RunResult } from './exec'

export type ElevationMethod = 'pkexec' | 'sudo' | 'osascript' | 'uac'

export interface Elevator {
  readonly method: ElevationMethod
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>
}

function assertNoNul(values: readonly string[]): void {
  if (values.some((v) => v.includes('\0')))
    throw new AppError('bad_input', 'An argument contains a NUL byte and cannot be passed to a command.')
}

/** POSIX shell single-quoting: `it's` → `'it'\''s'`. Nothing inside single quotes is special. */
export function shellQuote(arg: string): string {
  assertNoNul([arg])
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

/** An AppleScript string literal: backslash, double quote and control characters escaped. */
export function appleScriptString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/** The osascript argument array that runs the commands (joined with &&) after the admin dialog. */
export function osascriptArgs(commands: ReadonlyArray<readonly [string, ...string[]]>, prompt?: string): string[] {
  const shell = commands.map((argv) => argv.map(shellQuote).join(' ')).join(' && ')
  const withPrompt = prompt ? ` with prompt ${appleScriptString(prompt)}` : ''
  return ['-e', `do shell script ${appleScriptString(shell)} with administrator privileges${withPrompt}`]
}

/** One argument for a Windows command line (the CommandLineToArgvW / MSVCRT rules). */
export function windowsQuoteArg(arg: string): string {
  assertNoNul([arg])
  if (arg !== '' && !/[\s"]/.test(arg)) return arg
  let out = '"'
  let backslashes = 0
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++
      continue
    }
    if (ch === '"') {
      out += '\\'.repeat(backslashes * 2 + 1) + '"'
    } else {
      out += '\\'.repeat(backslashes) + ch
    }
    backslashes = 0
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`
}

/** A PowerShell single-quoted literal; PowerShell also treats the typographic quotes as quotes. */
export function powershellString(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`
}

export const POWERSHELL_BASE_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'] as const

/** PowerShell reads -EncodedCommand as base64 of UTF-16LE, which sidesteps command-line quoting. */
export function powershellEncoded(script: string): string[] {
  return [...POWERSHELL_BASE_ARGS, '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')]
}

/** The script that starts FILE ARGS elevated (UAC prompt), waits, and passes its exit code on. */
export function uacScript(file: string, args: readonly string[]): string {
  const argumentLine = args.map(windowsQuoteArg).join(' ')
  return [
    `$p = Start-Process -FilePath ${powershellString(file)}` +
      (args.length ? ` -ArgumentList ${powershellString(argumentLine)}` : '') +
      ' -Verb RunAs -Wait -PassThru -WindowStyle Hidden',
    'exit $p.ExitCode',
  ].join('\n')
}

export function createElevator(
  method: ElevationMethod,
  runner: CommandRunner,
  tools: { pkexec?: string; sudo?: string; osascript?: string; powershell?: string } = {},
): Elevator {
  switch (method) {
    case 'pkexec':
      return { method, run: (file, args, options) => runner.run(tools.pkexec ?? 'pkexec', [file, ...args], options) }
    case 'sudo':
      return { method, run: (file, args, options) => runner.run(tools.sudo ?? 'sudo', ['--', file, ...args], options) }
    case 'osascript':
      return {
        method,
        run: (file, args, options) =>
          runner.run(
            tools.osascript ?? '/usr/bin/osascript',
            osascriptArgs([[file, ...args]], 'Certdesk wants to change the trusted certificates.'),
            options,
          ),
      }
    case 'uac':
      return {
        method,
        run: (file, args, options) => runner.run(tools.powershell ?? 'powershell.exe', powershellEncoded(uacScript(file, args)), options),
      }
  }
}

/** Picks the prompt a person will actually see: a graphical one on desktops, sudo in a terminal. */
export function defaultElevationMethod(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, hasTerminal: boolean): ElevationMethod {
  if (platform === 'darwin') return 'osascript'
  if (platform === 'win32') return 'uac'
  const desktop = Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY'])
  return desktop || !hasTerminal ? 'pkexec' : 'sudo'
}

/**
 * The start of every elevated POSIX script: a folder root creates itself (mktemp -d: 0700, root-owned,
 * in /tmp whatever TMPDIR says) and removes on exit. The elevated side never reads from, or restores
 * into, a folder the user owns, so nothing can be swapped in while the password prompt is open.
 */
export const ROOT_WORKDIR = ['work=$(TMPDIR=/tmp mktemp -d) || exit 1', `trap 'rm -rf -- "$work"' EXIT`] as const

/**
 * An elevated POSIX script whose `$1` is a certificate PEM: root writes it to "$work/root.pem" in its
 * own folder, shifts it off, then runs `body` (which may use "$work/root.pem" and the remaining "$@").
 * Run as `/bin/sh -c SCRIPT NAME PEM ARGS…`: arguments arrive as $1..$n, never spliced into the script.
 */
export function rootPemScript(body: readonly string[]): string {
  return ['pem=$1; shift', ...ROOT_WORKDIR, `printf '%s' "$pem" > "$work/root.pem" || exit 1`, ...body].join('\n')
}

/** Writes `contents` to a 0600 file in a fresh private folder, runs `fn`, and removes both. */
export async function withPrivateTempFile<T>(
  contents: string | Buffer,
  name: string,
  fn: (path: string, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-trust-'))
  try {
    const path = join(dir, name)
    await writeFile(path, contents, { mode: 0o600, flag: 'wx' })
    return await fn(path, dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
