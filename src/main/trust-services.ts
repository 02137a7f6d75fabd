/**
 * How the trust-store service is wired, in one place: the composition root (services.ts) builds it
 * for the app, and the CLI builds it alone, so `certdesk trust list` never loads the Cloudflare,
 * PKI or key-vault code. Light on purpose: the root-CA lint is loaded on the first install only.
 */
import { existsSync } from 'node:fs'
import type { Fingerprint } from './certs/fingerprint'
import { runtimeLayout } from './runtimes/layout'
import type { RuntimeFixState } from './runtimes'
import { TrustService, detectTrustStores, systemBundleReader, type ActivitySink, type DetectOptions } from './truststore'

export interface TrustWiring {
  /** Where the stores are: this machine, or a throwaway tree (CERTDESK_TRUST_ROOT, tests). */
  detect: DetectOptions
  activity?: ActivitySink
  /** Whether an input may name a certificate file: the CLI yes; the app's IPC never (PEM text or a fingerprint). */
  allowFilePaths: boolean
  /** The environment the runtime checks (Node, Python, curl) read; default: this process's. */
  env?: NodeJS.ProcessEnv
  /**
   * "Check a site" verifies against the system store the app manages. On a real machine that is the
   * OS store Node reads; under a throwaway root it is that root's bundle when this is set.
   */
  probeManagedStore?: boolean
  /** Where the runtime fixer keeps its journal: verify reports a fixed runtime's drift. */
  userDataDir?: string
}

export function createTrustService(wiring: TrustWiring): TrustService {
  const stores = detectTrustStores(wiring.detect)
  const probeCa = wiring.probeManagedStore && wiring.detect.sysroot ? systemBundleReader(stores) : undefined
  return new TrustService({
    stores,
    ...(probeCa ? { probeCa } : {}),
    ...(wiring.activity ? { activity: wiring.activity } : {}),
    ...(wiring.env ? { env: wiring.env } : {}),
    allowFilePaths: wiring.allowFilePaths,
    ...(wiring.userDataDir ? { runtimeFixState: runtimeFixStateIn(wiring.userDataDir, wiring.env ?? process.env) } : {}),
    // Before installing a root anywhere, lint it as a root CA; findings are reported with the outcome.
    lintRoot: async (der) => (await import('./lint/install-gate')).rootInstallFindings(der),
  })
}

/** The fix in place, read when verify runs; the fixer (and zod) is loaded only when there is one. */
const runtimeFixStateIn =
  (userDataDir: string, env: NodeJS.ProcessEnv) =>
  async (fp: Fingerprint): Promise<RuntimeFixState | null> =>
    existsSync(runtimeLayout(userDataDir).journal) ? (await import('./runtimes')).runtimeFixState(userDataDir, env, fp) : null
