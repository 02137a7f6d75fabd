/**
 * Activity as an audit trail: entries made by real changes (a revoke that succeeded, a reactivate
 * Cloudflare refused, a key deletion declined in main's confirmation), shown in words with the
 * object's name and id, the profile and the outcome with its reason; found by a certificate's
 * name; filtered by action and outcome; exported as CSV and JSON through a blob download under the CSP.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare, dismissToasts, reload, shootBoth } from './support/screens'

type Bridge = {
  keys: { newCsr(r: unknown): Promise<{ ok: boolean; value: { key: { id: string } } }>; delete(r: unknown): Promise<unknown> }
}

describe('activity screen', () => {
  let app: AppUnderTest
  let revoked: { id: string; commonName: string }
  let refused: { id: string; commonName: string }

  beforeAll(async () => {
    app = await startApp()
    const profile = await connectCloudflare(app, app.cloudflare.tokens.full, 'Production')
    const zone = app.cloudflare.zones[0]!
    const at = { profileId: profile.id, zoneId: zone.id }
    const [first, second] = app.cloudflare.snapshot().clientCertificates.filter((c) => c.zoneId === zone.id && c.status === 'active')
    revoked = await app.services.cloudflare.run('clientCerts.revoke', { ...at, id: first!.id })
    refused = await app.services.cloudflare.run('clientCerts.get', { ...at, id: second!.id })
    // Only a certificate pending revocation can be reactivated: Cloudflare refuses, the log says failed and why.
    await expect(app.services.cloudflare.run('clientCerts.reactivate', { ...at, id: second!.id })).rejects.toThrow()
    // A key deletion the user declined in main's confirmation, asked through the page's bridge.
    const created = await app.page.evaluate(() =>
      (globalThis as unknown as { certdesk: Bridge }).certdesk.keys.newCsr({
        keyType: 'ec-p256',
        subject: { cn: 'audit-laptop' },
        label: 'Audit laptop key',
      }),
    )
    app.answerConfirmations(false)
    await app.page.evaluate((id) => (globalThis as unknown as { certdesk: Bridge }).certdesk.keys.delete({ id }), created.value.key.id)
    app.answerConfirmations(true)
    // A target a spreadsheet would misread: quotes, a comma, a leading "=".
    app.services.activity.record({ action: 'test.csv', target: '=HYPERLINK("x"), "quoted"', profileId: profile.id })
    await reload(app)
    await app.page.keyboard.press('Control+6')
  })

  afterAll(async () => {
    await app?.close()
  })

  test('each entry says in words what was done, to which object (name and id), under which profile, and how it ended', async () => {
    const { page } = app
    const table = page.getByRole('table', { name: 'Activity log' })
    await expect.poll(() => table.getByText('Revoked client certificate').count()).toBe(1)
    expect(await table.getByText('cf.clientCerts.revoke').count()).toBe(0)
    const revokeRow = table.getByRole('row').filter({ hasText: 'Revoked client certificate' })
    expect(await revokeRow.textContent()).toContain(revoked.commonName)
    expect(await revokeRow.textContent()).toContain(revoked.id)
    expect(await revokeRow.textContent()).toContain('Production')
    expect(await revokeRow.textContent()).toContain('Succeeded')

    const refusedRow = table.getByRole('row').filter({ hasText: 'Reactivated client certificate' })
    expect(await refusedRow.textContent()).toContain(refused.id)
    expect(await refusedRow.textContent()).toContain('Failed')
    const reason = app.services.activity.list({ action: 'cf.clientCerts.reactivate' })[0]!.reason!
    expect(reason.length).toBeGreaterThan(10)
    expect(await refusedRow.textContent()).toContain(reason)

    const declined = table.getByRole('row').filter({ hasText: 'Deleted private key' })
    expect(await declined.textContent()).toContain('Audit laptop key')
    expect(await declined.textContent()).toContain('Cancelled')
    expect(await declined.textContent()).toContain('Declined in the confirmation dialog.')
    await shootBoth(app, 'activity-list')
    expect(await axeScan(page)).toEqual([])
  })

  test('filters by a certificate’s name, by action and by outcome', async () => {
    const { page } = app
    const table = page.getByRole('table', { name: 'Activity log' })
    const all = app.services.activity.list({ limit: 5000 }).length

    // The certificate's common name finds its entry (it is not in the action or the user).
    await page.getByLabel('Filter').fill(revoked.commonName)
    await expect.poll(() => table.getByText('Reactivated client certificate').count()).toBe(0)
    expect(await table.getByText('Revoked client certificate').count()).toBe(1)
    // So does its id.
    await page.getByLabel('Filter').fill(refused.id)
    await expect.poll(() => table.getByText('Reactivated client certificate').count()).toBe(1)
    expect(await table.getByRole('row').count()).toBe(2)
    await page.getByLabel('Filter').fill('')
    await expect.poll(() => table.getByRole('row').count()).toBe(all + 1)

    await page.getByLabel('Outcome').selectOption({ label: 'Failed' })
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    expect(await table.textContent()).toContain('Reactivated client certificate')
    await page.getByLabel('Outcome').selectOption({ label: 'Cancelled' })
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    expect(await table.textContent()).toContain('Deleted private key')
    await page.getByLabel('Outcome').selectOption('')

    await page.getByLabel('Action').selectOption({ label: 'Added profile' })
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    await page.getByLabel('Action').selectOption('')

    await page.getByLabel('Filter').fill('HYPERLINK')
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    await page.getByLabel('Filter').fill('')
    await expect.poll(() => table.getByRole('row').count()).toBe(all + 1)
  })

  test('exports the shown entries as JSON and as CSV (blob download allowed by the CSP)', async () => {
    const { page } = app
    const entries = app.services.activity.list({ limit: 5000 })
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()])
    expect(json.suggestedFilename()).toMatch(/^certdesk-activity-.*\.json$/)
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as Array<{ at: string; action: string; outcome: string }>
    expect(exported.map((e) => `${e.at} ${e.action} ${e.outcome}`).sort()).toEqual(
      entries.map((e) => `${e.at} ${e.action} ${e.outcome}`).sort(),
    )

    await page.getByLabel('Outcome').selectOption('failed')
    await expect.poll(() => page.getByRole('table', { name: 'Activity log' }).getByRole('row').count()).toBe(2)
    await page.getByLabel('Outcome').selectOption('')
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const text = readFileSync((await csv.path())!, 'utf8')
    const lines = text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('at,actor,action,description,object,objectId,profile,outcome,reason,target,detail')
    expect(lines.length).toBe(entries.length + 1)
    const revokeLine = lines.find((l) => l.includes('cf.clientCerts.revoke'))!
    expect(revokeLine).toContain(`,Revoked client certificate,${revoked.commonName},${revoked.id},Production,Succeeded,`)
    // Quotes doubled, the field quoted, and the leading "=" neutralised.
    expect(text).toContain(`"'=HYPERLINK(""x""), ""quoted"""`)
    await shootBoth(app, 'activity-exported')
    await dismissToasts(page)
    expect(app.consoleErrors).toEqual([])
  })
})
