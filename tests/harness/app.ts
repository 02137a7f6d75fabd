/**
 * A whole app under test: fresh user-data folder, a unique keychain service, the real services
 * and handlers, the bridge, and a Chromium page on the built renderer.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createHandlers } from '../../src/main/handlers'
import { createServices, type ConfirmRequest, type Notice, type Services } from '../../src/main/services'
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/main/sandbox'
import type { DetectOptions } from '../../src/main/truststore'
import { startBridge, type Bridge } from './bridge'
import { launchChromium } from './browser'

export const RENDERER_DIR = resolve('out/renderer')
export const SCREENS_DIR = resolve('test-results/screens')

export interface AppUnderTest {
  services: Services
  /** Where "saved" exports land. */
  exportsDir: string
  /** Stands in for api.cloudflare.com for "Cloudflare" profiles: use its tokens. */
  cloudflare: SandboxHandle
  bridge: Bridge
  browser: Browser
  context: BrowserContext
  page: Page
  userDataDir: string
  consoleErrors: string[]
  /** Every confirmation main asked (trust install/remove, key delete), oldest first. */
  confirmations: ConfirmRequest[]
  /** How the stand-in dialog answers from now on: yes (the default) or no. */
  answerConfirmations(yes: boolean): void
  /** Every OS notification main showed, oldest first. */
  notices: Notice[]
  /** What the stand-in open dialog answers from now on: a path, or null (cancel, the default). */
  answerOpen(path: string | null): void
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

export interface StartAppOptions {
  colorScheme?: 'light' | 'dark'
  /** For `app.cloudflare`: quotas, or a prepared state file (e.g. 10,000 certificates for the bench). */
  cloudflare?: Pick<SandboxOptions, 'limits' | 'stateFile' | 'seed'>
  /** Where the app's trust stores are: point them at a throwaway tree (see tests/support/debian-tree.ts). */
  trust?: DetectOptions
}

export async function startApp(options: StartAppOptions = {}): Promise<AppUnderTest> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-'))
  const keychainService = `certdesk-e2e-${randomBytes(6).toString('hex')}`
  const cloudflare = await startSandbox({
    seed: 'demo',
    stateFile: null,
    ...options.cloudflare,
    timing: { revocationMs: 500, reactivationMs: 500, gatewayDeployMs: 500 },
  })
  const exportsDir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-exports-'))
  const confirmations: ConfirmRequest[] = []
  let confirmAnswer = true
  const notices: Notice[] = []
  let openAnswer: string | null = null
  const services = createServices({
    userDataDir,
    // The save dialog answers with a file in a throwaway folder; tests read what was written there.
    // The confirmation records what was asked and answers yes unless a test says otherwise.
    dialogs: {
      saveFile: async ({ defaultName }) => join(exportsDir, defaultName),
      confirm: async (request) => {
        confirmations.push(request)
        return confirmAnswer
      },
      openPath: async () => openAnswer,
      notify: (notice) => {
        notices.push(notice)
      },
    },
    keychainService,
    appVersion: '0.0.0-e2e',
    cloudflareApiUrl: cloudflare.url,
    sandbox: { timing: { revocationMs: 500, reactivationMs: 500, gatewayDeployMs: 500 } },
    ...(options.trust ? { trust: options.trust } : {}),
  })
  const bridge = await startBridge({ handlers: createHandlers(services), rendererDir: RENDERER_DIR })
  const browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme: options.colorScheme ?? 'light' })
  await context.addInitScript({ content: bridge.initScript })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  await page.goto(bridge.url)
  // The shell has rendered (and its keyboard shortcuts are live) once a screen title is there.
  await page.waitForSelector('#screen-title')
  mkdirSync(SCREENS_DIR, { recursive: true })
  return {
    services,
    exportsDir,
    cloudflare,
    bridge,
    browser,
    context,
    page,
    userDataDir,
    consoleErrors,
    confirmations,
    answerConfirmations(yes) {
      confirmAnswer = yes
    },
    notices,
    answerOpen(path) {
      openAnswer = path
    },
    async screenshot(name) {
      const path = join(SCREENS_DIR, `${name}.png`)
      await page.screenshot({ path, fullPage: false })
      return path
    },
    async close() {
      // Remove every keychain entry this run created, then the throwaway folder.
      for (const profile of services.profiles.list()) await services.profiles.remove(profile.id)
      await browser.close()
      await bridge.close()
      await services.close()
      await cloudflare.close()
      rmSync(userDataDir, { recursive: true, force: true })
      rmSync(exportsDir, { recursive: true, force: true })
    },
  }
}
