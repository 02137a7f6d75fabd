/**
 * The CLI turns on Node's module compile cache in the user's cache folder, so a one-shot command does not
 * compile Certdesk's modules again on every run; Node's own switches still rule (NODE_COMPILE_CACHE,
 * NODE_DISABLE_COMPILE_CACHE), and a cache that cannot be written is no error. Run in a child Node (the
 * cache belongs to a process), which loads compile-cache.ts as it is (Node strips its types).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { compileCacheDir } from '../../src/cli/compile-cache'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-compile-cache-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A child Node that turns the cache on as the CLI does, loads one more module, flushes, and prints the folder. */
function child(env: NodeJS.ProcessEnv): Promise<{ code: number; folder: string | null; err: string }> {
  const loaded = join(dir, 'loaded.mjs')
  writeFileSync(loaded, 'export const answer = 42\n')
  const script = join(dir, 'entry.mjs')
  writeFileSync(
    script,
    [
      `const { useCompileCache } = await import(${JSON.stringify(resolve('src/cli/compile-cache.ts'))})`,
      'const folder = useCompileCache()',
      `await import(${JSON.stringify(loaded)})`,
      ";(await import('node:module')).flushCompileCache()",
      'process.stdout.write(JSON.stringify({ folder: folder ?? null }))',
    ].join('\n'),
  )
  const base = { PATH: process.env['PATH'], HOME: join(dir, 'home') }
  return new Promise((done) =>
    execFile(process.execPath, [script], { env: { ...base, ...env } }, (error, stdout, stderr) =>
      done({
        code: error ? Number(error.code ?? -1) : 0,
        folder: stdout ? (JSON.parse(stdout) as { folder: string | null }).folder : null,
        err: stderr,
      }),
    ),
  )
}

describe('the compile cache folder', () => {
  test('is the platform’s cache folder for the user', () => {
    const env = { XDG_CACHE_HOME: '/x/cache', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }
    expect(compileCacheDir(env, 'linux', '/home/u')).toBe('/x/cache/certdesk/compile-cache')
    expect(compileCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/certdesk/compile-cache')
    // XDG Base Directory: a relative XDG_CACHE_HOME is invalid and ignored.
    expect(compileCacheDir({ XDG_CACHE_HOME: 'cache' }, 'linux', '/home/u')).toBe('/home/u/.cache/certdesk/compile-cache')
    expect(compileCacheDir(env, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/Certdesk/compile-cache')
    expect(compileCacheDir(env, 'win32', '/Users/u')).toBe(join('C:\\Users\\u\\AppData\\Local', 'Certdesk', 'Cache', 'compile-cache'))
  })
})

describe('the CLI process', () => {
  test('keeps compiled modules in the user’s cache folder', async () => {
    const cache = join(dir, 'xdg')
    const run = await child({ XDG_CACHE_HOME: cache })
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(run.folder?.startsWith(join(cache, 'certdesk', 'compile-cache'))).toBe(true)
    expect(readdirSync(run.folder!).length).toBeGreaterThan(0)
  })

  test('follows NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE', async () => {
    const chosen = join(dir, 'chosen')
    const moved = await child({ XDG_CACHE_HOME: join(dir, 'unused'), NODE_COMPILE_CACHE: chosen })
    expect(moved.folder?.startsWith(chosen)).toBe(true)
    expect(existsSync(join(dir, 'unused'))).toBe(false)
    const off = await child({ XDG_CACHE_HOME: join(dir, 'off'), NODE_DISABLE_COMPILE_CACHE: '1' })
    expect(off).toMatchObject({ code: 0, folder: null, err: '' })
    expect(existsSync(join(dir, 'off'))).toBe(false)
  })

  test('runs on when the cache cannot be written', async () => {
    const notAFolder = join(dir, 'file')
    writeFileSync(notAFolder, '')
    const run = await child({ XDG_CACHE_HOME: notAFolder })
    expect(run).toMatchObject({ code: 0, folder: null, err: '' })
  })
})
