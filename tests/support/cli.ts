/**
 * The CLI in-process for tests: `certdesk …` through the real runCli with what it prints captured, and a Sandbox
 * fixture for the `certdesk cf …` tests (the official SDK on the same Sandbox, as the referee).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Cloudflare from 'cloudflare'
import { afterAll, beforeAll } from 'vitest'
import type { CliIo } from '../../src/cli/command'
import { runCli } from '../../src/cli/run'
import { startSandbox, type SandboxHandle } from '../../src/main/sandbox'

export interface CliRun {
  code: number
  out: string
  err: string
}

/** `certdesk argv` with `io`'s environment, folder and terminal question, returning the exit code and what it printed. */
export async function runCaptured(argv: string[], io: Omit<CliIo, 'stdout' | 'stderr'>): Promise<CliRun> {
  let out = ''
  let err = ''
  const code = await runCli(argv, { ...io, stdout: (t) => (out += t), stderr: (t) => (err += t) }, 'test')
  return { code, out, err }
}

export interface CliOptions {
  /** CLOUDFLARE_API_TOKEN; the Sandbox's full token unless given. */
  token?: string
  /** Answers the terminal's yes/no question; without it the CLI runs as in a script (no terminal). */
  confirm?: (question: string) => Promise<boolean>
}

export interface CfSandbox {
  /** The running Sandbox (from beforeAll on). */
  readonly sb: SandboxHandle
  /** The official SDK on it, with the full token. */
  readonly sdk: Cloudflare
  /** The CLI's user-data folder and working directory. */
  readonly dir: string
  /** The id of the Sandbox's example.com zone. */
  readonly zoneId: string
  /** `certdesk argv` as given. */
  run(argv: string[], options?: CliOptions): Promise<CliRun>
  /** `certdesk cf argv --base-url <the Sandbox>`. */
  cf(argv: string[], options?: CliOptions): Promise<CliRun>
}

/**
 * A Sandbox started before the file's tests and closed after them, with a fresh user-data folder (removed after).
 * Call it at the top of a test file; hooks the file adds later run after the Sandbox is up.
 */
export function useCfSandbox(prefix: string, options: Parameters<typeof startSandbox>[0] = { seed: 'empty' }): CfSandbox {
  let state: { sb: SandboxHandle; sdk: Cloudflare; dir: string } | undefined
  const get = () => {
    if (!state) throw new Error('useCfSandbox: the Sandbox is not started yet (use it inside a test or a later hook)')
    return state
  }
  beforeAll(async () => {
    const sb = await startSandbox(options)
    const sdk = new Cloudflare({ apiToken: sb.tokens.full, baseURL: sb.url, maxRetries: 0 })
    state = { sb, sdk, dir: mkdtempSync(join(tmpdir(), prefix)) }
  })
  afterAll(async () => {
    await state?.sb.close()
    if (state) rmSync(state.dir, { recursive: true, force: true })
  })
  const run = (argv: string[], cli: CliOptions = {}) => {
    const { sb, dir } = get()
    const env = { CLOUDFLARE_API_TOKEN: cli.token ?? sb.tokens.full, CERTDESK_USER_DATA: dir }
    return runCaptured(argv, { env, cwd: dir, ...(cli.confirm ? { confirm: cli.confirm } : {}) })
  }
  return {
    get sb() {
      return get().sb
    },
    get sdk() {
      return get().sdk
    },
    get dir() {
      return get().dir
    },
    get zoneId() {
      const zone = get().sb.zones.find((z) => z.name === 'example.com')
      if (!zone) throw new Error('useCfSandbox: this seed has no example.com zone')
      return zone.id
    },
    run,
    cf: (argv, cli) => run(['cf', ...argv, '--base-url', get().sb.url], cli),
  }
}
