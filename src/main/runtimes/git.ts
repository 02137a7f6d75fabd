/**
 * git reads only http.sslCAInfo when it is set (git docs: git-config, http.sslCAInfo): the user's global
 * configuration points it at the combined bundle. `git config --global` writes ~/.gitconfig, or the XDG file
 * when only that one exists; whichever it is, it is backed up first.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import { findExecutable, toolMessage, type RunResult } from '../truststore/exec'
import type { FixContext, RuntimeBackend } from './backend'

/** The file `git config --global` writes. */
export function globalGitConfig(home: string, env: NodeJS.ProcessEnv): string {
  const dotfile = join(home, '.gitconfig')
  const xdg = join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'git', 'config')
  return !existsSync(dotfile) && existsSync(xdg) ? xdg : dotfile
}

export function git(ctx: Pick<FixContext, 'home' | 'env' | 'runner'>, args: string[]): Promise<RunResult> {
  return ctx.runner.run(findExecutable('git', ctx.env['PATH'], []) ?? 'git', ['config', '--global', ...args], {
    env: { ...ctx.env, HOME: ctx.home },
    timeoutMs: 15_000,
  })
}

/** The global http.sslCAInfo, or null when unset. */
async function currentCaInfo(ctx: FixContext): Promise<string | null> {
  const result = await git(ctx, ['--get', 'http.sslCAInfo'])
  if (result.code === 0) return result.stdout.trim()
  if (result.code === 1) return null
  throw new AppError('runtime_fix_failed', 'git config could not read the global configuration.', { hint: toolMessage(result) })
}

export const gitBackend: RuntimeBackend = {
  runtime: 'git',
  envLines: () => [],
  async apply(ctx) {
    const file = globalGitConfig(ctx.home, ctx.env)
    const previous = await currentCaInfo(ctx)
    if (previous === ctx.layout.bundle) return `http.sslCAInfo already points at the bundle (${file}).`
    ctx.journal.touch(file, 'gitconfig')
    if (ctx.journal.data.gitPrevious === undefined) {
      ctx.journal.data.gitPrevious = previous
      ctx.journal.save()
    }
    const result = await git(ctx, ['http.sslCAInfo', ctx.layout.bundle])
    ctx.journal.recordAfter(file)
    if (result.code !== 0) {
      throw new AppError('runtime_fix_failed', 'git config could not set http.sslCAInfo.', { hint: toolMessage(result) })
    }
    return `git config --global http.sslCAInfo set in ${file}${previous ? ` (was ${previous})` : ''}.`
  },
  missing: (ctx) => (findExecutable('git', ctx.env['PATH'], []) ? null : 'git is not installed (not on PATH).'),
}
