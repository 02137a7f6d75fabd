/**
 * Runtimes that ignore the OS store — what breaks first behind TLS inspection. For each, find the
 * CA file it actually reads and check it for the fingerprint: Node (bundled roots plus
 * NODE_EXTRA_CA_CERTS), Python requests (REQUESTS_CA_BUNDLE, SSL_CERT_FILE, else certifi), Java
 * (cacerts, from the Java store, or the trust store JAVA_TOOL_OPTIONS names), git (http.sslCAInfo, else the system bundle).
 * After `certdesk trust fix-runtimes`, each runtime is checked as a new login shell sees it (the fix's env file on
 * top of this environment), and a runtime the fix made trust the root that no longer does is drift.
 */
import { readFile } from 'node:fs/promises'
import type { RuntimeCheck } from '../../shared/truststore-model'
import { certificatesInFile, splitPemCertificates } from './certificates'
import type { CommandRunner } from './exec'
import { digest, type Fingerprint } from '../certs/fingerprint'
import type { RuntimeFixState } from '../runtimes'
import { keystoreHolds, trustStoreIn } from '../runtimes/java'
import { detectJava } from './java'

type Verdict = boolean | null

export interface RuntimeContext {
  env: NodeJS.ProcessEnv
  runner: CommandRunner
  python?: string
  git?: string
  /** Whether the Java store holds the root (null: no JDK found; not-checked: the Java store was not asked for). */
  javaTrusts: Verdict | 'not-checked' | Promise<Verdict | 'not-checked'>
  /** Whether the system store trusts it (git and Python's ssl module fall back to it). */
  systemTrusts: Verdict | Promise<Verdict>
  /** The runtime fix in place for this root (certdesk trust fix-runtimes), if any. */
  fixed?: RuntimeFixState | null
}

const RUNTIME_NAMES = { node: 'Node.js', python: 'Python', java: 'Java', git: 'git' } as const

function holds(ders: Buffer[], fp: Fingerprint): boolean {
  return ders.some((der) => digest(der, fp.algorithm) === fp.hex)
}

async function fileHolds(path: string, fp: Fingerprint): Promise<boolean | null> {
  try {
    return holds(certificatesInFile(await readFile(path)), fp)
  } catch {
    return null
  }
}

type Runtime = RuntimeCheck['runtime']

/** What to say when the bundle file holds the root, and when it does not (null: cannot be read). */
interface FileNotes {
  holds: string
  lacks: string
  /** When the file cannot be read; by default that is said. */
  unreadable?: string
  /** Whether the runtime trusts the root when the file does not hold it (Node also has its bundled roots). */
  trustsAnyway?: boolean
}

/** Whether a file holds the root; each file is read once per verify (NODE_EXTRA_CA_CERTS and SSL_CERT_FILE are often one bundle). */
type HoldsIn = (file: string) => Promise<boolean | null>

/** A runtime that reads one CA bundle file: whether the file holds the root, and what to do about it. */
async function fileCheck(runtime: Runtime, source: string, file: string, holdsIn: HoldsIn, notes: FileNotes): Promise<RuntimeCheck> {
  const inFile = await holdsIn(file)
  const otherwise = notes.trustsAnyway ?? false
  return {
    runtime,
    source,
    file,
    trusts: inFile === null && !otherwise ? null : otherwise || inFile,
    note: inFile === null ? (notes.unreadable ?? `${file} cannot be read.`) : inFile ? notes.holds : notes.lacks,
  }
}

/**
 * One line per runtime, in the order node, python, java, git. The runtimes are checked concurrently (Python's
 * certifi lookup and git's config are processes of their own), and concurrently with the stores: the store
 * verdicts a runtime falls back to may be promises, awaited only by the runtime that needs them.
 */
