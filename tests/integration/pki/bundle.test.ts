/**
 * The RSA worker must load from a bundle exactly as electron-vite lays it out: keygen-worker.js is
 * its own entry in out/main/, and keys.ts may end up in the entry itself or in out/main/chunks/.
 * This bundles the real sources with rolldown (what electron-vite uses) into a private folder
 * shaped like that and generates RSA keys in a separate Node process from both places. (Under
 * vitest the same code resolves keygen-worker.ts next to keys.ts; every other keys test covers that.)
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { rolldown } from 'rolldown'
import { afterAll, expect, test } from 'vitest'
import { tempDir } from '../../support/tools'

const run = promisify(execFile)
const dir = tempDir('certdesk-bundle-')
afterAll(() => dir.remove())

test('generateKey(rsa-2048) works from the entry bundle and from a shared chunk', async () => {
  const src = join(dir.path, 'src')
  mkdirSync(src)
  const keys = resolve('src/main/pki/keys.ts')
  // Two entries importing keys.ts force it into a shared chunk; the third entry is the worker.
  const entry = (name: string) =>
    `import { generateKey, keygenWorkerUrl, shutdownKeyPool } from ${JSON.stringify(keys)}\nconst k = await generateKey('rsa-2048')\nconsole.log(JSON.stringify({ entry: '${name}', worker: keygenWorkerUrl().pathname, type: k.type, bits: k.privateKey.algorithm.modulusLength }))\nawait shutdownKeyPool()\n`
  writeFileSync(join(src, 'a.ts'), entry('a'))
  writeFileSync(join(src, 'b.ts'), entry('b'))
  const build = async (out: string, entries: string[]): Promise<void> => {
    const input = Object.fromEntries([
      ...entries.map((e) => [e, join(src, `${e}.ts`)]),
      ['keygen-worker', resolve('src/main/pki/keygen-worker.ts')],
    ])
    const bundle = await rolldown({ input, platform: 'node', external: [/^node:/] })
    await bundle.write({ dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' })
    await bundle.close()
    expect(existsSync(join(out, 'keygen-worker.js'))).toBe(true)
  }
  const shared = join(dir.path, 'shared', 'out', 'main')
  await build(shared, ['a', 'b'])
  expect(readdirSync(join(shared, 'chunks')).some((c) => c.startsWith('keys-'))).toBe(true)
  const inlined = join(dir.path, 'inlined', 'out', 'main')
  await build(inlined, ['a'])
  expect(existsSync(join(inlined, 'chunks'))).toBe(false)
  for (const [out, name] of [
    [shared, 'a'],
    [shared, 'b'],
    [inlined, 'a'],
  ] as const) {
    const { stdout } = await run(process.execPath, [join(out, `${name}.js`)], { cwd: dir.path })
    const result = JSON.parse(stdout.trim()) as { worker: string; type: string; bits: number }
    expect(result).toMatchObject({ type: 'rsa-2048', bits: 2048 })
    expect(result.worker).toBe(join(out, 'keygen-worker.js'))
  }
}, 60_000)
