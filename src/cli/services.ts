/**
 * The CLI's services, from the app's composition root and loaded on first use, so `certdesk
 * --version` loads nothing and `certdesk trust list` only the trust stores:
 * - `app()`: every service (main/services.ts) on the app's storage;
 * - `trust()`: the trust-store service, wired as the app wires it (main/trust-services.ts) but
 *   reading files and CERTDESK_TRUST_* from this process, with the activity log loaded on the first change;
 * - `call(channel, request)`: an IPC channel through the app's own handlers and dispatch(), so a
 *   request is validated by the same contract and an error has the same shape as in the app; a job's
 *   progress events go to `onProgress`.
 */
import type { Channel } from '../shared/channels'
import type { RequestOf, ResponseOf } from '../shared/contract'
import type { Progress } from '../shared/model'
import type { Handlers } from '../main/dispatch'
import type { Services } from '../main/services'
import type { ActivitySink, TrustService } from '../main/truststore'
import type { CliIo } from './command'
import { appErrorFrom } from './args'
import { defaultUserDataDir } from './user-data'
import type { AppServiceOptions } from './app-services'

export { defaultUserDataDir }

export interface CliServices {
  app(): Promise<Services>
  trust(): Promise<TrustService>
  call<C extends Channel>(channel: C, request: RequestOf<C>, onProgress?: (progress: Progress) => void): Promise<ResponseOf<C>>
}

export function cliServices(io: CliIo, options: AppServiceOptions = {}): CliServices {
  const app = async () => (await import('./app-services')).appServices(io, options)
  let handlers: Promise<Handlers> | undefined
  return {
    app,
    async trust() {
      const { createTrustService } = await import('../main/trust-services')
      const { detectOptionsFromEnv } = await import('../main/truststore')
      return createTrustService({
        detect: detectOptionsFromEnv(io.env),
        env: io.env,
        activity: lazyActivityLog(io),
        allowFilePaths: true,
        userDataDir: defaultUserDataDir(io.env),
      })
    },
    async call(channel, request, onProgress) {
      handlers ??= Promise.all([app(), import('../main/handlers')]).then(([services, h]) => h.createHandlers(services))
      const [{ dispatch }, resolved] = await Promise.all([import('../main/dispatch'), handlers])
      const result = await dispatch(resolved, channel, request, { emit: (_event, progress) => onProgress?.(progress) }, (_channel, error) =>
        io.stderr(`certdesk: unexpected error: ${(error as Error).stack ?? String(error)}\n`),
      )
      if (!result.ok) throw appErrorFrom(result.error)
      return result.value as ResponseOf<typeof channel>
    },
  }
}

/** The activity log, loaded on the first change it records: listing and verifying never pay for it. */
function lazyActivityLog(io: CliIo): ActivitySink {
  let log: Promise<{ record: ActivitySink['record'] }> | undefined
  return {
    record(input) {
      log ??= import('../main/storage/activity').then(({ ActivityLog }) => new ActivityLog(defaultUserDataDir(io.env)))
      return log
        .then((l) => l.record(input))
        .catch((error: unknown) => io.stderr(`certdesk: could not write the activity log: ${(error as Error).message}\n`))
    },
  }
}
