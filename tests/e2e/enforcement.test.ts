/**
 * Issue #13 §4.5 in the browser, on the app's own Sandbox (its API and its mTLS edge): a certificate issued for a vault
 * key, a hostname associated, a rule without the revocation clause added through the Sandbox API (as an admin would in
 * the dashboard). Revoke → the drawer warns that the revocation does not block it → Enforce (the plan as a diff, then
 * main's own confirmation) → Test access with the revoked certificate shows it blocked. Node's https client, presenting
 * the same certificate to the edge, is the referee; the rule written is read back through the official SDK. Then the
 * Enforcement tab: hostnames, rules, findings and Test access without a certificate.
 */
import Cloudflare from 'cloudflare'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createHandlers } from '../../src/main/handlers'
import type { SandboxHandle } from '../../src/main/sandbox'
import type { ClientCertificateSummary } from '../../src/shared/cloudflare-model'
import type { Profile } from '../../src/shared/model'
import type { VaultEntry } from '../../src/shared/pki-model'
import { startApp, type AppUnderTest } from '../harness/app'
import { edgeRequest } from '../integration/sandbox/edge-helpers'
import { ipcCaller } from '../support/services'
import { axeScan, dismissToasts, shootBoth, toDocs, useProfile } from './support/screens'

const PHASE = 'http_request_firewall_custom'
const RULE = 'devices need a certificate'

