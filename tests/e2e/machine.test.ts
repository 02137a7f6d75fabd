/**
 * This machine (helpdesk) against a throwaway Debian tree and NSS database that the real
 * update-ca-certificates and certutil change: read the stores, install a root from the UI, verify it
 * by Gateway's unpadded fingerprint and Access's MD5 spelling, refuse a dropped private key, check a
 * local TLS site, remove the root. Every change is checked in the stores themselves, not just on screen.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate, createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp, type AppUnderTest } from '../harness/app'
import { makeDebianTree, throwawayMachine } from '../support/debian-tree'
import { opensslCsr, opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { axeScan, dismissToasts, shootBoth } from './support/screens'

const ROOT_CN = 'Certdesk E2E Machine Root'

describe('this machine screen', () => {
  let app: AppUnderTest
  const tree = makeDebianTree(2)
  const home = join(tree.root, 'home')
  const nssDb = join(home, '.pki/nssdb')
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-machine-'))
  let rootPem: string
  let cert: X509Certificate
  let server: Server
  let serverPort: number
  const base64Body = () => rootPem.replace(/-----[^-]+-----|\s/g, '')
  const nssHasRoot = () => {
    try {
      return execFileSync('certutil', ['-L', '-d', `sql:${nssDb}`], { encoding: 'utf8' }).includes(ROOT_CN)
    } catch {
      return false
    }
  }

  beforeAll(async () => {
    const trust = await throwawayMachine(tree.root, home)
    const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
    opensslRoot(join(dir, 'root.pem'), join(dir, 'root.key'), { subject: `/CN=${ROOT_CN}/O=Certdesk Tests`, ext: ROOT_EXT })
    opensslCsr(join(dir, 'leaf.csr'), join(dir, 'leaf.key'), '/CN=localhost', ['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'])
    openssl([
      'x509',
      '-req',
      '-in',
      join(dir, 'leaf.csr'),
      '-CA',
      join(dir, 'root.pem'),
      '-CAkey',
      join(dir, 'root.key'),
      '-out',
      join(dir, 'leaf.pem'),
      '-days',
      '5',
      '-set_serial',
      '4242',
      '-copy_extensions',
      'copy',
    ])
    rootPem = readFileSync(join(dir, 'root.pem'), 'utf8')
    cert = new X509Certificate(rootPem)
    server = createServer({ key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.pem')) + rootPem }, (socket) =>
      socket.end(),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    serverPort = (server.address() as { port: number }).port
    app = await startApp({ trust })
    await app.page.keyboard.press('Control+5')
  })

  afterAll(async () => {
    await app?.close()
    server?.close()
    tree.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  test('lists every store with its location and tool, and all their roots, after a scan with progress', async () => {
    const { page } = app
    const stores = page.getByRole('table', { name: 'Trust stores on this machine' })
    await expect.poll(() => page.getByText('2 roots in 2 stores').count(), { timeout: 15_000 }).toBe(1)
    expect(await stores.textContent()).toContain(tree.anchors)
    expect(await stores.textContent()).toContain(nssDb)
    expect(await stores.textContent()).toContain('update-ca-certificates')
    expect(await stores.textContent()).toContain('certutil')
    expect(await page.getByRole('grid', { name: 'Roots on this machine' }).locator('.vt-body [role=row]').count()).toBe(2)
    await shootBoth(app, 'machine-stores')
    expect(await axeScan(page)).toEqual([])
  })

  test('installs a root from the UI after a confirmation naming every store; it is really trusted', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Install or remove' }).click()
    await page.getByLabel('…or paste PEM text').fill(rootPem)
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    // Before installing, the panel shows where it is now: missing everywhere.
    const before = page.getByRole('list', { name: 'Per-store result' })
    await expect.poll(() => before.getByText('missing').count()).toBe(2)
    // The verdict comes first, in one sentence; a root in no store is "not installed", not "not trusted everywhere".
    const verdict = page.getByRole('region', { name: 'Verification result' }).locator('p.verdict')
    expect(await verdict.textContent()).toBe(`${ROOT_CN} is not installed here.`)
    expect(await page.getByRole('region', { name: 'Verification result' }).getByText('not trusted everywhere').count()).toBe(0)
    await shootBoth(app, 'machine-install-loaded')
    await page.getByRole('button', { name: `Install ${ROOT_CN} on this machine…` }).click()
    const dialog = page.getByRole('dialog', { name: `Install ${ROOT_CN}?` })
    await expect.poll(() => dialog.count()).toBe(1)
    expect(await dialog.textContent()).toContain('None of these stores needs an administrator password')
    expect(await dialog.textContent()).toContain(nssDb)
    await shootBoth(app, 'machine-install-confirm')
    expect(await axeScan(page)).toEqual([])
    await dialog.getByRole('button', { name: `Install ${ROOT_CN}` }).click()
    const outcome = page.getByRole('table', { name: 'Outcome per store' })
    await expect.poll(() => outcome.getByText('installed', { exact: true }).count(), { timeout: 20_000 }).toBe(2)
    await shootBoth(app, 'machine-install-result')
    await dismissToasts(page)

    // The real stores: the bundle update-ca-certificates rebuilt holds it, certutil lists it, verify says trusted.
    expect(readFileSync(tree.bundle, 'utf8').replace(/\s/g, '')).toContain(base64Body())
    expect(nssHasRoot()).toBe(true)
    const verified = await app.services.trust().verify(rootPem)
    expect(verified.lines.map((l) => l.status)).toEqual(['trusted', 'trusted'])
  })

  test('the root list shows the new root, highlighted as added here, and searches by name', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Stores and roots' }).click()
    await expect.poll(() => page.getByText('4 roots in 2 stores').count(), { timeout: 15_000 }).toBe(1)
    await page.getByLabel('Search roots').fill('E2E Machine')
    const table = page.getByRole('grid', { name: 'Roots on this machine' })
    await expect.poll(() => table.locator('.vt-body [role=row]').count()).toBe(2)
    expect(await table.getByText('added here').count()).toBe(2)
    await page.getByLabel(/Only roots added on this machine/).check()
    await expect.poll(() => page.getByText('Showing 2 of 4 roots').count()).toBe(1)
    await shootBoth(app, 'machine-roots-local')
    await page.getByLabel(/Only roots added on this machine/).uncheck()
    await page.getByLabel('Search roots').fill('')
  })

  test('verifies by Gateway’s unpadded fingerprint and by Access’s MD5 spelling: one line per store', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Verify a root' }).click()
    // Cloudflare Gateway drops a byte's leading zero (AB:0:31); make sure this one has such a byte.
    const gatewayStyle = cert.fingerprint256
      .split(':')
      .map((b) => b.replace(/^0/, ''))
      .join(':')
    await page.getByLabel('SHA-256, SHA-1 or MD5 fingerprint').fill(gatewayStyle)
    await page.getByRole('button', { name: 'Verify fingerprint' }).click()
    const lines = page.getByRole('list', { name: 'Per-store result' })
    await expect.poll(() => lines.getByText('trusted', { exact: true }).count()).toBe(2)
    expect(await lines.textContent()).toContain('System (')
    // The verdict sentence, before the details; a runtime that does not trust it keeps it from "trusted everywhere".
    const region = page.getByRole('region', { name: 'Verification result' })
    const runtimeRefuses = (await app.services.trust().verify(rootPem)).runtimes.some((r) => r.trusts === false)
    expect(await region.locator('p.verdict').textContent()).toEqual(
      runtimeRefuses
        ? expect.stringMatching(new RegExp(`^${ROOT_CN} is trusted by every trust store here but not by `))
        : `This computer trusts ${ROOT_CN} in every place that matters.`,
    )
    expect(await page.getByRole('region', { name: 'Verification result' }).textContent()).toContain(cert.fingerprint256.replace(/:/g, ''))
    // Asked by fingerprint, the root is still named: main reads it from the store that holds it.
    expect(await page.getByRole('region', { name: 'Verification result' }).getByRole('heading', { level: 2 }).textContent()).toBe(
      `CN=${ROOT_CN}, O=Certdesk Tests`,
    )
    expect(await page.getByRole('table', { name: 'Runtimes that ignore the OS store' }).count()).toBe(1)
    await shootBoth(app, 'machine-verify-fingerprint')
    expect(await axeScan(page)).toEqual([])

    const md5 = createHash('md5').update(cert.raw).digest('hex').toUpperCase().match(/../g)!.join(':')
    await page.getByLabel('SHA-256, SHA-1 or MD5 fingerprint').fill(`MD5 Fingerprint=${md5}`)
    await page.getByRole('button', { name: 'Verify fingerprint' }).click()
    await expect
      .poll(() => page.getByRole('region', { name: 'Verification result' }).textContent())
      .toContain(`MD5 ${md5.replace(/:/g, '')}`)
    expect(await lines.getByText('trusted', { exact: true }).count()).toBe(2)
  })

  test('a private key dropped on Verify is refused with the specific message', async () => {
    const { page } = app
    await page.getByRole('group', { name: 'Root certificate to verify' }).locator('input[type=file]').setInputFiles(join(dir, 'root.key'))
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'This file contains a private key; give the certificate alone.' }).count())
      .toBe(1)
    expect(await page.getByRole('region', { name: 'Verification result' }).count()).toBe(0)
    await shootBoth(app, 'machine-verify-private-key')
    // The same key as DER (a binary file): main looks inside and names it the same way.
    execFileSync('openssl', [
      'pkcs8',
      '-topk8',
      '-nocrypt',
      '-in',
      join(dir, 'root.key'),
      '-outform',
      'DER',
      '-out',
      join(dir, 'root-key.der'),
    ])
    // First a good answer (which clears the refusal), so the refusal below is the DER file's own.
    await page.getByLabel('SHA-256, SHA-1 or MD5 fingerprint').fill(cert.fingerprint256)
    await page.getByRole('button', { name: 'Verify fingerprint' }).click()
    await expect.poll(() => page.getByRole('region', { name: 'Verification result' }).count()).toBe(1)
    expect(await page.getByRole('alert').filter({ hasText: 'private key' }).count()).toBe(0)
    await page
      .getByRole('group', { name: 'Root certificate to verify' })
      .locator('input[type=file]')
      .setInputFiles(join(dir, 'root-key.der'))
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'This file contains a private key; give the certificate alone.' }).count())
      .toBe(1)
    expect(await page.getByRole('region', { name: 'Verification result' }).count()).toBe(0)
  })

  test('a leaf certificate is refused as soon as it is loaded, before any confirmation: Install stays disabled', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Install or remove' }).click()
    await page.getByLabel('…or paste PEM text').fill(readFileSync(join(dir, 'leaf.pem'), 'utf8'))
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '"CN=localhost" is not a CA certificate' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: /^Install .*on this machine…$/ }).isDisabled()).toBe(true)
    expect(await page.getByRole('dialog').count()).toBe(0)
  })

  test('checks a site: the chain it presents, who signed it, and whether this machine verified it', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Check a site' }).click()
    await page.getByLabel('Host and port').fill(`127.0.0.1:${serverPort}`)
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const chain = page.getByRole('table', { name: 'Chain presented, leaf first' })
    await expect.poll(() => chain.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2)
    expect(await chain.textContent()).toContain('CN=localhost')
    expect(await chain.textContent()).toContain(ROOT_CN)
    // The handshake verifies against the system store the app manages (here the throwaway tree, where the root is installed).
    const result = page.getByRole('region', { name: 'Site check result' })
    expect(await result.getByText('verified by this machine').count()).toBe(1)
    expect(await result.textContent()).toContain(`Signed by the root CN=${ROOT_CN}, O=Certdesk Tests, found in`)
    await shootBoth(app, 'machine-check-site')
  })

  test('main asks too: the UI install was asked in main naming the root; a direct call from the page still gets the question', async () => {
    const { page } = app
    const install = app.confirmations.find((c) => c.confirmLabel === 'Install root')
    expect(install?.message).toContain(ROOT_CN)
    expect(install?.detail).toContain(cert.fingerprint256)
    expect(install?.detail).toContain(nssDb)
    // A compromised renderer would skip the page's own dialog and call the bridge directly.
    const asked = app.confirmations.length
    app.answerConfirmations(false)
    const direct = await page.evaluate(
      (fp) =>
        (globalThis as unknown as { certdesk: { trust: { remove(r: { input: string }): Promise<unknown> } } }).certdesk.trust.remove({
          input: fp,
        }),
      cert.fingerprint256,
    )
    expect(direct).toMatchObject({ ok: false, error: { code: 'cancelled', message: 'Nothing was changed.' } })
    expect(app.confirmations).toHaveLength(asked + 1)
    expect(app.confirmations.at(-1)).toMatchObject({ confirmLabel: 'Remove root', destructive: true })
    expect(app.confirmations.at(-1)!.message).toContain(ROOT_CN)
    expect(nssHasRoot()).toBe(true)

    // Through the UI, a "no" in main is shown calmly (a status, not an alert) and the panel shows no error.
    await page.getByRole('tab', { name: 'Install or remove' }).click()
    await page.getByLabel('SHA-256 or SHA-1 fingerprint of the root to remove').fill(cert.fingerprint256)
    await page.getByRole('button', { name: /^Remove .*from this machine…$/ }).click()
    await page
      .getByRole('dialog', { name: /^Remove / })
      .getByRole('button', { name: /^Remove / })
      .click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Nothing was changed.' }).count()).toBe(1)
    expect(await page.getByRole('alert').count()).toBe(0)
    app.answerConfirmations(true)
    expect(nssHasRoot()).toBe(true)
    expect(readFileSync(tree.bundle, 'utf8').replace(/\s/g, '')).toContain(base64Body())
    await dismissToasts(page)
  })

  test('removes the root by fingerprint after a confirmation; it is gone from both stores', async () => {
    const { page } = app
    await page.getByRole('tab', { name: 'Install or remove' }).click()
    await page.getByLabel('SHA-256 or SHA-1 fingerprint of the root to remove').fill(cert.fingerprint256)
    // The fingerprint is looked up: the button and the confirmation name the root.
    await page.getByRole('button', { name: `Remove ${ROOT_CN} from this machine…` }).click()
    const dialog = page.getByRole('dialog', { name: `Remove ${ROOT_CN}?` })
    await expect.poll(() => dialog.count()).toBe(1)
    await shootBoth(app, 'machine-remove-confirm')
    await dialog.getByRole('button', { name: `Remove ${ROOT_CN}` }).click()
    const outcome = page.getByRole('table', { name: 'Outcome per store' })
    await expect.poll(() => outcome.getByText('removed', { exact: true }).count(), { timeout: 20_000 }).toBe(2)
    await shootBoth(app, 'machine-remove-result')
    expect(readFileSync(tree.bundle, 'utf8').replace(/\s/g, '')).not.toContain(base64Body())
    expect(nssHasRoot()).toBe(false)
    expect((await app.services.trust().verify(rootPem)).lines.map((l) => l.status)).toEqual(['missing', 'missing'])

    // The same site no longer verifies, and the reason is in words.
    await page.getByRole('tab', { name: 'Check a site' }).click()
    await page.getByLabel('Host and port').fill(`127.0.0.1:${serverPort}`)
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const result = page.getByRole('region', { name: 'Site check result' })
    await expect.poll(() => result.getByText('not verified').count(), { timeout: 15_000 }).toBe(1)
    expect(await result.textContent()).toContain('The chain ends in a root this machine does not trust')
    expect(await result.textContent()).toContain('No store on this machine holds the root that signed this chain.')
    expect(app.consoleErrors).toEqual([])
  })
})
