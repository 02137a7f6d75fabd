/** Where the runtime fixer keeps its files (no zod here: `trust verify` checks for a journal without loading the fixer). */
import { join } from 'node:path'

/** Where the fixer keeps its files, all under `<user data>/runtimes`. */
export interface RuntimeLayout {
  dir: string
  /** The system roots plus the fixed root: what NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE… and git read. */
  bundle: string
  /** The variables, sourced by the shell profiles' marked block. */
  envFile: string
  /** The copy of the JDK's cacerts with the root added (JAVA_TOOL_OPTIONS points Java at it). */
  javaStore: string
  journal: string
  backups: string
}

export function runtimeLayout(userDataDir: string): RuntimeLayout {
  const dir = join(userDataDir, 'runtimes')
  return {
    dir,
    bundle: join(dir, 'ca-bundle.pem'),
    envFile: join(dir, 'env.sh'),
    javaStore: join(dir, 'java-cacerts'),
    journal: join(dir, 'journal.json'),
    backups: join(dir, 'backups'),
  }
}
