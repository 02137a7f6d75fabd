/** `fleet:exportKit`: the folder comes from main's dialog, a non-empty one only after a yes, a bad root before any dialog. */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/main/handlers'
import { createServices, type ConfirmRequest } from '../../src/main/services'
import { CertFactory, sha256Hex } from '../support/cert-factory'
import { ipcCaller, memorySecrets } from '../support/services'

const certs = new CertFactory()
const root = certs.root('IPC Fleet Root')
const base = mkdtempSync(join(tmpdir(), 'certdesk-fleet-ipc-'))
let answer: string | null
let yes: boolean
const asked: Array<{ title: string; folder?: boolean }> = []
const confirmations: ConfirmRequest[] = []
const services = createServices({
  userDataDir: join(base, 'user-data'),
  appVersion: '4.5.6',
  secrets: memorySecrets(),
  dialogs: {
    saveFile: async () => null,
    openPath: async (options) => {
      asked.push(options)
      return answer
    },
    confirm: async (request) => {
      confirmations.push(request)
      return yes
    },
  },
})
const call = ipcCaller(createHandlers(services))
const exportKit = (certificatePem: string) =>
  call<{ folder: string | null; files: string[]; root: { sha256: string } }>('fleet:exportKit', { certificatePem })

beforeEach(() => {
  asked.length = 0
  confirmations.length = 0
  yes = true
})
afterAll(() => {
  certs.cleanup()
  rmSync(base, { recursive: true, force: true })
})

describe('fleet:exportKit', () => {
  it('writes the kit into the folder chosen in main (folder: true), with the app version in the reports', async () => {
    answer = join(base, 'new-kit')
    const result = await exportKit(root.pem)
    expect(asked).toEqual([{ title: 'Folder for the fleet kit of “IPC Fleet Root”', extensions: [], folder: true }])
    expect(confirmations).toEqual([])
    expect(result.folder).toBe(answer)
    expect(result.root.sha256).toBe(sha256Hex(root.pem).toLowerCase())
    expect(readdirSync(answer)).toHaveLength(13)
    expect(readFileSync(join(answer, 'verify-windows.ps1'), 'utf8')).toContain("version = '4.5.6'")
  })

  it('a cancelled dialog writes nothing', async () => {
    answer = null
    const result = await exportKit(root.pem)
    expect(result).toMatchObject({ folder: null, files: [] })
  })

  it('asks before writing into a folder that holds files, naming those it replaces; a no writes nothing', async () => {
    answer = join(base, 'busy')
    mkdirSync(answer)
    writeFileSync(join(answer, 'root.pem'), 'old')
    writeFileSync(join(answer, 'notes.txt'), 'mine')
    yes = false
    await expect(exportKit(root.pem)).rejects.toMatchObject({ code: 'cancelled' })
    expect(confirmations[0]).toMatchObject({ confirmLabel: 'Write kit', destructive: true })
    expect(confirmations[0]!.detail).toContain('These files of the same name are replaced: root.pem.')
    expect(readdirSync(answer).sort()).toEqual(['notes.txt', 'root.pem'])
    expect(readFileSync(join(answer, 'root.pem'), 'utf8')).toBe('old')
    yes = true
    await exportKit(root.pem)
    expect(readFileSync(join(answer, 'root.pem'), 'utf8')).toBe(root.pem)
    expect(readFileSync(join(answer, 'notes.txt'), 'utf8')).toBe('mine')
  })

  it('refuses a leaf before any dialog', async () => {
    answer = join(base, 'never')
    await expect(exportKit(certs.leaf(root).pem)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('not a CA') })
    expect(asked).toEqual([])
    expect(() => readdirSync(join(base, 'never'))).toThrow()
  })
})
