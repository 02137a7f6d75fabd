/**
 * Java ignores the OS store and reads its JDK's cacerts. Without elevation, the fixer copies the JDK's cacerts
 * into the user-data folder, imports the root into the copy with keytool, and points every JVM started from
 * a login shell at the copy through JAVA_TOOL_OPTIONS (-Djavax.net.ssl.trustStore; JDK docs: JSSE Reference
 * Guide, "The default trust store"). The JDK's own cacerts is left untouched.
 */
import { readFileSync } from 'node:fs'
import { AppError } from '../../shared/errors'
import { withPrivateTempFile } from '../truststore/elevate'
import { toolMessage } from '../truststore/exec'
import { certdeskAlias, detectJava, JAVA_STOREPASS, parseKeytoolList, type JavaInstall } from '../truststore/java'
import { digest, type Fingerprint } from '../certs/fingerprint'
import { certificatesInFile } from '../truststore/certificates'
import type { CommandRunner } from '../truststore/exec'
import type { FixContext, RuntimeBackend } from './backend'
import { shellQuote } from './shell'

/** The JAVA_TOOL_OPTIONS flags naming a trust store. */
export const trustStoreOptions = (store: string): string =>
  // A path with a space (macOS's "Application Support") is quoted: the JVM (9 and later) reads quotes in JAVA_TOOL_OPTIONS.
  `-Djavax.net.ssl.trustStore=${/\s/.test(store) ? `"${store}"` : store} -Djavax.net.ssl.trustStorePassword=${JAVA_STOREPASS}`

/** The trust store JAVA_TOOL_OPTIONS names, if any. */
export function trustStoreIn(options: string | undefined): string | null {
  const m = /(?:^|\s)-Djavax\.net\.ssl\.trustStore=(?:"([^"]*)"|(\S+))/.exec(options ?? '')
  return m ? (m[1] ?? m[2] ?? null) : null
}

/** Whether a keystore holds the certificate with this SHA-256 (null: keytool could not read it). */
export async function keystoreHolds(runner: CommandRunner, keytool: string, store: string, fp: Fingerprint): Promise<boolean | null> {
  const result = await runner.run(keytool, ['-list', '-rfc', '-keystore', store, '-storepass', JAVA_STOREPASS], { timeoutMs: 60_000 })
  if (result.code !== 0) return null
  return parseKeytoolList(result.stdout).some(({ pem }) =>
    certificatesInFile(Buffer.from(pem)).some((der) => digest(der, fp.algorithm) === fp.hex),
  )
}

const javaOf = (ctx: FixContext): JavaInstall | null => detectJava(ctx.env)

export const javaBackend: RuntimeBackend = {
  runtime: 'java',
  envLines: (layout) => {
    const flags = trustStoreOptions(layout.javaStore)
    // Appended to the user's own JAVA_TOOL_OPTIONS, once (the env file may be sourced by several profiles).
    return [
      `case " \${JAVA_TOOL_OPTIONS-} " in *${shellQuote(` ${flags} `)}*) ;; *)`,
      `  export JAVA_TOOL_OPTIONS="\${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }"${shellQuote(flags)} ;;`,
      'esac',
    ]
  },
  missing: (ctx) => (javaOf(ctx) ? null : 'No JDK found (JAVA_HOME or java on PATH).'),
  async apply(ctx) {
    const java = javaOf(ctx) as JavaInstall
    const store = ctx.layout.javaStore
    const sha256 = ctx.root.summary.sha256
    const fp: Fingerprint = { algorithm: 'sha256', hex: sha256 }
    // The copy is made (again) when there is none, or it was made from another JDK (the JDK was upgraded); a fresh
    // copy is not listed first (a JVM start): a root the JDK already ships is imported again, under Certdesk's alias.
    const holds = ctx.journal.data.javaHome === java.javaHome ? await keystoreHolds(ctx.runner, java.keytool, store, fp) : null
    if (holds) return `The root is in ${store} (a copy of ${java.cacerts}).`
    if (holds === null) {
      ctx.journal.write(store, 'owned', readFileSync(java.cacerts))
      ctx.journal.data.javaHome = java.javaHome
      ctx.journal.save()
    }
    const alias = certdeskAlias(ctx.root.summary)
    const result = await withPrivateTempFile(ctx.root.pem, 'root.pem', (file) =>
      ctx.runner.run(
        java.keytool,
        ['-importcert', '-noprompt', '-alias', alias, '-file', file, '-keystore', store, '-storepass', JAVA_STOREPASS],
        { timeoutMs: 120_000 },
      ),
    )
    ctx.journal.recordAfter(store)
    if (result.code !== 0 || !(await keystoreHolds(ctx.runner, java.keytool, store, fp))) {
      throw new AppError('runtime_fix_failed', `keytool could not import the root into ${store}.`, { hint: toolMessage(result) })
    }
    return `Imported into ${store} (a copy of ${java.cacerts}) as "${alias}".`
  },
}
