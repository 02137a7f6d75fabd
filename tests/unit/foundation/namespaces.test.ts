/**
 * A channel is found in one step from its name: `ns:verb` has its schema in shared/contract/ns.ts and
 * its handler in main/handlers/ns.ts. Files named after a namespace hold that namespace's channels only.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'

/** Building blocks and composition, not a namespace. */
const NOT_A_NAMESPACE = new Set(['index', 'fields', 'cloudflare', 'job', 'confirm'])
const namespaces = new Set(CHANNELS.map((c) => c.split(':')[0]!))

/**
 * The channel names a file declares: as object keys (`'ns:verb':`), or as the verbs of an
 * `operationsOf(operation, 'ns', ['verb', …])` list (channels that each just run their operation).
 */
function declared(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const keys = [...text.matchAll(/^\s*'([A-Za-z]+:[A-Za-z]+)':/gm)].map((m) => m[1]!)
  const lists = [...text.matchAll(/operationsOf\(\s*\w+,\s*'([A-Za-z]+)',\s*\[([^\]]*)\]/g)].flatMap((m) =>
    [...m[2]!.matchAll(/'([A-Za-z]+)'/g)].map((v) => `${m[1]}:${v[1]}`),
  )
  return [...keys, ...lists]
}

function namespaceFiles(dir: string): { name: string; file: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ name: f.slice(0, -3), file: `${dir}/${f}` }))
    .filter(({ name }) => !NOT_A_NAMESPACE.has(name))
}

describe.each([
  ['contract', 'src/shared/contract'],
  ['handlers', 'src/main/handlers'],
])('%s: one file per namespace', (_kind, dir) => {
  const files = namespaceFiles(dir)

  test('every file is named after a namespace and declares only its channels', () => {
    expect(files.length).toBeGreaterThanOrEqual(10)
    for (const { name, file } of files) {
      expect(namespaces, file).toContain(name)
      const channels = declared(file)
      expect(channels.length, file).toBeGreaterThan(0)
      expect(
        channels.filter((c) => !c.startsWith(`${name}:`)),
        file,
      ).toEqual([])
    }
  })

  test('a namespace with a file has every one of its channels there', () => {
    for (const { name, file } of files) {
      const expected = CHANNELS.filter((c) => c.startsWith(`${name}:`))
      // profiles:verify calls Cloudflare and stays with the Cloudflare channels until the merge places it.
      const declaredHere = new Set([...declared(file), ...(name === 'profiles' ? ['profiles:verify'] : [])])
      expect(
        expected.filter((c) => !declaredHere.has(c)),
        file,
      ).toEqual([])
    }
  })
})
