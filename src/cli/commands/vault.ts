/**
 * `certdesk vault list|import|export|delete|backup|restore|verify`: the app's key vault from the command line (the
 * same vault and keychain entry the Keys screen uses). Exports take the app's format names; passwords come only from
 * environment variables, a backup's passphrase from CERTDESK_BACKUP_PASSPHRASE or a no-echo prompt; an existing file
 * is never replaced without --force; a delete asks on a terminal and needs --yes anywhere else.
 */
import { AppError } from '../../shared/errors'
import { ExportFormat, PASSWORD_FORMATS } from '../../shared/contract/keys'
import type { VaultKeyRow } from '../../shared/pki-model'
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type CliIo, type Command, type CommandContext } from '../command'
import { appServices as cliServices } from '../app-services'
import { cliPath, outputPath, passwordFrom, readInputFile, required, str } from '../args'

/** Where a backup's passphrase comes from when no terminal asks for it. */
export const BACKUP_PASSPHRASE_ENV = 'CERTDESK_BACKUP_PASSPHRASE'

/** The backup passphrase: the environment variable, else asked on the terminal (twice for a new backup). */
async function backupPassphrase(ctx: CommandContext, twice: boolean): Promise<string> {
  const fromEnv = ctx.io.env[BACKUP_PASSPHRASE_ENV]
  if (fromEnv) return fromEnv
  const ask = ctx.io.secret
  if (!ask) throw new UsageError(`set ${BACKUP_PASSPHRASE_ENV} (stdin is not a terminal to ask for the backup passphrase on)`)
  const passphrase = await ask('Backup passphrase: ')
  if (twice && (await ask('The same passphrase again: ')) !== passphrase) {
    throw new UsageError('the two passphrases differ; nothing was written')
  }
  if (!passphrase) throw new UsageError('the backup passphrase is empty')
  return passphrase
}

/** The one backup file a command names. */
function backupFile(ctx: CommandContext): BackupFile {
  if (ctx.positionals.length !== 1) throw new UsageError('give exactly one backup file')
  const given = ctx.positionals[0]!
  return { path: cliPath(ctx, given), data: readInputFile(ctx, given, 'a Certdesk vault backup (.p12)') }
}

type BackupFile = { path: string; data: Buffer }

/** `vault restore` and `vault verify`: each opens one backup FILE.p12 with its passphrase (asked once), then acts on it. */
function backupReader(
  verb: string,
  summary: string,
  act: (ctx: CommandContext, file: BackupFile, passphrase: string) => Promise<number>,
): Command {
  return {
    path: ['vault', verb],
    summary,
    usage: `certdesk vault ${verb} FILE.p12 [--json]   (passphrase: prompt or ${BACKUP_PASSPHRASE_ENV})`,
    allowPositionals: true,
    run: async (ctx) => {
      const file = backupFile(ctx)
      return act(ctx, file, await backupPassphrase(ctx, false))
    },
  }
}

const names = (keys: { label: string }[]) => keys.map((k) => `"${k.label}"`).join(', ')

const FORMATS = ExportFormat.options.join('|')

/** The one key a full id or an unambiguous id prefix (at least 4 characters) names. */
function resolveKey(ctx: CommandContext): { id: string; label: string } {
  if (ctx.positionals.length !== 1) throw new UsageError('give exactly one key id (see "certdesk vault list")')
  return findVaultKey(ctx.io, ctx.positionals[0]!)
}

/** The vault key `given` names: its full id or an unambiguous prefix of at least 4 characters (`--vault-key` too). */
export function findVaultKey(io: CliIo, given: string): { id: string; label: string } {
  const wanted = given.toLowerCase()
  if (!/^[0-9a-f]{4,32}$/.test(wanted)) {
    throw new UsageError(`"${given}" is not a key id: ids are 32 hex characters (a prefix of 4 or more will do)`)
  }
  const matches = cliServices(io)
    .keys.entries()
    .filter((e) => e.id.startsWith(wanted))
  if (matches.length === 0) {
    const hint = 'List the keys with "certdesk vault list".'
    throw new AppError('bad_input', `No key in the vault has an id starting with ${wanted}.`, { hint })
  }
  if (matches.length > 1) {
    const labels = matches.map((m) => m.label).join(', ')
    const hint = 'Give more characters of the id.'
    throw new AppError('bad_input', `${matches.length} keys have ids starting with ${wanted}: ${labels}.`, { hint })
  }
  return matches[0]!
}

