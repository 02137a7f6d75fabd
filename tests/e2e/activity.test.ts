/**
 * Activity: entries made by real Cloudflare changes (one succeeded, one refused), filtered by text,
 * action and outcome, and exported as CSV and JSON through a blob download under the page's CSP.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'
import { axeScan, connectCloudflare, dismissToasts, shootBoth } from './support/screens'

describe('activity screen', () => {
  let app: AppUnderTest

  beforeAll(async () => {
    app = await startApp()
    const profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    const zone = app.cloudflare.zones[0]!
    const scope = { zoneId: zone.id, zoneName: zone.name }
    const [first, second] = app.cloudflare.snapshot().clientCertificates.filter((c) => c.zoneId === zone.id && c.status === 'active')
    await app.services.cloudflare.revokeClientCertificate(profile.id, scope, first!.id)
    // Only a certificate pending revocation can be reactivated: Cloudflare refuses, the log says failed.
    await expect(app.services.cloudflare.reactivateClientCertificate(profile.id, scope, second!.id)).rejects.toThrow()
    // A target a spreadsheet would misread: quotes, a comma, a leading "=".
    app.services.activity.record({ action: 'test.csv', target: '=HYPERLINK("x"), "quoted"', profileId: profile.id })
    await app.page.keyboard.press('Control+5')
  })

  afterAll(async () => {
    await app?.close()
  })

  test('filters by text, action and outcome', async () => {
    const { page } = app
    const table = page.getByRole('table', { name: 'Activity log' })
    await expect.poll(() => table.getByText('cf.clientCertificate.revoke').count()).toBe(1)
    await shootBoth(app, 'activity-list')
    expect(await axeScan(page)).toEqual([])

    await page.getByLabel('Outcome').selectOption('failed')
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    expect(await table.textContent()).toContain('cf.clientCertificate.reactivate')
    await page.getByLabel('Outcome').selectOption('')

    await page.getByLabel('Action').selectOption('profile.add')
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    await page.getByLabel('Action').selectOption('')

    await page.getByLabel('Filter').fill('HYPERLINK')
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    await page.getByLabel('Filter').fill('')
    await expect.poll(() => table.getByRole('row').count()).toBe(5)
  })

  test('exports the shown entries as JSON and as CSV (blob download allowed by the CSP)', async () => {
    const { page } = app
    const entries = app.services.activity.list({ limit: 5000 })
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()])
    expect(json.suggestedFilename()).toMatch(/^certdesk-activity-.*\.json$/)
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as Array<{ at: string; action: string; outcome: string }>
    expect(exported.map((e) => `${e.at} ${e.action} ${e.outcome}`).sort()).toEqual(entries.map((e) => `${e.at} ${e.action} ${e.outcome}`).sort())

    await page.getByLabel('Outcome').selectOption('failed')
    await expect.poll(() => page.getByRole('table', { name: 'Activity log' }).getByRole('row').count()).toBe(2)
    await page.getByLabel('Outcome').selectOption('')
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const text = readFileSync((await csv.path())!, 'utf8')
    const lines = text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('at,actor,action,target,outcome,profileId,detail')
    expect(lines.length).toBe(entries.length + 1)
    // Quotes doubled, the field quoted, and the leading "=" neutralised.
    expect(text).toContain(`"'=HYPERLINK(""x""), ""quoted"""`)
    await shootBoth(app, 'activity-exported')
    await dismissToasts(page)
    expect(app.consoleErrors).toEqual([])
  })
})
