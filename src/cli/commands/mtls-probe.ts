/**
 * `certdesk cf mtls probe URL`: Test access from the command line — a real HTTPS request presenting a client
 * certificate (files, or a vault key), and one without, each reported allowed or blocked with the reason.
 * Exit 0 when the outcome is the one `--expect` names (or when nothing is expected), 1 when not or when no
 * answer came, 2 on bad input. The key is read into memory and handed to TLS; it is never written or printed.
 */
import { AppError } from '../../shared/errors'
import { ProbeOutcome, type ProbeAttempt, type ProbeResult } from '../../shared/probe-model'
import type { ProbeOptions } from '../../main/enforcement/probe'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { readPemFile, str, stringOptions } from '../args'

export const MTLS_PROBE_USAGE = [
  'certdesk cf mtls probe URL [--cert FILE --key FILE | --vault-key ID] [--no-cert] [--resolve HOST:PORT:ADDR]',
  '                           [--ca EDGE_CA_FILE] [--expect allowed|blocked] [--timeout SECONDS] [--json]',
].join('\n')

function readText(ctx: CommandContext, option: string, what: string): string | undefined {
  const file = str(ctx, option)
  return file === undefined ? undefined : readPemFile(ctx, file, `${what} (--${option})`)
}

/** The certificate and key of a vault key named by its id or an unambiguous prefix of at least 4 characters. */
async function vaultClient(ctx: CommandContext, wanted: string): Promise<{ certificatePem: string; keyPem: string }> {
  // The vault and its composition root are loaded only when a vault key is asked for (not for every cf command).
  const [{ appServices }, { findVaultKey }] = await Promise.all([import('../app-services'), import('./vault')])
  const { vault } = appServices(ctx.io)
  const entry = vault.get(findVaultKey(ctx.io, wanted).id)
  if (!entry.certificate)
    throw new AppError('bad_input', `The vault key "${entry.label}" has no certificate yet, so there is nothing to present.`, {
      hint: 'Issue its certificate first (certdesk cf client-certs create), or give --cert and --key files.',
    })
  return { certificatePem: entry.certificate.pem, keyPem: await vault.exportPkcs8(entry.id) }
}

function attemptLines(attempt: ProbeAttempt): string[] {
  const tls = attempt.tls
  const server = tls.serverCertificate
  const facts = [
    tls.protocol ?? 'handshake refused',
    `client certificate asked for: ${tls.clientCertificateRequested ? 'yes' : 'no'}`,
    ...(attempt.withCertificate ? [`sent: ${tls.clientCertificateSent ? 'yes' : 'no'}`] : []),
    ...(server ? [`server: ${server.subject}, issued by ${server.issuer}`] : []),
    ...(tls.chainedToGivenCa === null ? [] : [`chains to --ca: ${tls.chainedToGivenCa ? 'yes' : 'no'}`]),
  ]
  return [`- ${attempt.verdict}`, `  ${facts.join('; ')}`]
}

export function probeText(result: ProbeResult): string {
  return [result.verdict, ...result.attempts.flatMap(attemptLines)].join('\n')
}

/** The options `probeOptions` reads, shared by every probe command (each adds its own). */
export const PROBE_OPTIONS = stringOptions('cert', 'key', 'vault-key', 'resolve', 'ca', 'expect', 'timeout')

/** The URL, client certificate, resolve entry, CA and timeout of a probe, as the options give them (bad input: exit 2). */
export async function probeOptions(ctx: CommandContext): Promise<Omit<ProbeOptions, 'expect'>> {
  const [url, ...extra] = ctx.positionals
  if (!url || extra.length) throw new UsageError('give exactly one URL, e.g. https://api.example.com/')
  const vaultKey = str(ctx, 'vault-key')
  const [certFile, keyFile] = [str(ctx, 'cert'), str(ctx, 'key')]
  const noCert = ctx.values['no-cert'] === true
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--cert and --key go together: give both files')
  if (vaultKey !== undefined && certFile !== undefined) throw new UsageError('give either --cert/--key or --vault-key, not both')
  if (noCert && (vaultKey !== undefined || certFile !== undefined))
    throw new UsageError('--no-cert sends only the request without a certificate: drop --cert/--key/--vault-key, or --no-cert')
  const timeoutText = str(ctx, 'timeout')
  if (timeoutText !== undefined && !/^\d+(\.\d+)?$/.test(timeoutText))
    throw new UsageError(`--timeout takes seconds, e.g. 10, not "${timeoutText}"`)
  const timeoutMs = timeoutText === undefined ? undefined : Number(timeoutText) * 1000
  if (timeoutMs !== undefined && timeoutMs <= 0) throw new UsageError('--timeout must be more than 0 seconds')

  const caPem = readText(ctx, 'ca', 'the CA that issued the server certificate (for the Sandbox: the Edge CA file)')
  const client =
    vaultKey !== undefined
      ? await vaultClient(ctx, vaultKey)
      : certFile !== undefined
        ? { certificatePem: readText(ctx, 'cert', 'the client certificate')!, keyPem: readText(ctx, 'key', 'its private key')! }
        : undefined
  return {
    url,
    ...(client ? { client } : {}),
    ...(str(ctx, 'resolve') === undefined ? {} : { resolve: str(ctx, 'resolve') }),
    ...(caPem === undefined ? {} : { caPem }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  }
}

export const mtlsProbeCommand: Command = {
  path: ['cf', 'mtls', 'probe'],
  summary: 'Test access: a real HTTPS request with a client certificate and without one; allowed or blocked, and why.',
  usage: MTLS_PROBE_USAGE,
  allowPositionals: true,
  options: { ...PROBE_OPTIONS, 'no-cert': { type: 'boolean' } },
  run: async (ctx) => {
    const expectText = str(ctx, 'expect')
    const expected = expectText === undefined ? undefined : ProbeOutcome.safeParse(expectText)
    if (expected && !expected.success) throw new UsageError(`--expect takes allowed or blocked, not "${expectText}"`)
    const options = await probeOptions(ctx)
    const { probe } = await import('../../main/enforcement/probe')
    const result = await probe({ ...options, ...(expected?.success ? { expect: expected.data } : {}) })
    ctx.print(probeText(result), result)
    return result.pass === false ? EXIT_CHECK_FAILED : EXIT_OK
  },
}
