/**
 * Finds a Chromium for the browser suite: $CHROMIUM_PATH, Debian's /usr/bin/chromium, or
 * Playwright's own download. Fails with the install command rather than skipping.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export function findChromium(): string {
  for (const candidate of CANDIDATES) if (candidate && existsSync(candidate)) return candidate
  try {
    const bundled = chromium.executablePath()
    if (bundled && existsSync(bundled)) return bundled
  } catch {
    // playwright-core has no browser of its own unless one was downloaded.
  }
  throw new Error('No Chromium found for the browser tests. Debian/Ubuntu: sudo apt-get install chromium (or set CHROMIUM_PATH).')
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}
