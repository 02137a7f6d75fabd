import { afterEach, describe, expect, test, vi } from 'vitest'
import type { ClientCertificateSummary, GatewayCertificateSummary, MtlsCertificateSummary } from '../../../src/shared/cloudflare-model'
import { AppError } from '../../../src/shared/errors'
import { deferred, fakeStore, settle } from './support'

const zoneA = { profileId: 'p1', zoneId: 'zone-a' }
const zoneB = { profileId: 'p1', zoneId: 'zone-b' }
const account = { profileId: 'p1', accountId: 'acc-1' }
const cert = (id: string, zoneId: string, status: ClientCertificateSummary['status'] = 'active'): ClientCertificateSummary => ({
  id,
  zoneId,
  status,
  commonName: `device ${id}`,
})
const gateway = (id: string, inUse = false): GatewayCertificateSummary => ({ id, inUse, bindingStatus: 'available' })

afterEach(() => {
  vi.useRealTimers()
})

describe('scoped lists', () => {
  test('an answer for a zone no longer shown is dropped, whichever comes back first', async () => {
    const answers = new Map<string, ReturnType<typeof deferred<ClientCertificateSummary[]>>>()
    const { store } = fakeStore({
      'clientCerts:list': (request: { zoneId: string }) => {
        const answer = deferred<ClientCertificateSummary[]>()
        answers.set(request.zoneId, answer)
        return answer.promise
      },
    })
    const first = store.getState().loadCerts(zoneA)
    const second = store.getState().loadCerts(zoneB)
    await settle()
    answers.get('zone-b')!.resolve([cert('b1', 'zone-b')])
    await second
    answers.get('zone-a')!.resolve([cert('a1', 'zone-a'), cert('a2', 'zone-a')])
    await first
    const certs = store.getState().certs
    expect(certs.scope).toBe('p1/zone/zone-b')
    expect(certs.items.map((c) => c.id)).toEqual(['b1'])
    expect(certs.loading).toBe(false)
    expect(store.getState().certsJobId).toBeNull()
    expect(store.getState().jobs).toEqual({})
  })

  test('an earlier, slower read of the same scope does not overwrite the newer one', async () => {
    const answers: ReturnType<typeof deferred<MtlsCertificateSummary[]>>[] = []
    const { store } = fakeStore({
      'mtls:list': () => {
        answers.push(deferred())
        return answers.at(-1)!.promise
      },
    })
    const older = store.getState().loadMtlsCas(account)
    const newer = store.getState().loadMtlsCas(account)
    await settle()
    answers[1]!.resolve([{ id: 'ca-new', ca: true }])
    await newer
    answers[0]!.resolve([{ id: 'ca-old', ca: true }])
    await older
    expect(store.getState().mtlsCas.items.map((c) => c.id)).toEqual(['ca-new'])
  })

  test("a stale load's failure is not shown over the newer list", async () => {
    const a = deferred<GatewayCertificateSummary[]>()
    const { store } = fakeStore({
      'gateway:list': (request: { accountId: string }) => (request.accountId === 'acc-1' ? a.promise : [gateway('g2')]),
      'gateway:inspectionCertificate': () => ({ certificateId: null }),
    })
    const stale = store.getState().loadGateway(account)
    await store.getState().loadGateway({ profileId: 'p1', accountId: 'acc-2' })
    a.reject(new AppError('internal', 'too late'))
    await stale
    expect(store.getState().gatewayCerts).toMatchObject({ scope: 'p1/account/acc-2', error: null, loading: false })
    expect(store.getState().gatewayCerts.items.map((c) => c.id)).toEqual(['g2'])
  })

  test('refreshing the same scope keeps its rows while loading; another scope starts empty', async () => {
    let answer = deferred<ClientCertificateSummary[]>()
    const { store } = fakeStore({ 'clientCerts:list': () => answer.promise })
    const load = store.getState().loadCerts(zoneA)
    answer.resolve([cert('a1', 'zone-a')])
    await load
    answer = deferred()
    const refresh = store.getState().loadCerts(zoneA)
    expect(store.getState().certs).toMatchObject({ loading: true, items: [{ id: 'a1' }] })
    answer.resolve([cert('a1', 'zone-a'), cert('a2', 'zone-a')])
    await refresh
    answer = deferred()
    const other = store.getState().loadCerts(zoneB)
    expect(store.getState().certs).toMatchObject({ loading: true, items: [], scope: 'p1/zone/zone-b' })
    answer.resolve([])
    await other
  })

  test("a load's failure is kept on the list, in the one failure shape", async () => {
    const { store } = fakeStore({
      'access:list': () => {
        throw new AppError('forbidden', 'The token may not read Access roots.', { hint: 'Add Access: Mutual TLS Certificates Read.' })
      },
    })
    await store.getState().loadAccessRoots('p1', { kind: 'account', accountId: 'acc-1' })
    expect(store.getState().accessRoots).toEqual({
      items: [],
      scope: 'p1/account/acc-1',
      loading: false,
      error: { code: 'forbidden', message: 'The token may not read Access roots.', hint: 'Add Access: Mutual TLS Certificates Read.' },
    })
  })

  test('a Sandbox reset forgets every list, and an answer still on its way is dropped', async () => {
    const answer = deferred<string[]>()
    const { store } = fakeStore({ 'hostnames:get': () => answer.promise, 'sandbox:reset': () => ({}) })
    const load = store.getState().loadHostnames(zoneA)
    await store.getState().resetSandbox()
    answer.resolve(['a.example.com'])
    await load
    expect(store.getState().hostnames).toEqual({ items: [], scope: null, loading: false, error: null })
  })
})

