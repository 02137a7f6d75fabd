/**
 * The Fleet screen against the harness's Sandbox: start a Gateway root rollover, import a folder of 200 machine
 * reports (main's open dialog answers), see coverage per OS and store with the failing machines; the switch is
 * not offered below the threshold; after more machines report, it is, main asks, and Gateway inspects with the
 * new root (checked in the Sandbox's state). Screenshots in light and dark, at 1280 and 1024×700.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Profile } from '../../src/shared/model'
import { rolloverOf } from '../../src/main/rollover'
import { startApp, type AppUnderTest } from '../harness/app'
import { fleetReport, writeFleet } from '../support/reports'
import { axeScan, connectCloudflare, dismissToasts, shootBoth, toDocs } from './support/screens'

describe('fleet screen', () => {
  let app: AppUnderTest
  let profile: Profile
  let dir: string
  const inspection = () => (app.cloudflare.snapshot().gatewayConfigs[0]?.settings as { certificate?: { id?: string } }).certificate?.id
  const state = () => rolloverOf(app.services).status({ profileId: profile.id, accountId: app.cloudflare.account.id })

  beforeAll(async () => {
    app = await startApp()
    profile = await connectCloudflare(app, app.cloudflare.tokens.full)
    dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-fleet-'))
    await app.page.keyboard.press('Control+0')
    await app.page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor()
  })
  afterAll(async () => {
    await app?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('starts a rollover: a new inactive root, nothing else changed at Cloudflare', async () => {
    const { page } = app
    const before = inspection()
    await page.getByRole('button', { name: 'Start rollover' }).click()
    await page.getByRole('list', { name: 'Rollover steps' }).waitFor()
    const id = state()!.newCertificate!.id
    expect(app.cloudflare.snapshot().gatewayCertificates.find((c) => c.id === id)?.binding).toBe('inactive')
    expect(inspection()).toBe(before)
    // Export kit… writes the new root's kit into the folder main's dialog answers, and the step is done.
    const kitDir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-kit-'))
    try {
      app.answerOpen(kitDir)
      await page.getByRole('button', { name: 'Export kit…' }).click()
      await expect.poll(() => state()?.kitExportedAt).not.toBeNull()
      const der = readFileSync(join(kitDir, 'root.cer'))
      expect(createHash('sha256').update(der).digest('hex')).toBe(state()!.newCertificate!.sha256)
    } finally {
      app.answerOpen(null)
      rmSync(kitDir, { recursive: true, force: true })
    }
    await dismissToasts(page)
  })

  test('imports 200 reports: coverage per OS and store, failing machines; the switch is not offered below 95 %', async () => {
    const { page } = app
    const sha = state()!.newCertificate!.sha256!
    // 200 machines, every 10th fails (180/200 = 90 %); one has a hostile name, shown as text.
    writeFleet(dir, sha, 200, (i) => i % 10 === 0)
    const hostile = fleetReport({
      name: '<img src=x onerror=alert(1)>',
      os: 'linux',
      sha256: sha,
      trusted: false,
      at: '2026-11-30T09:00:00Z',
    })
    writeFileSync(join(dir, 'hostile.json'), JSON.stringify(hostile))
    writeFileSync(join(dir, 'broken.json'), '{')
    app.answerOpen(dir)
    await page.getByRole('button', { name: 'Import reports…' }).click()
    const panel = page.getByRole('region', { name: 'CN=Fleet Root 2027' })
    await panel.waitFor()
    expect(await panel.textContent()).toContain('180 of 201 machines trust it')
    expect(await page.getByRole('img', { name: 'By operating system' }).count()).toBe(1)
    const failing = page.getByRole('table', { name: 'Machines that do not trust CN=Fleet Root 2027' })
    expect(await failing.getByRole('row').count()).toBe(22)
    expect(await failing.textContent()).toContain('<img src=x onerror=alert(1)>')
    expect(await page.getByRole('region', { name: 'Skipped files (1)' }).textContent()).toContain('broken.json')

    await page.getByRole('button', { name: 'Use imported reports' }).click()
    await expect.poll(() => state()?.coverage?.trusted).toBe(180)
    expect(await page.getByRole('button', { name: 'Switch…' }).isDisabled()).toBe(true)
    await dismissToasts(page)
    await page.evaluate(`document.querySelector('main').scrollTo(0, 0)`)
    await shootBoth(app, 'fleet-coverage')
    toDocs('fleet-coverage-light.png', 'fleet-coverage.png')
    expect(await axeScan(page)).toEqual([])
    expect(app.consoleErrors).toEqual([])
  })

  test('more machines report: read again, record, switch (main asks) — Gateway inspects with the new root', async () => {
    const { page } = app
    const sha = state()!.newCertificate!.sha256!
    const id = state()!.newCertificate!.id
    // The 20 failing machines were fixed and report again later; the hostile one still fails: 200/201.
    for (let i = 0; i < 200; i += 10) {
      const name = `pc-${String(i).padStart(3, '0')}`
      const os = (['linux', 'macos', 'windows'] as const)[i % 3]!
      writeFileSync(
        join(dir, `${name}-later.json`),
        JSON.stringify(fleetReport({ name, os, sha256: sha, trusted: true, at: '2026-11-30T12:00:00Z' })),
      )
    }
    await page.getByRole('button', { name: 'Read again' }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'CN=Fleet Root 2027' }).textContent())
      .toContain('200 of 201 machines trust it')
    await page.getByRole('button', { name: 'Use imported reports' }).click()
    await expect.poll(() => state()?.coverage?.trusted).toBe(200)
    await dismissToasts(page)
    await page.getByRole('region', { name: 'Gateway root rollover' }).scrollIntoViewIfNeeded()
    await shootBoth(app, 'fleet-rollover-ready')
    toDocs('fleet-rollover-ready-dark.png', 'fleet-rollover.png')
    await page.setViewportSize({ width: 1024, height: 700 })
    await shootBoth(app, 'fleet-rollover-ready-1024')
    await page.setViewportSize({ width: 1280, height: 820 })

    await page.getByRole('button', { name: 'Switch…' }).click()
    await expect.poll(() => state()?.step, { timeout: 30_000 }).toBe('switched')
    expect(app.confirmations.at(-1)).toMatchObject({ title: 'Switch Gateway to the new root', confirmLabel: 'Switch root' })
    expect(app.confirmations.at(-1)!.detail).toContain('Coverage: 200 of 201 reporting machines trust the new root (99.5 %).')
    expect(inspection()).toBe(id)
    await page.getByRole('button', { name: 'Retire old root…' }).waitFor()
    await dismissToasts(page)
    await shootBoth(app, 'fleet-rollover-switched')
  }, 60_000)
})
