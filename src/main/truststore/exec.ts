/**
 * The one way the trust-store backends run tools: a file and an argument array over execFile,
 * never a shell string. Injected into every backend so macOS and Windows backends can be tested
 * by the exact argument arrays they build and the recorded outputs they parse.
 */
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export interface RunOptions {
  input?: string | Buffer
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

export interface RunResult {
  /** Exit code; null when the process could not start or was killed. */
  code: number | null
  stdout: string
  stderr: string
  /** Set when the tool could not be started (ENOENT, EACCES) or timed out. */
  error?: string
}

export interface CommandRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>
}

const DEFAULT_TIMEOUT_MS = 60_000

export const execRunner: CommandRunner = {
  run(file, args, options = {}) {
    return new Promise((resolve) => {
      const child = execFile(
        file,
        [...args],
        {
          env: options.env ?? process.env,
          timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBuffer: 256 * 1024 * 1024,
          encoding: 'utf8',
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr })
          const err = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean }
          if (typeof err.code === 'number') return resolve({ code: err.code, stdout, stderr })
          const reason = err.killed
            ? `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
            : `${err.code ?? ''} ${err.message}`.trim()
          resolve({ code: null, stdout, stderr, error: reason })
        },
      )
      // Without input, close stdin so a tool that asks a question sees EOF instead of hanging.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(options.input ?? '')
    })
  },
}

/** The tool's own words for a failure, trimmed to something that fits a report line. */
export function toolMessage(result: RunResult, max = 2000): string {
  const text = [result.error, result.stderr.trim(), result.stderr.trim() ? '' : result.stdout.trim()].filter(Boolean).join('\n').trim()
  const msg = text || `exited with code ${String(result.code)}`
  return msg.length > max ? `${msg.slice(0, max)}…` : msg
}

/** Finds an executable on PATH plus the sbin folders a desktop user's PATH often lacks. */
export function findExecutable(
  name: string,
  pathEnv: string | undefined = process.env['PATH'],
  extraDirs: readonly string[] = ['/usr/sbin', '/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'],
): string | null {
  const dirs = [...(pathEnv ?? '').split(delimiter).filter(Boolean), ...extraDirs]
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {
        // not here
      }
    }
  }
  return null
}
