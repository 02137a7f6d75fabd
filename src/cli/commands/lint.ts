/** `certdesk lint` and `certdesk inspect`: the lint engine and inspector over files. */
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Command } from '../command'
import { flag, int, oneOf, positional, str, stringOptions, time } from '../args'
import { AppError } from '../../shared/errors'
import { LINT_PROFILES } from '../../shared/constants'
import type { CertificateDetails, ChainReport, LintFinding, LintReport } from '../../shared/lint-model'
// The lint pass loads only the lean DER reader and its rules: no zod, and the rich view's libraries
// (@peculiar/x509, pkijs) only for `inspect`; node:crypto only for a chain (tests/cli/one-shot-load, lint-load).
import { lintCertificate } from '../../main/lint/engine'
import { readCertificateFile } from '../../main/lint/input'
import type { LintChainOptions } from '../../main/lint/chain'
import type { PeerName } from '../../main/lint/path/peer-name'

const PROFILE_LIST = LINT_PROFILES.join('|')

function findingLines(findings: LintFinding[], indent = ''): string[] {
  return findings.flatMap((f) => [
    `${indent}${f.severity.toUpperCase().padEnd(7)} ${f.ruleId} — ${f.title}`,
    `${indent}        ${f.message}`,
    `${indent}        fix: ${f.fix}`,
    `${indent}        (${f.source})`,
  ])
}

const countsLine = (c: LintReport['counts']): string => `${c.error} error(s), ${c.warning} warning(s), ${c.notice} notice(s)`

function humanReport(file: string, report: LintReport): string {
  const head = `${file}: profile ${report.profile}${report.reason ? ` (auto: ${report.reason})` : ''}`
  const body = report.findings.length ? findingLines(report.findings) : ['  no findings']
  return [head, ...body, `${report.passed ? 'PASS' : 'FAIL'}: ${countsLine(report.counts)}`].join('\n')
}

function humanChain(file: string, report: ChainReport): string {
  const lines = [`${file}: chain of ${report.certificates.length} (${report.order}), profile ${report.profile}`]
  for (const c of report.certificates) {
    lines.push(
      `[${c.index + 1}] ${c.subject} — ${c.report.profile}`,
      ...(c.report.findings.length ? findingLines(c.report.findings, '    ') : ['    no findings']),
    )
  }
  if (report.chainFindings.length) lines.push('chain:', ...findingLines(report.chainFindings, '    '))
  lines.push(`${report.passed ? 'PASS' : 'FAIL'}: ${countsLine(report.counts)}`)
  return lines.join('\n')
}

function humanDetails(d: CertificateDetails): string {
  const key = [d.publicKey.algorithm, d.publicKey.bits ? `${d.publicKey.bits}-bit` : '', d.publicKey.curve ?? ''].filter(Boolean).join(' ')
  const lines = [
    `Subject:      ${d.subject.text || '(empty)'}`,
    `Issuer:       ${d.issuer.text || '(empty)'}`,
    `Serial:       ${d.serialNumberHex}`,
    `Version:      v${d.version}`,
    `Valid:        ${d.notBefore} → ${d.notAfter}`,
    `Key:          ${key}`,
    `Signature:    ${d.signatureAlgorithm.name}`,
    `CA:           ${d.isCa ? 'yes' : 'no'}${d.selfSigned ? ' (self-signed)' : ''}`,
    'Extensions:',
    ...d.extensions.flatMap((e) => [
      `  ${e.name}${e.critical ? ' (critical)' : ''}${e.known ? '' : ` [${e.oid}]`}`,
      ...(e.summary.length ? e.summary : [e.error ?? `hex ${e.valueHex}`]).map((s) => `      ${s}`),
    ]),
    'Fingerprints:',
    `  SHA-256 (Cloudflare): ${d.fingerprints.cloudflareSha256}`,
    `  SHA-256 (macOS):      ${d.fingerprints.macosSha256}`,
    `  SHA-1 (Windows):      ${d.fingerprints.windowsThumbprint}`,
    `  ${d.fingerprints.cloudflareMd5}`,
  ]
  return lines.join('\n')
}

/** --hostname / --ip: the peer the leaf must name. */
async function peerFlag(hostname: string | undefined, ip: string | undefined): Promise<PeerName | undefined> {
  if (hostname !== undefined && ip !== undefined) throw new UsageError('give --hostname or --ip, not both')
  if (hostname === undefined && ip === undefined) return undefined
  const { parsePeer } = await import('../../main/lint/path/peer-name')
  const peer = hostname !== undefined ? parsePeer(hostname, 'hostname') : parsePeer(ip!, 'ip')
  if (!peer)
    throw new UsageError(
      hostname !== undefined ? `--hostname "${hostname}" is not a host name` : `--ip "${ip}" is not an IPv4 or IPv6 address`,
    )
  return peer
}

