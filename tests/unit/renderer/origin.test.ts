/**
 * The origin slice: a zone's AOP overview and Origin CA list shown only for the zone asked last, uploads zone-level or
 * for hostnames with the zone read again, and an Origin CA certificate made from a new vault key's CSR (the key's id
 * crosses, never key material), then listed; a revoke drops it, a refused one changes nothing.
 */
import { describe, expect, test } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { caBundle, caOfIssuer, vaultCas } from '../../../src/renderer/src/views/origin/model'
import { deferred, fakeStore, settle } from './support'

const zoneA = { profileId: 'p1', zoneId: 'zone-a' }
const zoneB = { profileId: 'p1', zoneId: 'zone-b' }
const KEY_ID = 'a'.repeat(32)
const entry = { id: KEY_ID, keyType: 'ec-p256' as const, createdAt: '2026-01-01T00:00:00.000Z', label: 'Origin CA example.com' }
const aopCert = (id: string, status = 'pending_deployment') => ({ id, kind: 'zone', status })
const overview = (ids: string[], enabled = false) => ({ enabled, zoneCertificates: ids.map((id) => aopCert(id)), hostnameCertificates: [] })
const originCert = (id: string, hostnames = ['example.com']) => ({ id, hostnames, requestType: 'origin-ecc', validityDays: 90 })

