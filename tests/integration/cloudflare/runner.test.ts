/**
 * The runner (CloudflareService.run) through the channels' one-line handlers, against the app's own
 * Sandbox profile: it names the scope from the profile, records a change under `cf.<key>` with the
 * same fields whatever the operation, records a refusal as failed with its reason, and records
 * nothing for bad input (nothing was sent).
 */
import { describe, expect, test } from 'vitest'
import type { MtlsCertificateSummary } from '../../../src/shared/cloudflare-model'
import { opensslCa } from './helpers'
import { sandboxProfileApp } from '../../support/services'

const app = sandboxProfileApp('certdesk-runner-')
const { services, call } = app

describe('CloudflareService.run', () => {
  test('an upload answers without the prepared chain and records it under cf.mtls.upload, the account by name', async () => {
    const account = app.profile.accounts[0]!
    const ca = opensslCa('Runner Test CA')
    try {
      const request = { profileId: app.profile.id, accountId: account.id, name: 'Runner CA', chainPem: ca.certPem }
      const direct = await services.cloudflare.run('mtls.upload', request)
      expect(direct).not.toHaveProperty('chain')
      const [entry] = services.activity.list({ action: 'cf.mtls.upload' })
      expect(entry).toMatchObject({
        outcome: 'ok',
        objectId: direct.id,
        objectName: 'Runner CA',
        target: `Runner CA (${direct.id})`,
        profileId: app.profile.id,
        detail: { account: account.name, withPrivateKey: false, chainLength: 1 },
      })
      const listed = await call<MtlsCertificateSummary[]>('mtls:list', { profileId: app.profile.id, accountId: account.id })
      expect(listed.map((c) => c.id)).toContain(direct.id)
    } finally {
      ca.cleanup()
    }
  })

  test('bad input is not recorded; a refused change is, as failed with the reason and error code', async () => {
    const account = app.profile.accounts[0]!
    const before = services.activity.list().length
    const bad = call('mtls:upload', { profileId: app.profile.id, accountId: account.id, chainPem: 'not a certificate' })
    await expect(bad).rejects.toMatchObject({ code: 'bad_input' })
    expect(services.activity.list()).toHaveLength(before)

    const missing = '0123456789abcdef0123456789abcdef'
    await expect(call('mtls:delete', { profileId: app.profile.id, accountId: account.id, id: missing })).rejects.toThrow()
    const [entry] = services.activity.list({ action: 'cf.mtls.delete' })
    expect(entry).toMatchObject({ outcome: 'failed', objectId: missing, detail: { account: account.name } })
    expect(entry!.reason).toMatch(/\S/)
    expect(entry!.detail?.['error']).toMatch(/\S/)
  })

  test('an Access operation names its account scope from the profile, in the log and in messages', async () => {
    const account = app.profile.accounts[0]!
    const scope = { kind: 'account', accountId: account.id }
    const missing = '00000000-0000-4000-8000-000000000000'
    const error = await call('access:delete', { profileId: app.profile.id, scope, id: missing }).catch((e: unknown) => e)
    const [entry] = services.activity.list({ action: 'cf.access.delete' })
    expect(entry).toMatchObject({ outcome: 'failed', objectId: missing, detail: { scope: `account ${account.name}` } })
    expect((error as Error).message).toBe(entry!.reason)
  })
})
