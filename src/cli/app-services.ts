/**
 * The app's composition root for this process, with the app's storage (found where Electron keeps
 * it, or CERTDESK_USER_DATA), so a profile added in the app is visible here. Heavy (every service):
 * only commands that need it load this module, through cliServices(io).app().
 */
import { createServices, type Services } from '../main/services'
import { detectOptionsFromEnv } from '../main/truststore'
import type { CliIo } from './command'
import { defaultUserDataDir } from './user-data'
import { CLI_VERSION } from './version'

export interface AppServiceOptions {
  /** The share of Cloudflare's rate budget this process uses (--rate-share); default: the app's setting. */
  cloudflareRateShare?: number
}

const built = new Map<string, Services>()

export function appServices(io: CliIo, options: AppServiceOptions = {}): Services {
  const userDataDir = defaultUserDataDir(io.env)
  const settle = io.env['CERTDESK_CREATE_SETTLE_MS']?.trim()
  const createSettleMs = settle && /^\d+$/.test(settle) ? Number(settle) : undefined
  const key = JSON.stringify([userDataDir, options.cloudflareRateShare, createSettleMs, io.env['CERTDESK_TRUST_ROOT']])
  let services = built.get(key)
  if (!services) {
    services = createServices({
      userDataDir,
      appVersion: CLI_VERSION,
      trust: detectOptionsFromEnv(io.env),
      ...(createSettleMs === undefined ? {} : { createSettleMs }),
      ...(options.cloudflareRateShare === undefined ? {} : { cloudflareRateShare: options.cloudflareRateShare }),
    })
    // Every change this process records says it came from the command line.
    const activity = services.activity
    const record = activity.record.bind(activity)
    activity.record = (entry) => record({ ...entry, detail: { ...entry.detail, via: 'cli' } })
    built.set(key, services)
  }
  return services
}