describe('origin slice', () => {
  test("a slower AOP answer for the zone shown before is dropped: the view is the last zone's", async () => {
    const answers = new Map<string, ReturnType<typeof deferred<unknown>>>()
    const { store } = fakeStore({
      'aop:list': (request: { zoneId: string }) => {
        const answer = deferred<unknown>()
        answers.set(request.zoneId, answer)
        return answer.promise
      },
    })
    const first = store.getState().loadAop(zoneA)
    const second = store.getState().loadAop(zoneB)
    await settle()
    answers.get('zone-b')!.resolve(overview(['cert-b'], true))
    await second
    answers.get('zone-a')!.resolve(overview(['cert-a']))
    await first
    const view = store.getState().aop
    expect(view.scope).toBe('p1/zone/zone-b')
    expect(view.overview?.zoneCertificates.map((c) => c.id)).toEqual(['cert-b'])
    expect(view.overview?.enabled).toBe(true)
    expect(view.loading).toBe(false)
  })

  test('an Origin CA answer for a zone no longer shown is dropped', async () => {
    const answers = new Map<string, ReturnType<typeof deferred<unknown>>>()
    const { store } = fakeStore({
      'originCa:list': (request: { zoneId: string }) => {
        const answer = deferred<unknown>()
        answers.set(request.zoneId, answer)
        return answer.promise
      },
    })
    const first = store.getState().loadOriginCerts(zoneA)
    const second = store.getState().loadOriginCerts(zoneB)
    await settle()
    answers.get('zone-b')!.resolve([originCert('oc-b')])
    await second
    answers.get('zone-a')!.resolve([originCert('oc-a')])
    await first
    expect(store.getState().originCerts).toMatchObject({ scope: 'p1/zone/zone-b', items: [{ id: 'oc-b' }], loading: false })
  })

  test('upload zone-level sends no hostnames, per hostname sends them; each reads the zone again', async () => {
    let listed = ['old']
    const { store, calls } = fakeStore({
      'aop:list': () => overview(listed),
      'aop:uploadFromVault': (request: { hostnames?: string[] }) => {
        const id = `new-${listed.length}`
        listed = [...listed, id]
        return {
          certificate: { ...aopCert(id), kind: request.hostnames ? 'hostname' : 'zone' },
          associated: (request.hostnames ?? []).map((hostname) => ({ hostname, certId: id, enabled: true })),
        }
      },
    })
    await store.getState().loadAop(zoneA)
    const zoneLevel = await store.getState().uploadAop(zoneA, KEY_ID)
    expect(zoneLevel.ok).toBe(true)
    expect(calls.find((c) => c.channel === 'aop:uploadFromVault')?.request).toEqual({ ...zoneA, keyId: KEY_ID })
    expect(store.getState().aop.overview?.zoneCertificates.map((c) => c.id)).toEqual(['old', 'new-1'])
    expect(store.getState().toasts.at(-1)?.message).toMatch(/^Uploaded AOP certificate new-1 \(zone-level\)\.$/)

    await store.getState().uploadAop(zoneA, KEY_ID, ['api.example.com'])
    expect(calls.filter((c) => c.channel === 'aop:uploadFromVault').at(-1)?.request).toEqual({
      ...zoneA,
      keyId: KEY_ID,
      hostnames: ['api.example.com'],
    })
    expect(store.getState().toasts.at(-1)?.message).toBe('Uploaded AOP certificate new-2 for api.example.com.')
    expect(calls.filter((c) => c.channel === 'aop:list')).toHaveLength(3)
  })

  test('a refused upload is left to the dialog (no toast) and still reads the zone again', async () => {
    const { store, calls } = fakeStore({
      'aop:list': () => overview(['old']),
      'aop:uploadFromVault': () => {
        throw new AppError('limit', 'The zone already has 10 hostname certificates.')
      },
    })
    await store.getState().loadAop(zoneA)
    const refused = await store.getState().uploadAop(zoneA, KEY_ID, ['api.example.com'])
    expect(refused).toMatchObject({ ok: false, error: { code: 'limit' } })
    expect(store.getState().toasts).toEqual([])
    expect(calls.filter((c) => c.channel === 'aop:list')).toHaveLength(2)
  })

  test("Create: a new key's CSR with the hostnames as SANs, signed for that key id (ECDSA → origin-ecc), then listed", async () => {
    const { store, calls } = fakeStore({
      'originCa:list': () => [originCert('oc-1')],
      'keys:list': () => [],
      'keys:newCsr': () => ({
        key: entry,
        csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
        decoded: { subject: 'CN=example.com', sans: [], keyType: 'ec-p256' },
      }),
      'originCa:createForKey': (request: { hostnames: string[] }) => ({
        certificate: originCert('oc-2', request.hostnames),
        key: entry,
      }),
    })
    await store.getState().loadOriginCerts(zoneA)
    const job = store.getState().startJob('Creating the certificate')
    const hostnames = ['example.com', '*.example.com']
    const created = await store.getState().createOriginCert(zoneA, { hostnames, keyType: 'ec-p256', validityDays: 90 }, job)
    expect(created.ok).toBe(true)
    expect(calls.find((c) => c.channel === 'keys:newCsr')?.request).toMatchObject({
      keyType: 'ec-p256',
      subject: { cn: 'example.com' },
      sans: hostnames,
      jobId: job,
    })
    const sent = calls.find((c) => c.channel === 'originCa:createForKey')?.request
    expect(sent).toEqual({ ...zoneA, keyId: KEY_ID, hostnames, requestType: 'origin-ecc', validityDays: 90 })
    expect(JSON.stringify(sent)).not.toMatch(/PRIVATE KEY|BEGIN/)
    expect(store.getState().originCerts.items.map((c) => c.id)).toEqual(['oc-2', 'oc-1'])
    expect(store.getState().jobs[job]).toBeUndefined()
  })

  test('an RSA key asks for origin-rsa; a refused create lists nothing new', async () => {
    const { store, calls } = fakeStore({
      'originCa:list': () => [],
      'keys:list': () => [],
      'keys:newCsr': () => ({
        key: { ...entry, keyType: 'rsa-2048' },
        csrPem: 'x',
        decoded: { subject: '', sans: [], keyType: 'rsa-2048' },
      }),
      'originCa:createForKey': () => {
        throw new AppError('bad_request', 'Hostname other.org is not in this zone.')
      },
    })
    await store.getState().loadOriginCerts(zoneA)
    const result = await store
      .getState()
      .createOriginCert(zoneA, { hostnames: ['other.org'], keyType: 'rsa-2048', validityDays: 7 }, 'job-1')
    expect(result).toMatchObject({ ok: false, error: { message: 'Hostname other.org is not in this zone.' } })
    expect(calls.find((c) => c.channel === 'originCa:createForKey')?.request).toMatchObject({ requestType: 'origin-rsa', validityDays: 7 })
    expect(store.getState().originCerts.items).toEqual([])
  })

  test('revoke drops the certificate from the list; a refused revoke is toasted and keeps it', async () => {
    let refuse = false
    const { store } = fakeStore({
      'originCa:list': () => [originCert('oc-1'), originCert('oc-2')],
      'originCa:revoke': (request: { id: string }) => {
        if (refuse) throw new AppError('not_found', 'No Origin CA certificate oc-1.')
        return { id: request.id, revokedAt: '2026-02-01T00:00:00Z' }
      },
    })
    await store.getState().loadOriginCerts(zoneA)
    expect((await store.getState().revokeOriginCert(zoneA, 'oc-2')).ok).toBe(true)
    expect(store.getState().originCerts.items.map((c) => c.id)).toEqual(['oc-1'])
    refuse = true
    expect((await store.getState().revokeOriginCert(zoneA, 'oc-1')).ok).toBe(false)
    expect(store.getState().originCerts.items.map((c) => c.id)).toEqual(['oc-1'])
    expect(store.getState().toasts.at(-1)).toMatchObject({ kind: 'error', message: 'No Origin CA certificate oc-1.' })
  })

  test('turning zone-level AOP off reports it and reads the zone again', async () => {
    let enabled = true
    const { store, calls } = fakeStore({
      'aop:list': () => overview(['z1'], enabled),
      'aop:setEnabled': (request: { enabled: boolean }) => {
        enabled = request.enabled
        return { enabled }
      },
    })
    await store.getState().loadAop(zoneA)
    await store.getState().setAopEnabled(zoneA, false)
    expect(calls.find((c) => c.channel === 'aop:setEnabled')?.request).toEqual({ ...zoneA, enabled: false })
    expect(store.getState().aop.overview?.enabled).toBe(false)
    expect(store.getState().toasts.at(-1)?.message).toBe('Zone-level Authenticated Origin Pulls is off.')
  })
})

