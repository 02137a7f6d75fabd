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

export async function checkRuntimes(fp: Fingerprint, ctx: RuntimeContext): Promise<RuntimeCheck[]> {
  const out: RuntimeCheck[] = []

  const bundled = holds(
    rootCertificates.map((pem) => splitPemCertificates(pem)[0]).filter((d): d is Buffer => d !== undefined),
    fp,
  )
  const extra = ctx.env['NODE_EXTRA_CA_CERTS']
  if (extra) {
    const inExtra = await fileHolds(extra, fp)
    out.push({
      runtime: 'node',
      source: 'NODE_EXTRA_CA_CERTS',
      file: extra,
      trusts: bundled || inExtra,
      note:
        inExtra === null
          ? `${extra} cannot be read.`
          : inExtra
            ? 'The root is in NODE_EXTRA_CA_CERTS.'
            : bundled
              ? "Trusted through Node's bundled roots."
              : `Not in ${extra}; add it there.`,
    })
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
    const inFile = await fileHolds(file, fp)
    out.push({
      runtime: 'python',
      source: pyVar,
      file,
      trusts: inFile,
      note:
        inFile === null ? `${file} cannot be read.` : inFile ? `The root is in ${pyVar}.` : `Not in ${file}; append the root's PEM to it.`,
    })
  } else {
    const where = await ctx.runner.run(ctx.python ?? 'python3', ['-c', 'import certifi; print(certifi.where())'], {
      timeoutMs: 15_000,
      env: ctx.env,
    })
    const file = where.code === 0 ? where.stdout.trim() : ''
    if (file) {
      const inFile = await fileHolds(file, fp)
      out.push({
        runtime: 'python',
        source: 'certifi',
        file,
        trusts: inFile,
        note: inFile
          ? "The root is in certifi's bundle."
          : 'requests uses certifi, not the OS store: set REQUESTS_CA_BUNDLE to the system bundle or a file holding the root.',
      })
    } else {
      out.push({
        runtime: 'python',
        source: 'ssl default paths',
        trusts: ctx.systemTrusts,
        note: "certifi is not installed here; Python's ssl module uses the system store.",
      })
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
    const inFile = await fileHolds(gitFile, fp)
    out.push({
      runtime: 'git',
      source: 'http.sslCAInfo',
      file: gitFile,
      trusts: inFile,
      note: inFile ? 'The root is in http.sslCAInfo.' : `git reads only ${gitFile}; add the root there or unset http.sslCAInfo.`,
    })
  } else {
    out.push({
      runtime: 'git',
      source: 'system store',
      trusts: ctx.systemTrusts,
      note: gitCa.error ? 'git is not installed.' : 'http.sslCAInfo is not set: git follows the system store.',
    })
  }
  return out
}
