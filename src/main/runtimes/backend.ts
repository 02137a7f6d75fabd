/** What each runtime backend (node, python, git, java) gives the fixer. */
import type { CommandRunner } from '../truststore/exec'
import type { RootCertificate } from '../truststore/certificates'
import type { FixRuntime, Journal } from './journal'
import type { RuntimeLayout } from './layout'

export interface FixContext {
  layout: RuntimeLayout
  journal: Journal
  root: RootCertificate
  /** The user's home (profiles, ~/.gitconfig) and environment (HOME, PATH, JAVA_HOME). */
  home: string
  env: NodeJS.ProcessEnv
  runner: CommandRunner
}

export interface RuntimeBackend {
  runtime: FixRuntime
  /** The env file's lines for this runtime. */
  envLines(layout: RuntimeLayout): string[]
  /** Why this runtime cannot be fixed here (not installed), or null. */
  missing?(ctx: FixContext): string | null
  /** Changes beyond the env file (git config, keytool), each file through the journal; throws an AppError. */
  apply?(ctx: FixContext): Promise<string>
}
