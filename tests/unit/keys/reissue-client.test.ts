/**
 * A client certificate reissued with the same key (`clientCerts:issueForKey` with `replace`), at the app's Sandbox:
 * the vault row shows the new certificate, the old one's id is kept (answer and activity) and revoking it leaves the
 * new one active.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch } from '../../../src/main/dispatch'
import { createHandlers } from '../../../src/main/handlers'
import { createServices } from '../../../src/main/services'
import type { ClientCertificateSummary } from '../../../src/shared/cloudflare-model'
import type { Profile } from '../../../src/shared/model'
import { memorySecrets } from '../../support/services'

const userDataDir = mkdtempSync(join(tmpdir(), 'certdesk-reissue-client-'))
const services = createServices({ userDataDir, appVersion: 'test', secrets: memorySecrets() })
const { keys } = services
const handlers = createHandlers(services)
let profile: Profile

async function call<T>(channel: string, request: unknown): Promise<T> {
  const result = await dispatch(handlers, channel as never, request as never, { emit: () => {} })
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value as T
}

beforeAll(async () => {
  profile = await services.profiles.add({ kind: 'sandbox', name: 'Sandbox' })
})
afterAll(() => services.close())

describe('reissue a client certificate with the same key', () => {
  test('the vault row shows the new certificate; the old one is still revocable, and revoking it leaves the new one active', async () => {
    const zoneId = profile.zones[0]!.id
    const { key } = await keys.newCsr({ keyType: 'ec-p256', subject: { cn: 'kiosk-renew' }, sans: [] })
    const first = await call<{ certificate: ClientCertificateSummary }>('clientCerts:issueForKey', {
      profileId: profile.id,
      zoneId,
      keyId: key.id,
      validityDays: 30,
    })
    // Without `replace`, a key that has its certificate is refused, as before.
    await expect(call('clientCerts:issueForKey', { profileId: profile.id, zoneId, keyId: key.id, validityDays: 30 })).rejects.toMatchObject(
      { code: 'conflict' },
    )

    const again = await call<{ certificate: ClientCertificateSummary; replaced?: { cloudflareId?: string } }>('clientCerts:issueForKey', {
      profileId: profile.id,
      zoneId,
      keyId: key.id,
      validityDays: 90,
      replace: true,
    })
    expect(again.certificate.id).not.toBe(first.certificate.id)
    expect(again.replaced?.cloudflareId).toBe(first.certificate.id)
    const row = (await keys.list()).find((r) => r.id === key.id)!
    expect(row.certificate?.cloudflareId).toBe(again.certificate.id)
    const activity = services.activity.list().filter((e) => e.objectId === key.id && e.action === 'key.reissueClientCert')
    expect(activity).toHaveLength(1)
    expect(activity[0]!.detail).toMatchObject({ previousCertificateId: first.certificate.id, certificateId: again.certificate.id })
    expect(activity[0]!.words).toBe('Reissued client certificate with the same key')

    await call('clientCerts:revoke', { profileId: profile.id, zoneId, id: first.certificate.id })
    const all = await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: profile.id, zoneId, status: 'all' })
    const status = (id: string) => all.find((c) => c.id === id)?.status
    expect(status(first.certificate.id)).toMatch(/revo/)
    expect(status(again.certificate.id)).toBe('active')
    expect((await keys.list()).find((r) => r.id === key.id)?.certificate?.cloudflareId).toBe(again.certificate.id)
  })
})
