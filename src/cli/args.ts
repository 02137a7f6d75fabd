/**
 * What every command does with its flags and its output, in one place: string, number, list and
 * file flags, the one positional, tables for human output, the question before a destructive change,
 * and which errors mean bad input (exit 2) rather than a failed check or operation (exit 1).
 * Light on purpose: `certdesk trust list` and `certdesk --version` load it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { AppError, type ErrorShape } from '../shared/errors'
import { checkPemFileSize } from '../main/certs/pem'
import { UsageError, type CommandContext } from './command'

/** The declarations of flags that each take a value, for a command's `options`: `stringOptions('cert', 'key')`. */
export function stringOptions<K extends string>(...names: K[]): Record<K, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<K, { type: 'string' }>
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/

/** A time flag: an RFC 3339 time or "now"; undefined when absent. */
export function time(ctx: CommandContext, name: string): Date | undefined {
  const value = str(ctx, name)
  if (value === undefined || value === 'now') return value === 'now' ? new Date() : undefined
  const ms = RFC3339.test(value) ? Date.parse(value.replace(' ', 'T')) : NaN
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be an RFC 3339 time such as 2026-01-31T12:00:00Z, or "now", not "${value}"`)
  return new Date(ms)
}

/** A string flag, or undefined when absent. */
export function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name]
  return typeof v === 'string' ? v : undefined
}

/** A string flag that must be given (and not empty). */
export function required(ctx: CommandContext, name: string, what?: string): string {
  const v = str(ctx, name)
  if (v === undefined || v === '') throw new UsageError(`--${name}${what ? ` ${what}` : ''} is required`)
  return v
}

/** A boolean flag. */
export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true
}

/** A repeatable flag, each value as given: `--san DNS:a --san URI:https://b/?x=1,2`. */
export function repeated(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String)
}

/** A repeatable flag, each value also split at commas: `--store system,nss --store java`. */
export function list(ctx: CommandContext, name: string): string[] {
  return repeated(ctx, name).flatMap((item) => item.split(','))
}

/** The `--hostname` values (repeatable or comma-separated), at least one; `purpose` completes "the hostnames …". */
export function requiredHostnames(ctx: CommandContext, purpose: string): string[] {
  const hostnames = list(ctx, 'hostname').map((h) => h.trim())
  if (hostnames.length === 0 || hostnames.some((h) => h === '')) {
    throw new UsageError(`--hostname is required: the hostnames ${purpose}, e.g. --hostname api.example.com`)
  }
  return hostnames
}

/** A flag whose value must be one of `choices` (`unknown profile "x"; choose one of a|b`), or undefined when absent. */
export function oneOf<T extends string>(ctx: CommandContext, name: string, choices: readonly T[], what = name): T | undefined {
  const v = str(ctx, name)
  if (v === undefined) return undefined
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`unknown ${what} "${v}"; choose one of ${choices.join('|')}`)
  return v as T
}

/** A whole-number flag within [min, max], or the fallback when absent. */
export function int(ctx: CommandContext, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const v = str(ctx, name)
  if (v === undefined) return undefined
  const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`
    throw new UsageError(`--${name} must be a whole number ${bounds}, not "${v}"`)
  }
  return n
}

/** Exactly one positional argument. */
export function positional(ctx: CommandContext, what: string): string {
  if (ctx.positionals.length !== 1 || !ctx.positionals[0]) throw new UsageError(`give exactly one ${what}`)
  return ctx.positionals[0]
}

/** A path as the user gave it, taken from the CLI's cwd (not the process's). */
export function cliPath(ctx: CommandContext, file: string): string {
  return isAbsolute(file) ? file : resolve(ctx.io.cwd, file)
}

/** An output file; one that exists is refused unless `--force` is given, so a key cannot be lost to a typo. */
export function outputPath(ctx: CommandContext, option: string): string {
  const file = required(ctx, option)
  const full = cliPath(ctx, file)
  if (existsSync(full) && !flag(ctx, 'force')) {
    throw new AppError('bad_input', `${file} already exists; Certdesk does not overwrite it.`, {
      hint: 'Choose another --' + option + ' path, or pass --force to replace the file.',
    })
  }
  return full
}

/** A password from the environment variable named by `--<option>`; never from argv (which `ps` shows). */
export function passwordFrom(ctx: CommandContext, option: string): string | undefined {
  const variable = str(ctx, option)
  if (variable === undefined) return undefined
  const value = ctx.io.env[variable]
  if (value === undefined || value === '')
    throw new UsageError(`--${option} names ${variable}, but that environment variable is empty or not set`)
  return value
}

/** A PEM input file, size-checked before it is read (an over-size file is refused, naming it as given). */
export function readPemFile(ctx: CommandContext, file: string, what: string): string {
  return readInputFile(ctx, file, what).toString('utf8')
}

/** A PEM or DER input file as bytes, size-checked like {@link readPemFile}. */
export function readInputFile(ctx: CommandContext, file: string, what: string): Buffer {
  const full = cliPath(ctx, file)
  checkPemFileSize(full, file)
  try {
    return readFileSync(full)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const message = code === 'ENOENT' ? `${file} does not exist.` : `${file} could not be read (${code ?? 'error'}).`
    throw new AppError('bad_input', message, { hint: `Give the path of ${what}.`, cause: error })
  }
}

const MAX_JSON_BYTES = 4 << 20

/** A JSON input file (at most 4 MiB); what it must hold is checked by the contract it is sent to. */
export function readJsonFile(ctx: CommandContext, file: string): unknown {
  const full = cliPath(ctx, file)
  let text: string
  try {
    if (statSync(full).size > MAX_JSON_BYTES)
      throw new AppError('bad_input', `${file} is over 4 MiB; Certdesk reads JSON files of at most 4 MiB.`)
    text = readFileSync(full, 'utf8')
  } catch (error) {
    if (error instanceof AppError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const message = code === 'ENOENT' ? `${file} does not exist.` : `${file} could not be read (${code ?? 'error'}).`
    throw new AppError('bad_input', message, { hint: 'Give the path of a JSON file.', cause: error })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new AppError('bad_input', `${file} is not JSON: ${(error as Error).message}`, { hint: 'Give the path of a JSON file.' })
  }
}

/** Columns padded to their widest cell, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/**
 * Before a change that cannot be undone: `--yes`, or a "yes" on the terminal. In a script (stdin
 * not a terminal) without `--yes` it is refused as bad input; a "no" on the terminal returns false.
 */
export async function confirmed(ctx: CommandContext, what: string): Promise<boolean> {
  if (flag(ctx, 'yes')) return true
  const sentence = `${what.charAt(0).toUpperCase()}${what.slice(1)}`
  if (!ctx.io.confirm) throw new UsageError(`${sentence}: this cannot be undone; pass --yes to confirm (stdin is not a terminal to ask on)`)
  return ctx.io.confirm(`${sentence}? This cannot be undone.`)
}

/** An IPC error shape back into the AppError it was, so it is reported like any other. */
export function appErrorFrom(shape: ErrorShape): AppError {
  return new AppError(shape.code, shape.message, {
    ...(shape.hint === undefined ? {} : { hint: shape.hint }),
    ...(shape.details === undefined ? {} : { details: shape.details }),
  })
}
