import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'
import { AppError } from '../../../src/shared/errors'
import { dispatch, type Handlers } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { registerIpc, type TrustedWindow } from '../../../src/main/ipc'
import { createServices } from '../../../src/main/services'

/** Stand-ins with exactly the fields ipc.ts reads. */
function makeFrame(url: string, parent: object | null = null) {
  return { url, parent } as never
}

function setup() {
  const mainFrame = makeFrame('app://certdesk/index.html')
  const contents = { id: 7, mainFrame, send: () => undefined, isDestroyed: () => false }
  const window: TrustedWindow = { webContents: () => contents as never, allowedOrigins: ['app://certdesk'] }
  const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
  const ipcMain = {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => registered.set(channel, fn),
    removeHandler: (channel: string) => registered.delete(channel),
  }
  const services = createServices({
    userDataDir: mkdtempSync(join(tmpdir(), 'certdesk-ipc-')),
    appVersion: '1.2.3',
    secrets: { get: async () => null, set: async () => undefined, delete: async () => false },
  })
  const logs: string[] = []
  const unregister = registerIpc(ipcMain as never, window, createHandlers(services), (m) => logs.push(m))
  return { registered, mainFrame, contents, logs, unregister }
}

describe('IPC binding', () => {
  test('registers exactly the contract channels and removes them again', () => {
    const { registered, unregister } = setup()
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort())
    unregister()
    expect(registered.size).toBe(0)
  })

  test('answers a call from the app main frame', async () => {
    const { registered, mainFrame } = setup()
    const result = (await registered.get('app:info')!({ sender: { id: 7 }, senderFrame: mainFrame }, undefined)) as {
      ok: boolean
      value: { version: string }
    }
    expect(result.ok).toBe(true)
    expect(result.value.version).toBe('1.2.3')
  })

  test('rejects a call from a foreign frame (other origin, subframe, other webContents, no frame)', async () => {
    const { registered, mainFrame, logs } = setup()
    const call = registered.get('profiles:list')!
    const cases = [
      { sender: { id: 7 }, senderFrame: makeFrame('https://evil.example/') },
      { sender: { id: 7 }, senderFrame: makeFrame('app://certdesk/index.html', mainFrame as object) },
      { sender: { id: 8 }, senderFrame: mainFrame },
      { sender: { id: 7 }, senderFrame: null },
    ]
    for (const event of cases) {
      const result = (await call(event, undefined)) as { ok: boolean; error: { code: string } }
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } })
    }
    expect(logs.filter((l) => l.includes('untrusted frame'))).toHaveLength(cases.length)
  })

  test('rejects a payload that fails its schema, naming the field', async () => {
    const { registered, mainFrame } = setup()
    const result = (await registered.get('settings:set')!({ sender: { id: 7 }, senderFrame: mainFrame }, { theme: 'purple' })) as {
      ok: boolean
      error: { code: string; message: string }
    }
    expect(result.ok).toBe(false)
    expect(result.error.code).toBe('validation')
    expect(result.error.message).toContain('theme')
  })

  test('rejects fields the contract does not know (strict requests)', async () => {
    const { registered, mainFrame } = setup()
    const result = (await registered.get('settings:set')!({ sender: { id: 7 }, senderFrame: mainFrame }, { windowBounds: { x: 0 } })) as {
      ok: boolean
      error: { code: string }
    }
    expect(result).toMatchObject({ ok: false, error: { code: 'validation' } })
  })
})

describe('dispatch', () => {
  const context = { emit: () => undefined }
  const base = {} as Handlers

  test('rejects an unknown channel', async () => {
    const result = await dispatch(base, 'keys:steal', {}, context)
    expect(result).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'There is no IPC channel named "keys:steal".' } })
  })

  test('passes AppError code, message and hint through; hides anything else', async () => {
    const handlers = {
      'profiles:list': () => {
        throw new AppError('keychain_unavailable', 'No keychain', { hint: 'Unlock it' })
      },
      'app:info': () => {
        throw new Error('ENOENT /home/someone/.secret')
      },
    } as unknown as Handlers
    expect(await dispatch(handlers, 'profiles:list', undefined, context)).toEqual({
      ok: false,
      error: { code: 'keychain_unavailable', message: 'No keychain', hint: 'Unlock it' },
    })
    const internal: unknown[] = []
    const hidden = await dispatch(handlers, 'app:info', undefined, context, (_c, e) => internal.push(e))
    expect(hidden.ok).toBe(false)
    expect(JSON.stringify(hidden)).not.toContain('/home/someone')
    expect(internal).toHaveLength(1)
  })

  test('says what is wrong with a request in words, naming the field as the screens do', async () => {
    const message = async (channel: string, payload: unknown) => {
      const result = await dispatch({} as Handlers, channel, payload, context)
      expect(result.ok).toBe(false)
      return (result as { error: { code: string; message: string } }).error.message
    }
    const csr = await message('keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'x', c: 'USA' }, sans: ['a.example', ''] })
    expect(csr).toContain('Subject alternative name 2 is required.')
    expect(csr).not.toMatch(/Too small|expected string|sans\.1|subject\.|>=/)
    const root = await message('keys:newRoot', { cn: 'Root', keyType: 'rsa-2048', days: 0 })
    expect(root).toBe('The validity (days) must be at least 1.')
    const extra = await message('keys:delete', { id: '0'.repeat(32), force: true })
    expect(extra).toBe('This field is not expected here: force.')
    const kind = await message('keys:newRoot', { cn: 'Root', keyType: 'dsa', days: 30 })
    expect(kind).toMatch(/^The key type must be one of: /)
    // A message the schema spells out itself is kept as it is.
    const token = await message('profiles:add', { kind: 'cloudflare', name: 'Work', token: 'short' })
    expect(token).toBe('That token is too short to be a Cloudflare API token.')
    expect(token).not.toMatch(/^token:/)
  })

  test('strips response fields the contract does not name, so nothing extra reaches the renderer', async () => {
    const handlers = {
      'profiles:list': () => [
        {
          id: '5c1f7f4e-4d8a-4b8e-9f5a-0d7b1d1e2f3a',
          name: 'P',
          kind: 'cloudflare',
          createdAt: new Date().toISOString(),
          token: 'SECRET',
          accounts: [],
          zones: [],
        },
      ],
    } as unknown as Handlers
    const result = await dispatch(handlers, 'profiles:list', undefined, context)
    expect(result.ok).toBe(true)
    expect(JSON.stringify(result)).not.toContain('SECRET')
  })
})
