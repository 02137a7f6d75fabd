/**
 * Builds the official SDK client for one profile. Every knob is set on purpose:
 *  - `baseURL` switches between Cloudflare's API and a Sandbox server on loopback;
 *  - `fetch` can be Electron's `net.fetch` (OS proxy and trust store, which matters behind Gateway
 *    inspection); it is wrapped by the profile's shared rate limiter (rate-limit.ts);
 *  - `maxRetries: 0`: retries live in the limiter, which shares backoff across the token's requests
 *    and never repeats a create blindly (client-certificates.ts resolves lost creates by CSR);
 *  - `timeout`: the SDK's timeout bounds a whole request *including* the limiter's waits, so it is
 *    long; each attempt on the wire has its own shorter `attemptTimeoutMs`;
 *  - `apiVersion` is pinned: the SDK otherwise sends today's date, and the API's behaviour would
 *    shift under the app on some future morning;
 *  - legacy key/email credentials are nulled so environment variables cannot slip them in.
 */
import Cloudflare from 'cloudflare'
import { CLOUDFLARE_API_URL } from '../../shared/constants'
import { AppError } from '../../shared/errors'
import { limitedFetch, RateLimiter } from './rate-limit'

/** The `api-version` header sent with every request (the SDK 7.3.0 release this code was checked against). */
export const PINNED_API_VERSION = '2026-10-02'

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 30_000
/** Upper bound for one SDK call, waits for the rate limit included. */
export const DEFAULT_REQUEST_CEILING_MS = 15 * 60_000

export interface CloudflareClientOptions {
  token: string
  /** Cloudflare's API by default; a Sandbox URL such as http://127.0.0.1:PORT/client/v4. */
  baseUrl?: string | undefined
  /** Injected fetch (Electron passes `net.fetch`); the global fetch otherwise. */
  fetch?: typeof fetch | undefined
  /** Share one limiter between every client of the same token. A fresh one is made otherwise. */
  limiter?: RateLimiter | undefined
  attemptTimeoutMs?: number | undefined
  maxTransientRetries?: number | undefined
  maxThrottleWaitMs?: number | undefined
}

export interface CloudflareClient {
  sdk: Cloudflare
  limiter: RateLimiter
  baseUrl: string
  isSandbox: boolean
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

/** The API token goes in every request header: refuse anything but https, or plain http on loopback (the Sandbox). */
export function validateBaseUrl(raw: string | undefined): { url: string; isSandbox: boolean } {
  const text = (raw ?? CLOUDFLARE_API_URL).trim().replace(/\/+$/, '')
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    throw new AppError('bad_input', `"${raw}" is not a URL.`, {
      hint: 'Use https://api.cloudflare.com/client/v4, or a Sandbox URL like http://127.0.0.1:8787/client/v4.',
    })
  }
  const loopback = LOOPBACK.has(parsed.hostname)
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new AppError(
      'bad_input',
      `Refusing to send an API token to ${parsed.origin}: only https, or http on this computer (the Sandbox), is allowed.`,
      {
        hint: 'Use https://api.cloudflare.com/client/v4, or a Sandbox URL like http://127.0.0.1:8787/client/v4.',
      },
    )
  }
  if (parsed.username || parsed.password) throw new AppError('bad_input', 'The API URL must not contain a user name or password.')
  return { url: text, isSandbox: loopback }
}

export function createCloudflareClient(options: CloudflareClientOptions): CloudflareClient {
  if (!options.token || /\s/.test(options.token)) {
    throw new AppError('bad_input', 'The Cloudflare API token is empty or contains spaces.', {
      hint: 'Paste the token exactly as Cloudflare showed it.',
    })
  }
  const { url, isSandbox } = validateBaseUrl(options.baseUrl)
  const limiter = options.limiter ?? new RateLimiter()
  const inner = options.fetch ?? globalThis.fetch.bind(globalThis)
  const sdk = new Cloudflare({
    apiToken: options.token,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: url,
    apiVersion: PINNED_API_VERSION,
    maxRetries: 0,
    timeout: DEFAULT_REQUEST_CEILING_MS,
    logLevel: 'off',
    fetch: limitedFetch(inner, {
      limiter,
      attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
      ...(options.maxTransientRetries === undefined ? {} : { maxTransientRetries: options.maxTransientRetries }),
      ...(options.maxThrottleWaitMs === undefined ? {} : { maxThrottleWaitMs: options.maxThrottleWaitMs }),
    }),
  })
  return { sdk, limiter, baseUrl: url, isSandbox }
}