/** --trust FILE / --system: the certificates a path must end at (undefined: the file's own top). */
async function anchorsFlag(trustPath: string | undefined, system: boolean): Promise<Pick<LintChainOptions, 'anchors' | 'anchorsName'>> {
  if (trustPath !== undefined && system) throw new UsageError('give --trust FILE or --system, not both')
  if (system) {
    const { systemTrustAnchors } = await import('../../main/lint/anchors')
    return { anchors: systemTrustAnchors(), anchorsName: "this machine's trusted roots" }
  }
  if (trustPath === undefined) return {}
  const trust = await readCertificateFile(trustPath)
  if (trust.certificates.length === 0)
    throw new AppError('bad_input', `${trustPath} is ${trust.description}; --trust needs the trusted CA certificate(s).`, {
      hint: 'Pass a PEM file of root (or intermediate) CA certificates, e.g. --trust root.pem.',
    })
  return { anchors: trust.certificates, anchorsName: trustPath }
}

export const lintCommands: Command[] = [
  {
    path: ['lint'],
    summary: 'Check a certificate or chain against RFC 5280 and Cloudflare/Python strict profiles.',
    usage:
      `certdesk lint FILE [--profile ${PROFILE_LIST}] [--issuer CA.pem] [--expiring-days N] ` +
      '[--at RFC3339|now] [--purpose client|server] [--hostname H|--ip A] [--trust FILE|--system] [--json]',
    allowPositionals: true,
    options: {
      profile: { type: 'string', default: 'auto' },
      ...stringOptions('issuer', 'expiring-days', 'at', 'purpose', 'hostname', 'ip', 'trust'),
      system: { type: 'boolean' },
    },
    run: async (ctx) => {
      const file = positional(ctx, 'certificate file')
      const profile = oneOf(ctx, 'profile', LINT_PROFILES) ?? 'auto'
      const expiringDays = int(ctx, 'expiring-days', { min: 0, max: 3650 })
      const issuerPath = str(ctx, 'issuer')
      const at = time(ctx, 'at')
      const purpose = str(ctx, 'purpose')
      if (purpose !== undefined && purpose !== 'client' && purpose !== 'server')
        throw new UsageError(`--purpose must be client or server, not "${purpose}"`)
      const peer = await peerFlag(str(ctx, 'hostname'), str(ctx, 'ip'))
      const trust = await anchorsFlag(str(ctx, 'trust'), flag(ctx, 'system'))
      // Validating a path (for a purpose, a peer, against trusted roots) takes the chain route even for one certificate.
      const validate = purpose !== undefined || peer !== undefined || trust.anchors !== undefined
      if (validate && issuerPath !== undefined)
        throw new UsageError('--issuer is for a lone certificate; use --trust CA.pem to validate a path')
      const input = await readCertificateFile(file)
      if (input.certificates.length === 0) {
        throw new AppError('bad_input', `${file} is ${input.description}, not a certificate.`, {
          hint: 'Lint certificates (PEM, DER or PKCS#7); `certdesk inspect FILE` describes other files.',
        })
      }
      const common = { profile, ...(expiringDays === undefined ? {} : { expiringDays }), ...(at ? { now: at } : {}) }
      if (input.certificates.length === 1 && !validate) {
        let issuer: Uint8Array | undefined
        if (issuerPath !== undefined) {
          const issuerFile = await readCertificateFile(issuerPath)
          issuer = issuerFile.certificates[0]
          if (!issuer)
            throw new AppError('bad_input', `${issuerPath} is ${issuerFile.description}, not a CA certificate.`, {
              hint: 'Pass the issuing CA certificate with --issuer.',
            })
        }
        const report = lintCertificate(input.certificates[0]!, { ...common, ...(issuer ? { issuer } : {}) })
        ctx.print(humanReport(file, report), { file, kind: input.kind, ...report })
        return report.passed ? EXIT_OK : EXIT_CHECK_FAILED
      }
      if (issuerPath !== undefined) throw new UsageError('--issuer applies to a single certificate; a chain file carries its issuers')
      const { lintChain } = await import('../../main/lint/chain')
      const report = lintChain(input.certificates, {
        ...common,
        ...(purpose ? { purpose } : {}),
        ...(peer ? { peer } : {}),
        ...trust,
      })
      ctx.print(humanChain(file, report), { file, kind: input.kind, ...report })
      return report.passed ? EXIT_OK : EXIT_CHECK_FAILED
    },
  },
  {
    path: ['lint', 'rules'],
    summary: 'List every lint rule with its severity, source and fix.',
    usage: 'certdesk lint rules [--json]',
    run: async ({ print }) => {
      const rules = (await import('../../main/lint/catalog')).listRules()
      print(rules.map((r) => `${r.severity.padEnd(7)} ${r.id} — ${r.title} (${r.source})`).join('\n'), rules)
      return EXIT_OK
    },
  },
  {
    path: ['inspect'],
    summary: 'Decode a certificate or chain (PEM, DER, PKCS#7), or say what a CSR/key/PKCS#12 file is.',
    usage: 'certdesk inspect FILE [--json]',
    allowPositionals: true,
    run: async (ctx) => {
      const file = positional(ctx, 'file')
      const input = await readCertificateFile(file)
      const { inspectCertificate } = await import('../../main/lint/inspect')
      const certificates = input.certificates.map((der) => inspectCertificate(der))
      const human = [
        `${file}: ${input.description}`,
        ...certificates.map((d, i) => `${certificates.length > 1 ? `\n[${i + 1}]\n` : ''}${humanDetails(d)}`),
      ].join('\n')
      ctx.print(human, { kind: input.kind, description: input.description, certificates })
      if (input.kind === 'unknown') return EXIT_USAGE
      return EXIT_OK
    },
  },
]
