/**
 * Two processes on one file (the app running while the CLI creates a key or records a create intent):
 * a JsonFile sees what the other wrote instead of overwriting it with its stale cache.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { JsonFile } from '../../../src/main/storage/json-file'

const dir = mkdtempSync(join(tmpdir(), 'certdesk-json-shared-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const Doc = z.object({ items: z.array(z.string()) })
const open = () =>
  new JsonFile(
    join(dir, 'doc.json'),
    Doc,
    () => ({ items: [] }),
    () => {},
  )

describe('JsonFile shared by two writers', () => {
  test('an update after the other writer changed the file keeps both changes', () => {
    const app = open()
    const cli = open()
    app.update((d) => ({ items: [...d.items, 'from the app'] }))
    expect(cli.read().items).toEqual(['from the app'])
    cli.update((d) => ({ items: [...d.items, 'from the CLI'] }))
    app.update((d) => ({ items: [...d.items, 'app again'] }))
    expect(open().read().items).toEqual(['from the app', 'from the CLI', 'app again'])
  })

  test('an unchanged file is served from the cache (no re-parse)', () => {
    const file = open()
    const first = file.read()
    expect(file.read()).toBe(first)
  })
})
