/** Shared set-up for the Cloudflare integration tests: real SDK, real Sandbox, real crypto. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCloudflareClient, type CloudflareClient } from '../../../src/main/cloudflare/client'
import type { RateLimiterOptions } from '../../../src/main/cloudflare/rate-limit'
import { RateLimiter } from '../../../src/main/cloudflare/rate-limit'
import type { SandboxHandle } from '../../../src/main/sandbox'
import { opensslRoot, ROOT_EXT } from '../../support/cert-factory'

export function clientFor(
  sb: SandboxHandle,
  token: string,
  options: { attemptTimeoutMs?: number; limiter?: RateLimiterOptions } = {},
): CloudflareClient {
  return createCloudflareClient({
    token,
    baseUrl: sb.url,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 10_000,
    // Short backoff steps keep fault tests quick; the logic is the same as in production.
    limiter: new RateLimiter({ baseBackoffMs: 50, maxBackoffMs: 400, ...options.limiter }),
  })
}

/** A CA made by openssl (the referee), with the extensions a custom root needs (Cloudflare docs: Deploy custom certificate). */
export function opensslCa(cn: string): { certPem: string; keyPem: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-cf-ca-'))
  const ca = opensslRoot(join(dir, 'ca.pem'), join(dir, 'ca.key'), {
    subject: `/CN=${cn}/O=Certdesk Tests`,
    days: 365,
    key: 'rsa:2048',
    ext: ROOT_EXT,
    extra: ['-sha256'],
  })
  return { certPem: ca.pem, keyPem: ca.keyPem, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function count<T>(items: T[], pred: (t: T) => boolean): number {
  return items.filter(pred).length
}
