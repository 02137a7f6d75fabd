/**
 * Runtimes that ignore the OS store — what breaks first behind TLS inspection. For each, find the
 * CA file it actually reads and check it for the fingerprint: Node (bundled roots plus
 * NODE_EXTRA_CA_CERTS), Python requests (REQUESTS_CA_BUNDLE, SSL_CERT_FILE, else certifi), Java
 * (cacerts, from the Java store), git (http.sslCAInfo, else the system bundle).
 */
import { readFile } from 'node:fs/promises'
import { rootCertificates } from 'node:tls'
import type { RuntimeCheck } from '../../shared/truststore-model'
import { certificatesInFile, splitPemCertificates } from './certificates'
import type { CommandRunner } from './exec'
import { digest, type Fingerprint } from '../certs/fingerprint'

export interface RuntimeContext {
  env: NodeJS.ProcessEnv
  runner: CommandRunner
  python?: string
  git?: string
  /** Whether the Java store holds the root (null: no JDK found). */
  javaTrusts: boolean | null
  /** Whether the system store trusts it (git and Python's ssl module fall back to it). */
  systemTrusts: boolean | null
}

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

/** A runtime that reads one CA bundle file: whether the file holds the root, and what to do about it. */
async function fileCheck(runtime: Runtime, source: string, file: string, fp: Fingerprint, notes: FileNotes): Promise<RuntimeCheck> {
  const inFile = await fileHolds(file, fp)
  const otherwise = notes.trustsAnyway ?? false
  return {
    runtime,
    source,
    file,
    trusts: inFile === null && !otherwise ? null : otherwise || inFile,
    note: inFile === null ? (notes.unreadable ?? `${file} cannot be read.`) : inFile ? notes.holds : notes.lacks,
  }
}

export async function checkRuntimes(fp: Fingerprint, ctx: RuntimeContext): Promise<RuntimeCheck[]> {
  const out: RuntimeCheck[] = []
  /** A runtime that follows the system store: it trusts the root when the system store does. */
  const systemStore = (runtime: Runtime, source: string, note: string): RuntimeCheck => ({
    runtime,
    source,
    trusts: ctx.systemTrusts,
    note,
  })

  const bundled = holds(
    rootCertificates.map((pem) => splitPemCertificates(pem)[0]).filter((d): d is Buffer => d !== undefined),
    fp,
  )
  const extra = ctx.env['NODE_EXTRA_CA_CERTS']
  if (extra) {
    out.push(
      await fileCheck('node', 'NODE_EXTRA_CA_CERTS', extra, fp, {
        holds: 'The root is in NODE_EXTRA_CA_CERTS.',
        lacks: bundled ? "Trusted through Node's bundled roots." : `Not in ${extra}; add it there.`,
        trustsAnyway: bundled,
      }),
    )
  } else {
    out.push({
      runtime: 'node',
      source: 'bundled roots',
      trusts: bundled,
      note: bundled
        ? 'A public root Node ships with.'
        : 'Node ignores the OS store: set NODE_EXTRA_CA_CERTS to a PEM file holding the root (or start node with --use-system-ca).',
    })
  }

  const pyVar = ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE'].find((v) => ctx.env[v])
  if (pyVar) {
    const file = ctx.env[pyVar] as string
    out.push(
      await fileCheck('python', pyVar, file, fp, {
        holds: `The root is in ${pyVar}.`,
        lacks: `Not in ${file}; append the root's PEM to it.`,
      }),
    )
  } else {
    const where = await ctx.runner.run(ctx.python ?? 'python3', ['-c', 'import certifi; print(certifi.where())'], {
      timeoutMs: 15_000,
      env: ctx.env,
    })
    const file = where.code === 0 ? where.stdout.trim() : ''
    if (file) {
      const lacks = 'requests uses certifi, not the OS store: set REQUESTS_CA_BUNDLE to the system bundle or a file holding the root.'
      out.push(await fileCheck('python', 'certifi', file, fp, { holds: "The root is in certifi's bundle.", lacks, unreadable: lacks }))
    } else {
      out.push(systemStore('python', 'ssl default paths', "certifi is not installed here; Python's ssl module uses the system store."))
    }
  }

  out.push({
    runtime: 'java',
    source: 'cacerts',
    trusts: ctx.javaTrusts,
    note:
      ctx.javaTrusts === null
        ? 'No JDK found (JAVA_HOME or java on PATH).'
        : ctx.javaTrusts
          ? 'The root is in cacerts.'
          : 'Java ignores the OS store: install the root into cacerts (certdesk trust install ROOT --store java).',
  })

  const gitCa = await ctx.runner.run(ctx.git ?? 'git', ['config', '--get', 'http.sslCAInfo'], { timeoutMs: 15_000, env: ctx.env })
  const gitFile = gitCa.code === 0 ? gitCa.stdout.trim() : ''
  if (gitFile) {
    const lacks = `git reads only ${gitFile}; add the root there or unset http.sslCAInfo.`
    out.push(await fileCheck('git', 'http.sslCAInfo', gitFile, fp, { holds: 'The root is in http.sslCAInfo.', lacks, unreadable: lacks }))
  } else {
    out.push(
      systemStore(
        'git',
        'system store',
        gitCa.error ? 'git is not installed.' : 'http.sslCAInfo is not set: git follows the system store.',
      ),
    )
  }
  return out
}