describe('mTLS enforcement in the app (Sandbox edge)', () => {
  let app: AppUnderTest
  let profile: Profile
  let sandbox: SandboxHandle
  let sdk: Cloudflare
  let key: VaultEntry
  let cert: ClientCertificateSummary
  let zoneId: string

  /** Node's https client to the edge for api.example.com, presenting the vault key's certificate: the status. */
  const referee = async (): Promise<number> => {
    const keyPem = await app.services.vault.exportPkcs8(key.id)
    return (await edgeRequest(sandbox.edge!, { servername: 'api.example.com', cert: cert.certificate!, key: keyPem })).status
  }

  beforeAll(async () => {
    app = await startApp()
    profile = await app.services.profiles.add({ kind: 'sandbox', name: 'Sandbox' })
    sandbox = await app.services.sandbox.handle()
    sdk = new Cloudflare({ apiToken: sandbox.tokens.full, baseURL: sandbox.url, maxRetries: 0 })
    zoneId = profile.zones.find((z) => z.name === 'example.com')!.id
    const call = ipcCaller(createHandlers(app.services))
    // A certificate issued for a vault key; the hostnames that ask for it; a rule that checks only cert_verified.
    const made = await call<{ key: VaultEntry }>('keys:newCsr', { keyType: 'ec-p256', subject: { cn: 'laptop-7' } })
    const issued = await call<{ key: VaultEntry; certificate: ClientCertificateSummary }>('clientCerts:issueForKey', {
      profileId: profile.id,
      zoneId,
      keyId: made.key.id,
      validityDays: 90,
    })
    key = issued.key
    cert = issued.certificate
    await sdk.certificateAuthorities.hostnameAssociations.update({ zone_id: zoneId, hostnames: ['api.example.com', 'devices.example.com'] })
    await sdk.rulesets.phases.update(PHASE, {
      zone_id: zoneId,
      rules: [
        {
          description: RULE,
          expression: 'not cf.tls_client_auth.cert_verified and http.host in {"api.example.com"}',
          action: 'block',
        },
      ],
    })
    await useProfile(app, profile.id)
    await app.page.keyboard.press('Control+1')
  })

  afterAll(async () => {
    await app?.close()
  })

  test('Revoke → "not blocked" → Enforce (plan, then main confirms) → Test access shows the revoked certificate blocked', async () => {
    const { page } = app
    expect(await referee()).toBe(200)
    await page.getByLabel('Search').fill('laptop-7')
    await page.getByRole('button', { name: 'laptop-7', exact: true }).click()
    const drawer = page.getByRole('complementary', { name: 'laptop-7' })
    await drawer.getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('dialog', { name: 'Revoke laptop-7?' }).getByRole('button', { name: 'Revoke certificate' }).click()

    // The warning: the rule checks only cert_verified, which stays true for a revoked certificate.
    const check = drawer.getByRole('region', { name: 'Does the revocation block it?' })
    const api = check.getByRole('listitem').filter({ hasText: 'api.example.com' })
    await expect.poll(() => api.getByText('not blocked', { exact: true }).count(), { timeout: 15_000 }).toBe(1)
    expect(await api.textContent()).toContain('A revoked certificate still reaches api.example.com')
    const devices = check.getByRole('listitem').filter({ hasText: 'devices.example.com' })
    expect(await devices.getByText('not blocked', { exact: true }).count()).toBe(1)
    // Once Cloudflare has revoked it (the Sandbox after 500 ms), the edge still lets it through: the referee agrees.
    await expect.poll(() => drawer.locator('dd', { hasText: /^revoked$/ }).count(), { timeout: 20_000 }).toBe(1)
    expect(sandbox.snapshot().clientCertificates.find((c) => c.id === cert.id)?.status).toBe('revoked')
    expect(await referee()).toBe(200)
    await dismissToasts(page)
    await check.scrollIntoViewIfNeeded()
    await shootBoth(app, 'revoke-warning')
    toDocs('revoke-warning-light.png', 'revoke-warning.png')
    expect(await axeScan(page)).toEqual([])

    // Enforce: the plan shows the rule before and after; main asks before writing.
    await api.getByRole('button', { name: 'Enforce' }).click()
    const dialog = page.getByRole('dialog', { name: 'Enforce mTLS on api.example.com?' })
    const diff = dialog.getByLabel('Rule before and after')
    await expect.poll(() => diff.count()).toBe(1)
    expect(await diff.textContent()).toContain('− block: not cf.tls_client_auth.cert_verified and http.host in {"api.example.com"}')
    expect(await diff.textContent()).toContain(
      '+ block: (not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.host in {"api.example.com"}',
    )
    expect(await dialog.textContent()).toContain(`Change the rule "${RULE}"`)
    const asked = app.confirmations.length
    await dialog.getByRole('button', { name: 'Write the rule' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    expect(app.confirmations.slice(asked)).toEqual([expect.objectContaining({ title: 'Enforce mTLS' })])
    const live = await sdk.rulesets.phases.get(PHASE, { zone_id: zoneId })
    expect(live.rules.map((r) => [r.description, r.expression])).toEqual([
      [RULE, '(not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.host in {"api.example.com"}'],
    ])
    await expect.poll(() => api.getByText('blocked', { exact: true }).count()).toBe(1)
    expect(await referee()).toBe(403)

    // Test access with the revoked certificate (main reads its key from the vault): blocked by the edge, with the rule.
    await api.getByRole('button', { name: 'Test access' }).click()
    const result = api.getByRole('status', { name: 'Test access result' })
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1)
    const rows = result.getByRole('table', { name: 'Requests sent' }).getByRole('row')
    const first = rows.nth(1)
    expect(await first.textContent()).toContain('With CN=laptop-7')
    expect(await first.getByText('blocked', { exact: true }).count()).toBe(1)
    expect(await first.textContent()).toContain('403')
    expect(await first.textContent()).toContain(RULE)
    expect(await first.locator('code').textContent()).toMatch(/^[0-9a-f]{16}/i)
    expect(await result.textContent()).toContain('As expected (blocked)')
    await dismissToasts(page)
    await api.scrollIntoViewIfNeeded()
    await shootBoth(app, 'revoke-warning-enforced')
    await page.keyboard.press('Escape')
    await expect.poll(() => drawer.count()).toBe(0)
    expect(app.consoleErrors).toEqual([])
  })

  test('the Enforcement tab: hostnames with their CA and verdicts, the rules, the findings, Test access without a certificate', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Enforcement' }).click()
    const hostnames = page.getByRole('table', { name: 'Associated hostnames' })
    await expect.poll(() => hostnames.getByRole('row').count(), { timeout: 15_000 }).toBe(3)
    const apiRow = hostnames.getByRole('row').filter({ hasText: 'api.example.com' })
    expect(await apiRow.textContent()).toContain('Cloudflare-managed CA')
    expect(await apiRow.textContent()).toContain(RULE)
    expect(await apiRow.getByText('blocked', { exact: true }).count()).toBe(2)
    const devicesRow = hostnames.getByRole('row').filter({ hasText: 'devices.example.com' })
    expect(await devicesRow.getByText('passes', { exact: true }).count()).toBe(2)
    const rules = page.getByRole('table', { name: 'Custom rules' })
    expect(await rules.textContent()).toContain('cf.tls_client_auth.cert_revoked')
    const findings = page.getByRole('list', { name: 'Findings' }).getByRole('listitem')
    expect(await findings.count()).toBe(1)
    expect(await findings.first().textContent()).toContain('devices.example.com')
    expect(await findings.first().textContent()).toContain('Not enforced')

    await page.getByLabel('Hostname', { exact: true }).selectOption('api.example.com')
    await page.getByLabel('Certificate', { exact: true }).selectOption({ label: 'No certificate' })
    await page.getByRole('button', { name: 'Test access' }).click()
    const result = page.getByRole('status', { name: 'Test access result' })
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1)
    expect(await result.getByRole('row').nth(1).textContent()).toContain('Without a certificate')
    expect(await result.getByRole('row').nth(1).getByText('blocked', { exact: true }).count()).toBe(1)
    await dismissToasts(page)
    await page.evaluate(`document.querySelector('main.content').scrollTop = 0`)
    // Tall enough for the whole tab, Test access's answer included.
    await page.setViewportSize({ width: 1280, height: 1180 })
    await shootBoth(app, 'enforcement-tab')
    toDocs('enforcement-tab-dark.png', 'enforcement-tab.png')
    await page.setViewportSize({ width: 1280, height: 820 })
    expect(await axeScan(page)).toEqual([])
    expect(app.consoleErrors).toEqual([])
  })
})
