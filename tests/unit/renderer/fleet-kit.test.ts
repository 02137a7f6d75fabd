import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { fakeStore } from './support'

const ROOT = { subject: 'CN=Fleet Root', sha256: 'ab'.repeat(32) }

describe('exportFleetKit (the "Export for fleet…" button)', () => {
  it('sends the PEM to fleet:exportKit and says where the kit went', async () => {
    const { store, calls } = fakeStore({
      'fleet:exportKit': () => ({ folder: '/home/me/kit', files: ['root.cer', 'root.pem'], root: ROOT }),
    })
    const result = await store.getState().exportFleetKit('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    expect(result.ok).toBe(true)
    expect(calls).toEqual([{ channel: 'fleet:exportKit', request: { certificatePem: expect.stringContaining('BEGIN CERTIFICATE') } }])
    expect(store.getState().toasts).toEqual([
      expect.objectContaining({ kind: 'success', message: 'Wrote the fleet kit (2 files) to /home/me/kit.' }),
    ])
  })

  it('is quiet when the folder dialog was cancelled', async () => {
    const { store } = fakeStore({ 'fleet:exportKit': () => ({ folder: null, files: [], root: ROOT }) })
    await store.getState().exportFleetKit('pem')
    expect(store.getState().toasts).toEqual([])
  })

  it("shows main's refusal (a leaf) as an error with its hint", async () => {
    const { store } = fakeStore({
      'fleet:exportKit': () => {
        throw new AppError('bad_input', '"CN=leaf" is not a CA certificate.', { hint: 'Install the CA that issued it instead.' })
      },
    })
    const result = await store.getState().exportFleetKit('pem')
    expect(result.ok).toBe(false)
    expect(store.getState().toasts).toEqual([
      expect.objectContaining({
        kind: 'error',
        message: '"CN=leaf" is not a CA certificate.',
        hint: 'Install the CA that issued it instead.',
      }),
    ])
  })
})
