/**
 * The built preload must be one CommonJS file that requires only `electron` (a sandboxed preload
 * cannot load anything else), and must expose one function per contract channel.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { CHANNELS } from '../../src/shared/contract'

const PRELOAD = 'out/preload/index.cjs'

describe('built preload', () => {
  test('is a single .cjs file', () => {
    expect(readdirSync('out/preload').filter((f) => /\.(c|m)?js$/.test(f))).toEqual(['index.cjs'])
  })

  test('requires nothing but electron', () => {
    const source = readFileSync(PRELOAD, 'utf8')
    const required = [...source.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(source).not.toMatch(/\bimport\s*\(/)
    expect(source).not.toMatch(/^\s*import\s/m)
  })

  test('exposes one function per channel through contextBridge, invoking the same channel', async () => {
    const source = readFileSync(PRELOAD, 'utf8')
    const invoked: Array<[string, unknown]> = []
    let exposed: Record<string, unknown> | undefined
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed = { [key]: api }) },
      ipcRenderer: {
        invoke: async (channel: string, request: unknown) => {
          invoked.push([channel, request])
          return { ok: true, value: null }
        },
        on: () => undefined,
        removeListener: () => undefined,
      },
    }
    const module = { exports: {} }
    runInNewContext(source, {
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`preload required ${name}`)
        return electron
      },
      module,
      exports: module.exports,
    })
    const api = exposed?.['certdesk'] as Record<string, Record<string, (r?: unknown) => Promise<unknown>>>
    expect(api).toBeDefined()
    for (const channel of CHANNELS) {
      const [namespace, verb] = channel.split(':') as [string, string]
      expect(typeof api[namespace]?.[verb]).toBe('function')
      await api[namespace]![verb]!({ probe: channel })
    }
    expect(invoked.map(([c]) => c)).toEqual([...CHANNELS])
    expect(() => (api['on'] as unknown as (e: string, l: () => void) => void)('not-an-event', () => {})).toThrow(/Unknown event/)
  })
})
