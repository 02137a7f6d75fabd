/**
 * The app's start-up reconcile (services.reconcileIssuance, called from index.ts): a create that was
 * sent but never linked — the process died between the POST and the link — is found and linked to
 * its key; one whose key was deleted meanwhile is settled without a link. Through the composition
 * root and IPC dispatch, against the app's own Sandbox profile.
 */
import { describe, expect, test } from 'vitest'
import type { ClientCertificateSummary } from '../../../src/shared/cloudflare-model'
import type { VaultEntry } from '../../../src/shared/pki-model'
import { sandboxProfileApp } from '../../support/services'

const app = sandboxProfileApp('certdesk-reconcile-', { createSettleMs: 2_000 })
const { services, call } = app

/** A key made by the wizard, then a "crash": intent recorded, create sent, never linked. */
async function crashedCreate(cn: string): Promise<{ key: VaultEntry; certificate: ClientCertificateSummary }> {
  const { key, csrPem } = await call<{ key: VaultEntry; csrPem: string }>('keys:newCsr', { keyType: 'ec-p256', subject: { cn } })
  const zone = await services.cloudflare.zoneScope(app.profile.id, app.profile.zones[0]!.id)
  services.vault.beginIntent({ ...zone, csrPem, profileId: app.profile.id, keyId: key.id, validityDays: 365 })
  const request = { profileId: app.profile.id, zoneId: zone.zoneId, csrPem, validityDays: 365 }
  const { certificate } = await services.cloudflare.run('clientCerts.createFromCsr', request)
  return { key, certificate }
}

describe('reconcile at start-up', () => {
  test('links what a killed process issued, settles a deleted key’s create, and leaves nothing pending', async () => {
    const linked = await crashedCreate('crashed-device')
    const orphan = await crashedCreate('deleted-key-device')
    await services.vault.delete(orphan.key.id)
    expect(services.vault.pendingIntents()).toHaveLength(2)
    expect(services.vault.get(linked.key.id).certificate).toBeUndefined()

    const outcomes = await services.reconcileIssuance()
    expect(outcomes.map((o) => [o.keyId, o.outcome, o.certificateId])).toEqual([
      [linked.key.id, 'linked', linked.certificate.id],
      [orphan.key.id, 'found', orphan.certificate.id],
    ])
    expect(services.vault.get(linked.key.id).certificate?.cloudflareId).toBe(linked.certificate.id)
    expect(services.vault.pendingIntents()).toEqual([])
    const audit = services.activity.list().filter((e) => e.action === 'cf.clientCerts.reconcile')
    expect(audit.map((e) => [e.target, e.detail?.['result'], e.detail?.['keyId']]).sort()).toEqual(
      [
        [`client certificate ${linked.certificate.id}`, 'linked', linked.key.id],
        [`client certificate ${orphan.certificate.id}`, 'found', orphan.key.id],
      ].sort(),
    )
    const zoneId = app.profile.zones[0]!.id
    const listed = await call<ClientCertificateSummary[]>('clientCerts:list', { profileId: app.profile.id, zoneId, status: 'all' })
    expect(listed.filter((c) => c.commonName === 'crashed-device')).toHaveLength(1)
    // Linked now, so the wizard's issue step refuses a second certificate for the key.
    const again = call('clientCerts:issueForKey', { profileId: app.profile.id, zoneId, keyId: linked.key.id, validityDays: 365 })
    await expect(again).rejects.toMatchObject({ code: 'conflict' })
  })
})
