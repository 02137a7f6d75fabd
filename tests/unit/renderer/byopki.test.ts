import { describe, expect, test } from 'vitest'
import type { ImportedRoot } from '../../../src/renderer/src/store/gateway'
import { applyChange, initialState, rootNameOf } from '../../../src/renderer/src/views/gateway/byopki/model'

// The root as main answers a generate or import: only the parts the wizard's state reads.
const rootNamed = (cn: string) =>
  ({
    certificatePem: '-----BEGIN CERTIFICATE-----',
    key: null,
    strict: { reports: [], certificates: [] },
    gateway: { reports: [], certificates: [{ subject: { text: `CN=${cn}`, attributes: [{ oid: '2.5.4.3', value: cn }] } }] },
  }) as unknown as ImportedRoot

describe('BYOPKI wizard state', () => {
  test('starts at the first step with a root named after the account', () => {
    const state = initialState('Acme')
    expect(state.step).toBe('generate')
    expect(state.cn).toBe('Acme Gateway Root')
    expect(rootNameOf(state)).toBe('Acme Gateway Root')
  })

  test('a patch changes only the fields it names', () => {
    const before = initialState('Acme')
    const after = applyChange(before, { step: 'review', passphrase: '' })
    expect(after).toEqual({ ...before, step: 'review' })
    expect(before.step).toBe('generate')
  })

  test('a change made from the state keeps both of two exports made one after the other', () => {
    let state = initialState('Acme')
    state = applyChange(state, (s) => ({ exportedTo: [...s.exportedTo, '/tmp/root.pem'] }))
    state = applyChange(state, (s) => ({ exportedTo: [...s.exportedTo, '/tmp/root.cer'] }))
    expect(state.exportedTo).toEqual(['/tmp/root.pem', '/tmp/root.cer'])
  })

  test('the root is named by its certificate once there is one, not by what was typed', () => {
    const state = applyChange(initialState('Acme'), { cn: 'Typed name', root: rootNamed('Corporate Root CA') })
    expect(rootNameOf(state)).toBe('Corporate Root CA')
    expect(rootNameOf({ ...state, root: null })).toBe('Typed name')
  })
})
