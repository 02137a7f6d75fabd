/**
 * The real app in Electron (`_electron.launch`). Runs wherever the Electron binary is installed;
 * here (ELECTRON_SKIP_BINARY_DOWNLOAD) it skips with one line saying why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

/**
 * Where the Electron binary is, without `require('electron')`: since Electron 45 that call
 * downloads the binary on first use, which must not happen inside a test run.
 */
function electronBinary(): string | null {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(packageDir, 'dist')
  const binary = join(dist, relative)
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
if (!binary) {
  console.log(
    'tests/electron: skipped — no Electron binary in node_modules/electron/dist (it is downloaded on first `npm start`; this machine cannot reach the Electron download host).',
  )
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
    const csp = await page.evaluate<string | null>("fetch('/index.html').then((r) => r.headers.get('content-security-policy'))")
    expect(csp).toContain("default-src 'none'")
  })

  test('round-trips IPC through the preload', async () => {
    const info = await page.evaluate<{ ok: boolean }>('window.certdesk.app.info()')
    expect(info.ok).toBe(true)
  })

  test('runs sandboxed without Node', async () => {
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
  })

  test('blocks navigation away from the app', async () => {
    await page.evaluate("window.location.href = 'https://example.com/'")
    await page.waitForTimeout(500)
    expect(page.url()).toBe('app://certdesk/index.html')
  })
})