function certificateText(row: VaultKeyRow): string {
  const info = row.certificateInfo
  if (!info) return row.csrPem ? 'no certificate yet (CSR made)' : 'no certificate'
  const cloudflareId = row.certificate?.cloudflareId
  const where = cloudflareId ? `Cloudflare ${cloudflareId}` : info.selfSigned ? 'self-signed' : `issued by ${info.issuer}`
  return `${info.commonName}, expires ${info.notAfter.slice(0, 10)}, ${where}`
}

export const vaultCommands: Command[] = [
  {
    path: ['vault', 'list'],
    summary: 'List the private keys in the app’s vault, with their certificates (never the keys).',
    usage: 'certdesk vault list [--json]',
    run: async (ctx) => {
      const rows = await cliServices(ctx.io).keys.list()
      const human = rows.length
        ? rows.map((r) => `${r.id}  ${r.keyType.padEnd(9)}  ${r.createdAt.slice(0, 10)}  ${r.label}\n    ${certificateText(r)}`).join('\n')
        : 'The vault holds no keys yet. Keys made in the app (new certificates, roots) are kept there.'
      // --json: everything the Keys screen sees except the CSR and certificate bodies, which `vault export` writes.
      const json = rows.map(({ csrPem, certificate, ...r }) => ({
        ...r,
        hasCsr: csrPem !== undefined,
        ...(certificate
          ? { certificate: { sha256: certificate.sha256, cloudflareId: certificate.cloudflareId, zoneId: certificate.zoneId } }
          : {}),
      }))
      ctx.print(human, json)
      return EXIT_OK
    },
  },
  {
    path: ['vault', 'import'],
    summary: 'Put a private key file (PEM or DER, with its certificate optionally) into the vault under a label.',
    usage: 'certdesk vault import KEY-FILE --label LABEL [--cert CERT.pem] [--password-env VAR] [--json]',
    allowPositionals: true,
    options: { label: { type: 'string' }, cert: { type: 'string' }, 'password-env': { type: 'string' } },
    run: async (ctx) => {
      if (ctx.positionals.length !== 1) throw new UsageError('give exactly one key file')
      const label = required(ctx, 'label')
      const data = readInputFile(ctx, ctx.positionals[0]!, 'a PEM or DER private key')
      const text = data.toString('latin1')
      const cert = str(ctx, 'cert')
      const { key, existing } = await cliServices(ctx.io).keys.importKey({
        key: text.includes('-----BEGIN') ? text : new Uint8Array(data),
        password: passwordFrom(ctx, 'password-env'),
        ...(cert ? { certificatePem: readInputFile(ctx, cert, 'the PEM certificate of this key').toString('utf8') } : {}),
        label,
      })
      const human = existing
        ? `The vault holds this key already, as "${key.label}" (${key.id}); nothing was added.`
        : `Imported "${key.label}" (${key.id}, ${key.keyType})${key.certificate ? ' with its certificate' : ''} into the vault.`
      ctx.print(human, { id: key.id, label: key.label, keyType: key.keyType, existing, hasCertificate: key.certificate !== undefined })
      return EXIT_OK
    },
  },
  {
    path: ['vault', 'backup'],
    summary: 'Write every vault key with its certificate into one encrypted PKCS#12 file (openssl opens it).',
    usage: `certdesk vault backup --out FILE.p12 [--force] [--json]   (passphrase: prompt or ${BACKUP_PASSPHRASE_ENV})`,
    options: { out: { type: 'string' }, force: { type: 'boolean' } },
    run: async (ctx) => {
      const out = outputPath(ctx, 'out')
      const passphrase = await backupPassphrase(ctx, true)
      const { savedTo, keys } = await cliServices(ctx.io).backups.backup(passphrase, async () => out)
      ctx.print(`Backed up ${keys} key(s) to ${savedTo} (mode 0600). Open it with: openssl pkcs12 -in ${savedTo} -info -nodes`, {
        out: savedTo,
        keys,
      })
      return EXIT_OK
    },
  },
  backupReader(
    'restore',
    'Add the keys of a backup to this vault; an id held here by a different key is kept (exit 1).',
    async (ctx, file, passphrase) => {
      const result = await cliServices(ctx.io).backups.restore(file.data, passphrase, file.path)
      const lines = [
        `Restored ${result.restored.length} key(s)${result.restored.length ? `: ${names(result.restored)}` : ''}.`,
        ...(result.alreadyHere.length ? [`${result.alreadyHere.length} key(s) were here already (the same key): unchanged.`] : []),
        ...result.conflicts.map(
          (c) => `Not restored: "${c.label}" (${c.id}): that id is held here by a different key, "${c.keptLabel}", which was kept.`,
        ),
      ]
      ctx.print(lines.join('\n'), result)
      return result.conflicts.length ? EXIT_CHECK_FAILED : EXIT_OK
    },
  ),
  backupReader(
    'verify',
    'Check a backup opens and holds every key of this vault (exit 1 when some are missing from it).',
    async (ctx, file, passphrase) => {
      const result = await cliServices(ctx.io).backups.verify(file.data, passphrase)
      const ok = !result.missing.length && !result.different.length
      const lines = [
        `${file.path} opens: ${result.keys} key(s), written ${result.createdAt.slice(0, 16).replace('T', ' ')} UTC.`,
        ok ? 'Every key of this vault is in it.' : `Not in it: ${names([...result.missing, ...result.different])}.`,
        ...(result.different.length ? [`Held as a different key under the same id: ${names(result.different)}.`] : []),
        ...(result.extra.length ? [`In it but not in this vault: ${names(result.extra)}.`] : []),
      ]
      ctx.print(lines.join('\n'), { ok, ...result })
      return ok ? EXIT_OK : EXIT_CHECK_FAILED
    },
  ),
  {
    path: ['vault', 'export'],
    summary: 'Write a vault key’s certificate, key or PKCS#12 (with the vault CA chain) to a file.',
    usage: `certdesk vault export ID --format ${FORMATS} --out FILE [--password-env VAR] [--force] [--json]`,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, 'password-env': { type: 'string' }, force: { type: 'boolean' } },
    run: async (ctx) => {
      const parsed = ExportFormat.safeParse(str(ctx, 'format'))
      if (!parsed.success) {
        const given = str(ctx, 'format')
        throw new UsageError(
          given === undefined ? `--format is required: ${FORMATS}` : `unknown format "${given}"; choose one of ${FORMATS}`,
        )
      }
      const format = parsed.data
      const password = passwordFrom(ctx, 'password-env')
      if (PASSWORD_FORMATS.has(format) && password === undefined) {
        throw new UsageError(`--format ${format} needs --password-env VAR (the password is read from that environment variable)`)
      }
      if (!PASSWORD_FORMATS.has(format) && password !== undefined) {
        throw new UsageError(`--format ${format} is not encrypted; drop --password-env (or use key-pkcs8-encrypted / pkcs12)`)
      }
      if (password !== undefined && password.length < 8) {
        throw new UsageError(`the password in ${str(ctx, 'password-env')} has ${password.length} characters; use at least 8`)
      }
      const key = resolveKey(ctx)
      const out = outputPath(ctx, 'out')
      const { rendered, spec } = await cliServices(ctx.io).keys.export(key.id, format, password, async () => out)
      if (format === 'key-pem-unencrypted') {
        const warning = `holds the private key of "${key.label}" UNENCRYPTED; anyone who can read it can use the certificate`
        ctx.io.stderr(`warning: ${out} ${warning}.\n`)
      }
      const chain = rendered.chainLength ? `, with ${rendered.chainLength} CA certificate(s) from the vault` : ''
      ctx.print(`Wrote ${spec.filter} of "${key.label}" to ${out}${chain}${spec.holdsKey ? ' (mode 0600)' : ''}.`, {
        out,
        id: key.id,
        label: key.label,
        format,
        chainCertificates: rendered.chainLength,
      })
      return EXIT_OK
    },
  },
  {
    path: ['vault', 'delete'],
    summary: 'Delete a key from the vault (its file is overwritten first); asks first, or needs --yes.',
    usage: 'certdesk vault delete ID [--yes] [--json]',
    allowPositionals: true,
    options: { yes: { type: 'boolean' } },
    run: async (ctx) => {
      const key = resolveKey(ctx)
      const yes = ctx.values['yes'] === true
      const ask = ctx.io.confirm
      if (!yes && !ask) {
        throw new UsageError(`deleting "${key.label}" cannot be undone; pass --yes to confirm (stdin is not a terminal to ask on)`)
      }
      const question = `Delete the private key "${key.label}" (${key.id})? This cannot be undone.`
      const { deleted } = await cliServices(ctx.io).keys.delete(key.id, async () => yes || ask!(question))
      if (!deleted) {
        ctx.print(`Kept "${key.label}".`, { deleted: false, id: key.id, label: key.label })
        return EXIT_CHECK_FAILED
      }
      ctx.print(`Deleted the key "${key.label}" (${key.id}).`, { deleted: true, id: key.id, label: key.label })
      return EXIT_OK
    },
  },
]
