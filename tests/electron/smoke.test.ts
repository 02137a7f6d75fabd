/**
 * The real app in Electron (`_electron.launch`). Runs wherever the Electron binary is installed;
 * here (ELECTRON_SKIP_BINARY_DOWNLOAD) it skips with one line saying why.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
if (!binary) {
  console.log('tests/electron: skipped — no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); run `npx electron --version` after a normal install to enable.')
}

describe.skipIf(!binary)('Electron app', () => {
  let app: ElectronApplication
  let page: Page
  let userData: string

  beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), 'certdesk-electron-'))
    app = await electron.launch({
      executablePath: binary!,
      args: ['out/main/index.js', `--user-data-dir=${userData}`],
      env: { ...process.env, ELECTRON_RENDERER_URL: '' },
    })
    page = await app.firstWindow()
    await page.waitForSelector('#screen-title')
  })

  afterAll(async () => {
    await app?.close()
    rmSync(userData, { recursive: true, force: true })
  })

  test('opens the window from app:// with the CSP header', async () => {
    expect(page.url()).toBe('app://certdesk/index.html')
    const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'))
    expect(csp).toContain("default-src 'none'")
  })

  test('round-trips IPC through the preload', async () => {
    const info = await page.evaluate(() => window.certdesk.app.info())
    expect(info.ok).toBe(true)
  })

  test('runs sandboxed without Node', async () => {
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
  })

  test('blocks navigation away from the app', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe('app://certdesk/index.html')
  })
})
