/**
 * How the trust-store service is wired, in one place: the composition root (services.ts) builds it
 * for the app, and the CLI builds it alone, so `certdesk trust list` never loads the Cloudflare,
 * PKI or key-vault code. Light on purpose: the root-CA lint is loaded on the first install only.
 */
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
    // Before installing a root anywhere, lint it as a root CA; findings are reported with the outcome.
    lintRoot: async (der) => (await import('./lint/install-gate')).rootInstallFindings(der),
  })
}