describe('hostname lookup', () => {
  test('a hostname Cloudflare has no per-hostname setting for (404) has no certificate of its own; other failures stay failures', async () => {
    const { store } = fakeStore({
      'aop:hostname': (request: { hostname: string }) => {
        if (request.hostname === 'www.example.com') throw new AppError('not_found', 'Hostname www.example.com has no setting.')
        if (request.hostname === 'down.example.com') throw new AppError('network', 'Cloudflare could not be reached.')
        return { hostname: request.hostname, certId: 'h1', certStatus: 'active', enabled: true }
      },
    })
    expect(await store.getState().lookupAopHostname(zoneA, 'www.example.com')).toEqual({
      ok: true,
      value: { hostname: 'www.example.com', enabled: null },
    })
    expect(await store.getState().lookupAopHostname(zoneA, 'api.example.com')).toMatchObject({ ok: true, value: { certId: 'h1' } })
    expect(await store.getState().lookupAopHostname(zoneA, 'down.example.com')).toMatchObject({ ok: false, error: { code: 'network' } })
  })
})

describe('the rotation CA bundle', () => {
  const ca = (id: string, cn: string, selfSigned = true) => ({
    ...entry,
    id: id.repeat(32),
    label: cn,
    certificate: { pem: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----\n`, sha256: 'f'.repeat(64) },
    certificateInfo: {
      commonName: cn,
      subject: `CN=${cn}, O=Example`,
      issuer: `CN=${cn}`,
      notAfter: '2030-01-01T00:00:00.000Z',
      selfSigned,
    },
  })
  const keys = [ca('a', 'Origin pulls CA 1'), ca('b', 'Origin pulls CA 2'), ca('c', 'laptop-7', false)]

  test("the old certificate's CA is the vault CA its issuer names (whole DN or CN); a leaf is never a CA", () => {
    expect(vaultCas(keys).map((k) => k.label)).toEqual(['Origin pulls CA 1', 'Origin pulls CA 2'])
    expect(caOfIssuer('CN=Origin pulls CA 2,O=Example', keys)?.label).toBe('Origin pulls CA 2')
    expect(caOfIssuer('CN=Origin pulls CA 1', keys)?.label).toBe('Origin pulls CA 1')
    expect(caOfIssuer('CN=laptop-7', keys)).toBeUndefined()
    expect(caOfIssuer('CN=Origin pulls CA', keys)).toBeUndefined()
    expect(caOfIssuer(undefined, keys)).toBeUndefined()
  })

  test('the bundle holds the old CA then the new one, once each, and ends with a newline', () => {
    const [one, two] = [keys[0]!.certificate.pem, keys[1]!.certificate.pem]
    expect(caBundle(one, two)).toBe(`${one.trim()}\n${two.trim()}\n`)
    expect(caBundle(undefined, two)).toBe(two)
    expect(caBundle(two, `${two}\n`)).toBe(two)
  })

  test('Save Origin CA root saves each root through main’s save dialog; a refused download saves nothing', async () => {
    const roots = [
      { name: 'CloudFlare Origin SSL Certificate Authority', pem: 'RSA-PEM', sha256: 'AA', notAfter: '2029-08-15T17:00:00.000Z' },
      { name: 'CloudFlare Origin SSL ECC Certificate Authority', pem: 'ECC-PEM', sha256: 'BB', notAfter: '2029-08-15T17:00:00.000Z' },
    ]
    const { store, calls } = fakeStore({
      'originCa:root': () => ({ source: 'cloudflare', roots }),
      'certificates:save': () => ({ savedTo: '/tmp/x.pem' }),
    })
    expect((await store.getState().saveOriginCaRoot('p1')).ok).toBe(true)
    expect(calls.filter((c) => c.channel === 'certificates:save').map((c) => c.request)).toEqual([
      { pem: 'RSA-PEM', format: 'certificate-pem', name: 'origin-ca-root-cloudflare-origin-ssl-certificate-authority' },
      { pem: 'ECC-PEM', format: 'certificate-pem', name: 'origin-ca-root-cloudflare-origin-ssl-ecc-certificate-authority' },
    ])

    const refused = fakeStore({
      'originCa:root': () => {
        throw new AppError('cf_unreachable', 'Could not download the Origin CA root.')
      },
    })
    expect((await refused.store.getState().saveOriginCaRoot('p1')).ok).toBe(false)
    expect(refused.calls.map((c) => c.channel)).toEqual(['originCa:root'])
  })
})