describe('one result type for actions', () => {
  test('a failure resolves to { ok: false, error } with code, message and hint, and is toasted', async () => {
    const { store } = fakeStore({
      'clientCerts:revoke': () => {
        throw new AppError('conflict', 'The certificate is already revoked.', { hint: 'Refresh the list.' })
      },
    })
    const result = await store.getState().revokeCert(zoneA, cert('a1', 'zone-a'))
    expect(result).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'The certificate is already revoked.', hint: 'Refresh the list.' },
    })
    expect(store.getState().toasts).toMatchObject([
      { kind: 'error', message: 'The certificate is already revoked.', hint: 'Refresh the list.' },
    ])
  })

  test('a success resolves to { ok: true, value }, updates the row in place and says so', async () => {
    const { store } = fakeStore({
      'clientCerts:list': () => [cert('a1', 'zone-a'), cert('a2', 'zone-a')],
      'clientCerts:revoke': (request: { id: string }) => cert(request.id, 'zone-a', 'pending_revocation'),
    })
    await store.getState().loadCerts(zoneA)
    const result = await store.getState().revokeCert(zoneA, cert('a2', 'zone-a'))
    expect(result).toEqual({ ok: true, value: cert('a2', 'zone-a', 'pending_revocation') })
    expect(store.getState().certs.items.map((c) => c.status)).toEqual(['active', 'pending_revocation'])
    expect(store.getState().toasts).toMatchObject([{ kind: 'success', message: expect.stringContaining('Revoked device a2') }])
  })

  test('a cancelled confirmation is reported calmly (info), not as an error', async () => {
    const { store } = fakeStore({
      'trust:install': () => {
        throw new AppError('cancelled', 'Nothing was installed: you said no.')
      },
    })
    const result = await store.getState().installRoot('-----BEGIN CERTIFICATE-----')
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(store.getState().toasts).toMatchObject([{ kind: 'info', message: 'Nothing was installed: you said no.' }])
  })

  test('a step that shows its failure in place is not toasted as well', async () => {
    const { store } = fakeStore({
      'access:add': () => {
        throw new AppError('validation', 'The root is not a CA certificate.')
      },
    })
    const result = await store.getState().addAccessRoot('p1', { kind: 'account', accountId: 'acc-1' }, 'root', 'pem', [])
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', message: 'The root is not a CA certificate.' } })
    expect(store.getState().toasts).toEqual([])
  })

  test('a value that is not an AppError still lands in the one shape', async () => {
    const { store } = fakeStore({
      'mtls:associations': () => {
        throw new Error('socket hang up')
      },
    })
    expect(await store.getState().mtlsAssociations(account, 'ca1')).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Error: socket hang up' },
    })
  })
})

describe('one owner per Gateway action', () => {
  test('activating from the list toasts a failure; from the BYOPKI wizard (in place) it does not; both end the job', async () => {
    const { store } = fakeStore({
      'gateway:activate': () => {
        throw new AppError('conflict', 'Cloudflare is still deploying another certificate.')
      },
    })
    const fromList = store.getState().startJob('Activating')
    expect(await store.getState().activateGatewayCert(account, 'g1', fromList)).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(store.getState().toasts).toHaveLength(1)
    const fromWizard = store.getState().startJob('Activating')
    expect(await store.getState().activateGatewayCert(account, 'g1', fromWizard, true)).toMatchObject({ ok: false })
    expect(store.getState().toasts).toHaveLength(1)
    expect(store.getState().jobs).toEqual({})
  })

  test('the list marks the certificate the account inspects with, and is read again after a change', async () => {
    let used = 'g1'
    const { store, calls } = fakeStore({
      'gateway:list': () => [gateway('g1'), gateway('g2')],
      'gateway:inspectionCertificate': () => ({ certificateId: used }),
      'gateway:useForInspection': (request: { id: string }) => {
        used = request.id
        return { certificateId: request.id }
      },
    })
    await store.getState().loadGateway(account)
    expect(store.getState().gatewayCerts.items.map((c) => c.inUse)).toEqual([true, false])
    const result = await store.getState().useForInspection(account, 'g2')
    expect(result.ok).toBe(true)
    expect(store.getState().gatewayCerts.items.map((c) => c.inUse)).toEqual([false, true])
    expect(calls.filter((c) => c.channel === 'gateway:list')).toHaveLength(2)
  })
})
