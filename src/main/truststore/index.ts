/**
 * Trust stores: "is our root installed and trusted on this machine?". Public API for the
 * composition root, IPC handlers and the CLI.
 */
export type { TrustStore } from './types'
export { detectTrustStores, detectOptionsFromEnv, type DetectOptions } from './detect'
export { TrustService, type TrustServiceOptions, type LintRoot, type ActivitySink, type OnProgress } from './service'
export { execRunner, type CommandRunner, type RunOptions, type RunResult } from './exec'
export { parseFingerprint, type Fingerprint } from '../certs/fingerprint'
export { parseRootForInstall, type RootCertificate } from './certificates'
export { probeHost, probeLocalRoot, makeLocalLeaf, parseHostPort } from './probe'
export { LinuxSystemStore, debianRefreshForSysroot, systemBundleReader } from './linux'
export { NssStore } from './nss'
export { DarwinStore } from './darwin'
export { WindowsStore } from './windows'
export { JavaStore, detectJava } from './java'