export async function checkRuntimes(fp: Fingerprint, given: RuntimeContext): Promise<RuntimeCheck[]> {
  const fixed = given.fixed ?? null
  const ctx = fixed ? { ...given, env: { ...given.env, ...fixed.loginEnv } } : given
  const read = new Map<string, Promise<boolean | null>>()
  const holdsIn: HoldsIn = (file) => {
    let holding = read.get(file)
    if (!holding) read.set(file, (holding = fileHolds(file, fp)))
    return holding
  }
  /** A runtime that follows the system store: it trusts the root when the system store does. */
  const systemStore = async (runtime: Runtime, source: string, note: string): Promise<RuntimeCheck> => ({
    runtime,
    source,
    trusts: await ctx.systemTrusts,
    note,
  })

  const node = async (): Promise<RuntimeCheck> => {
    // node:tls only for this line (trust list and find do not load it).
    const bundled = holds(
      process
        .getBuiltinModule('node:tls')
        .rootCertificates.map((pem) => splitPemCertificates(pem)[0])
        .filter((d): d is Buffer => d !== undefined),
      fp,
    )
    const extra = ctx.env['NODE_EXTRA_CA_CERTS']
    if (extra) {
      return fileCheck('node', 'NODE_EXTRA_CA_CERTS', extra, holdsIn, {
        holds: 'The root is in NODE_EXTRA_CA_CERTS.',
        lacks: bundled ? "Trusted through Node's bundled roots." : `Not in ${extra}; add it there.`,
        trustsAnyway: bundled,
      })
    }
    return {
      runtime: 'node',
      source: 'bundled roots',
      trusts: bundled,
      note: bundled
        ? 'A public root Node ships with.'
        : 'Node ignores the OS store: set NODE_EXTRA_CA_CERTS to a PEM file holding the root (or start node with --use-system-ca).',
    }
  }

  const python = async (): Promise<RuntimeCheck> => {
    const pyVar = ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE'].find((v) => ctx.env[v])
    if (pyVar) {
      const file = ctx.env[pyVar] as string
      return fileCheck('python', pyVar, file, holdsIn, {
        holds: `The root is in ${pyVar}.`,
        lacks: `Not in ${file}; append the root's PEM to it.`,
      })
    }
    const where = await ctx.runner.run(ctx.python ?? 'python3', ['-c', 'import certifi; print(certifi.where())'], {
      timeoutMs: 15_000,
      env: ctx.env,
    })
    const file = where.code === 0 ? where.stdout.trim() : ''
    if (file) {
      const lacks = 'requests uses certifi, not the OS store: set REQUESTS_CA_BUNDLE to the system bundle or a file holding the root.'
      return fileCheck('python', 'certifi', file, holdsIn, { holds: "The root is in certifi's bundle.", lacks, unreadable: lacks })
    }
    return systemStore('python', 'ssl default paths', "certifi is not installed here; Python's ssl module uses the system store.")
  }

  const java = async (): Promise<RuntimeCheck> => {
    const store = trustStoreIn(ctx.env['JAVA_TOOL_OPTIONS'])
    const jdk = store ? detectJava(ctx.env) : null
    if (store) {
      const inStore = jdk ? await keystoreHolds(ctx.runner, jdk.keytool, store, fp) : null
      const note = inStore === null ? `${store} cannot be read with keytool.` : inStore ? `The root is in ${store}.` : `Not in ${store}.`
      return { runtime: 'java', source: 'JAVA_TOOL_OPTIONS trustStore', file: store, trusts: inStore, note }
    }
    const javaTrusts = await ctx.javaTrusts
    return {
      runtime: 'java',
      source: 'cacerts',
      trusts: javaTrusts === 'not-checked' ? null : javaTrusts,
      note:
        javaTrusts === 'not-checked'
          ? "Not checked: Java's cacerts was not among the stores asked for (--store java reads it with keytool)."
          : javaTrusts === null
            ? 'No JDK found (JAVA_HOME or java on PATH).'
            : javaTrusts
              ? 'The root is in cacerts.'
              : 'Java ignores the OS store: install the root into cacerts (certdesk trust install ROOT --store java).',
    }
  }

  const git = async (): Promise<RuntimeCheck> => {
    const gitCa = await ctx.runner.run(ctx.git ?? 'git', ['config', '--get', 'http.sslCAInfo'], { timeoutMs: 15_000, env: ctx.env })
    const gitFile = gitCa.code === 0 ? gitCa.stdout.trim() : ''
    if (gitFile) {
      const lacks = `git reads only ${gitFile}; add the root there or unset http.sslCAInfo.`
      return fileCheck('git', 'http.sslCAInfo', gitFile, holdsIn, { holds: 'The root is in http.sslCAInfo.', lacks, unreadable: lacks })
    }
    const note = gitCa.error ? 'git is not installed.' : 'http.sslCAInfo is not set: git follows the system store.'
    return systemStore('git', 'system store', note)
  }

  const checks = await Promise.all([node(), python(), java(), git()])
  return fixed ? checks.map((check) => withDrift(check, fixed, ctx.env)) : checks
}

/** A runtime the fix made trust the root that no longer does (or whose JDK changed since): drift, said how. */
function withDrift(given: RuntimeCheck, fixed: RuntimeFixState, env: NodeJS.ProcessEnv): RuntimeCheck {
  if (!fixed.runtimes.includes(given.runtime)) return given
  const check = { ...given, fixed: true }
  const again = 'Run certdesk trust fix-runtimes again.'
  const name = RUNTIME_NAMES[check.runtime]
  if (check.trusts !== true) {
    const why = fixed.envProblem ?? check.note
    return { ...check, drift: true, note: `Drift: Certdesk made ${name} trust this root, but no longer: ${why} ${again}` }
  }
  const jdk = check.runtime === 'java' ? detectJava(env) : null
  if (jdk && fixed.javaHome && jdk.javaHome !== fixed.javaHome) {
    const note = `Drift: the JDK changed since the fix (was ${fixed.javaHome}, now ${jdk.javaHome}); its cacerts copy is stale. ${again}`
    return { ...check, drift: true, note }
  }
  return check
}
