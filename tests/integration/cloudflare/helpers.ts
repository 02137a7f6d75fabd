/** Shared set-up for the Cloudflare integration tests: real SDK, real Sandbox, real crypto. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { createCloudflareClient, type CloudflareClient } from '../../../src/main/cloudflare/client'
import type { RateLimiterOptions } from '../../../src/main/cloudflare/rate-limit'
import { RateLimiter } from '../../../src/main/cloudflare/rate-limit'
import type { SandboxHandle } from '../../../src/main/sandbox'

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

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** A fresh P-256 key and a CSR for it, made with WebCrypto + @peculiar/x509. */
export async function makeCsr(cn: string): Promise<{ pem: string; keys: webcrypto.CryptoKeyPair; publicKeyDer: ArrayBuffer }> {
  const keys = (await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${cn}, O=Certdesk Tests`,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  })
  return { pem: csr.toString('pem'), keys, publicKeyDer: await crypto.subtle.exportKey('spki', keys.publicKey) }
}

/** A CA made by openssl (the referee), with the extensions a BYOPKI root needs (Cloudflare docs: Deploy custom certificate). */
export function opensslCa(cn: string): { certPem: string; keyPem: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-cf-ca-'))
  writeFileSync(join(dir, 'subj'), '')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-sha256',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      `/CN=${cn}/O=Certdesk Tests`,
      '-days',
      '365',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] },
  )
  return {
    certPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    keyPem: readFileSync(join(dir, 'ca.key'), 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

export function count<T>(items: T[], pred: (t: T) => boolean): number {
  return items.filter(pred).length
}
