/**
 * The shape of a CLI command. Each domain adds one file in commands/ and one line in
 * commands/index.ts. Exit codes: 0 success, 1 a check failed or an operation failed,
 * 2 bad input or usage.
 */
import type { ParseArgsConfig } from 'node:util'

export const EXIT_OK = 0
export const EXIT_CHECK_FAILED = 1
export const EXIT_USAGE = 2

/** Error codes that mean "the input was wrong" (exit 2) rather than "the operation failed" (exit 1). */
const INPUT_ERROR_CODES: ReadonlySet<string> = new Set(['bad_input', 'validation', 'usage'])

export function exitCodeFor(error: { code: string }): number {
  return INPUT_ERROR_CODES.has(error.code) ? EXIT_USAGE : EXIT_CHECK_FAILED
}

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  cwd: string
  /** Asks a yes/no question on the terminal; absent when stdin is not a terminal (scripts, CI, pipes). */
  confirm?: (question: string) => Promise<boolean>
  /** Asks for a secret on the terminal without echoing it; absent when stdin is not a terminal. */
  secret?: (question: string) => Promise<string>
}

export interface CommandContext {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
  json: boolean
  io: CliIo
  /** Print a result: JSON on stdout with --json, otherwise the human text. */
  print(human: string, json: unknown): void
}

export interface Command {
  /** Words that select it, e.g. ['key', 'new']. */
  path: string[]
  summary: string
  /** Usage line(s) shown by `certdesk <path> --help`. */
  usage: string
  options?: ParseArgsConfig['options']
  allowPositionals?: boolean
  run(context: CommandContext): Promise<number> | number
}

/** Thrown for bad flags or arguments; exits 2 with the message and the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}
