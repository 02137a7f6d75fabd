/** Roots & CAs → Check a certificate: paste, choose a file, and a refused private key. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { opensslRoot, ROOT_EXT } from '../support/cert-factory'
import { startApp, type AppUnderTest } from '../harness/app'

describe('checking a certificate in the browser', () => {
  let app: AppUnderTest
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-check-'))
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })

  beforeAll(async () => {
    opensslRoot(join(dir, 'root.pem'), join(dir, 'root.key'), { subject: '/CN=E2E Root/O=Certdesk', days: 365, ext: ROOT_EXT })
    // A CA with a non-critical basicConstraints: Python 3.13 clients reject it.
    const weak = ['basicConstraints=CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']
    opensslRoot(join(dir, 'weak.pem'), join(dir, 'weak.key'), { subject: '/CN=Weak Root', days: 365, ext: weak })
    openssl('x509', '-in', join(dir, 'weak.pem'), '-outform', 'DER', '-out', join(dir, 'weak.der'))
    app = await startApp()
    await app.page.keyboard.press('Control+2')
  })

  afterAll(async () => {
    await app?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('pasted PEM root passes as root-ca with decoded details', async () => {
    const { page } = app
    await page.getByLabel('…or paste PEM text').fill(readFileSync(join(dir, 'root.pem'), 'utf8'))
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    const cert = page.getByRole('region', { name: /Certificate 1: .*CN=E2E Root/ })
    await expect.poll(() => cert.getByText('Passes').count()).toBe(1)
    expect(await cert.locator('code', { hasText: 'root-ca' }).count()).toBeGreaterThan(0)
    await cert.getByText('Decoded fields and extensions').click()
    expect(await cert.getByRole('table', { name: 'Extensions' }).textContent()).toContain('Basic Constraints')
    await app.screenshot('roots-check-pass-light')
  })

  test('a DER file chosen from disk fails python-strict and names the rule and fix', async () => {
    const { page } = app
    await page.getByLabel('Profile').selectOption('python-strict')
    await page.locator('input[type=file]').setInputFiles(join(dir, 'weak.der'))
    const cert = page.getByRole('region', { name: /Certificate 1: .*CN=Weak Root/ })
    await expect.poll(() => cert.getByText('Fails').count()).toBe(1)
    expect(await cert.textContent()).toMatch(/basicConstraints/i)
    await app.screenshot('roots-check-fail-light')
  })

  test('a damaged DER file is refused in words, its hint showing the openssl command as code', async () => {
    const { page } = app
    // A SEQUENCE claiming 11 length bytes: the decoder's "length of 11 bytes at byte 0" must not reach the page.
    writeFileSync(join(dir, 'bogus.cer'), new Uint8Array([0x30, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))
    await page.locator('input[type=file]').setInputFiles(join(dir, 'bogus.cer'))
    const alert = page.getByRole('alert').filter({ hasText: 'bogus.cer is damaged or not DER' })
    await expect.poll(() => alert.count()).toBe(1)
    const text = (await alert.textContent()) ?? ''
    expect(text).not.toMatch(/at byte|length of 11|`/)
    expect(await alert.locator('code').first().textContent()).toMatch(/^openssl x509 /)
  })

  test('a private key is refused with what it is, and nothing else changes', async () => {
    const { page } = app
    writeFileSync(join(dir, 'key.pem'), readFileSync(join(dir, 'root.key')))
    await page.locator('input[type=file]').setInputFiles(join(dir, 'key.pem'))
    const alert = page.getByRole('alert').filter({ hasText: 'a certificate was expected' })
    await expect.poll(() => alert.count()).toBe(1)
    expect(await alert.textContent()).toContain('key.pem is')
    expect(await alert.textContent()).toContain('Private keys stay with you')
    expect(await page.getByRole('region', { name: /Certificate 1:/ }).count()).toBe(0)
    await app.screenshot('roots-check-refused-light')
  })

  test('a new input clears the last one’s error: no earlier file’s message under the new result', async () => {
    const { page } = app
    // The private key's refusal is on screen; a file too large to read replaces it, not joins it.
    expect(await page.getByRole('alert').filter({ hasText: 'a certificate was expected' }).count()).toBe(1)
    writeFileSync(join(dir, 'huge.pem'), Buffer.alloc(5 * 1024 * 1024, 0x41))
    await page.locator('input[type=file]').setInputFiles(join(dir, 'huge.pem'))
    const tooBig = page.getByRole('alert').filter({ hasText: 'huge.pem is 5120 KB; Certdesk reads certificate files of at most 4096 KB.' })
    await expect.poll(() => tooBig.count()).toBe(1)
    expect(await page.getByRole('alert').filter({ hasText: 'a certificate was expected' }).count()).toBe(0)
    // Then pasted text that passes: only its result, no file error under it.
    await page.getByLabel('Profile').selectOption('auto')
    await page.getByLabel('…or paste PEM text').fill(readFileSync(join(dir, 'root.pem'), 'utf8'))
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: /Certificate 1: .*CN=E2E Root/ })
          .getByText('Passes')
          .count(),
      )
      .toBe(1)
    expect(await page.getByRole('alert').count()).toBe(0)
  })

  test("path validation fields: a purpose and host name the root does not serve, then this machine's roots", async () => {
    const { page } = app
    await page.getByLabel('Purpose').selectOption('server')
    await page.getByLabel('Host name or IP').fill('app.example.test')
    await page.getByLabel('…or paste PEM text').fill(readFileSync(join(dir, 'root.pem'), 'utf8'))
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    await expect.poll(() => page.getByText('chain fails').count()).toBe(1)
    const text = (await page.locator('#check-title').locator('..').textContent()) ?? ''
    expect(text).toContain('path.peer_name.mismatch')
    expect(text).toContain('path.purpose.not_allowed')
    expect(text).not.toContain('path.anchor.not_found')
    await page.getByLabel("Against this machine's roots").check()
    await page.getByRole('button', { name: 'Check pasted text' }).click()
    await expect.poll(async () => (await page.locator('#check-title').locator('..').textContent()) ?? '').toContain('path.anchor.not_found')
  })
})
