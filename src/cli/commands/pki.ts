/**
 * `certdesk key|csr|ca|p12 …`: the PKI engine from the command line — keys, CSRs for Cloudflare,
 * private CAs, signing, and PKCS#12 export. Private keys are written 0600 (optionally encrypted);
 * passwords come only from environment variables (never argv, which `ps` shows). An existing output
 * file is never replaced without --force, so a key cannot be lost to a typo.
 */
import { AppError } from '../../shared/errors'
import { KEY_TYPES, SIGN_PROFILES, type KeyType, type SignProfile } from '../../shared/pki-model'
import { EXIT_OK, UsageError, type Command, type CommandContext } from '../command'
import { outputPath, passwordFrom, readInputFile, repeated, required, str } from '../args'

const TYPE_LIST = KEY_TYPES.join('|')

async function pki() {
  // Loaded on demand: other commands never pay for @peculiar/x509 and pkijs.
  const [material, storage] = await Promise.all([import('../../main/keys/material'), import('../../main/storage/json-file')])
  return { ...material, writeFileAtomic: storage.writeFileAtomic }
}

function keyType(value: string | undefined, fallback: KeyType): KeyType {
  if (value === undefined) return fallback
  if (!(KEY_TYPES as readonly string[]).includes(value)) throw new UsageError(`unknown key type "${value}"; choose one of ${TYPE_LIST}`)
  return value as KeyType
}

function intOption(ctx: CommandContext, name: string, fallback?: number): number | undefined {
  const v = str(ctx, name)
  if (v === undefined) return fallback
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not "${v}"`)
  return Number(v)
}

async function loadKey(ctx: CommandContext, option: string, passwordOption: string) {
  const p = await pki()
  const file = required(ctx, option)
  const data = readInputFile(ctx, file, 'a PEM or DER private key')
  const text = data.toString('latin1')
  const input = text.includes('-----BEGIN') ? text : new Uint8Array(data)
  return p.readKeyPair(input, passwordFrom(ctx, passwordOption))
}

async function writeKey(ctx: CommandContext, out: string, privateKey: CryptoKeyLike): Promise<boolean> {
  const p = await pki()
  const encrypt = ctx.values['encrypt'] === true
  const password = passwordFrom(ctx, 'password-env')
  if (encrypt && password === undefined)
    throw new UsageError('--encrypt needs --password-env VAR (the password is read from that environment variable)')
  if (!encrypt && password !== undefined) throw new UsageError('--password-env without --encrypt: add --encrypt to write an encrypted key')
  p.writeFileAtomic(out, await p.privateKeyPem(privateKey, encrypt ? password : undefined), 0o600)
  return encrypt
}
type CryptoKeyLike = Parameters<Awaited<ReturnType<typeof pki>>['privateKeyPem']>[0]

/** Runs `work` with the key material, then stops the RSA key workers so the command can exit. */
async function generating<T>(work: (p: Awaited<ReturnType<typeof pki>>) => Promise<T>): Promise<T> {
  const p = await pki()
  try {
    return await work(p)
  } finally {
    await p.shutdownKeyPool()
  }
}

/** `ca new --vault`: the root's key is kept in the app's vault (no key file); the certificate too, and in --out-cert. */
async function newVaultCa(ctx: CommandContext): Promise<number> {
  for (const flag of ['out-key', 'encrypt', 'password-env']) {
    if (ctx.values[flag] !== undefined) throw new UsageError(`--${flag} does not go with --vault: the key stays in the vault, no key file`)
  }
  const outCert = str(ctx, 'out-cert') === undefined ? undefined : outputPath(ctx, 'out-cert')
  const type = keyType(str(ctx, 'type'), 'rsa-2048')
  const o = str(ctx, 'o')
  const pathLen = intOption(ctx, 'path-len')
  const request = {
    cn: required(ctx, 'cn'),
    ...(o ? { o } : {}),
    keyType: type,
    days: intOption(ctx, 'days', 3650)!,
    permittedDns: repeated(ctx, 'permit-dns'),
    ...(pathLen === undefined ? {} : { pathLen }),
  }
  const { appServices } = await import('../app-services')
  const { key, certificatePem } = await generating(() => appServices(ctx.io).keys.newRoot(request))
  if (outCert) (await pki()).writeFileAtomic(outCert, certificatePem, 0o644)
  const where = outCert ? ` Wrote its certificate to ${outCert}.` : ''
  ctx.print(`Created root CA "${key.label}" (${key.id}, ${type}); its key is in the vault, not in a file.${where}`, {
    id: key.id,
    label: key.label,
    keyType: type,
    ...(outCert ? { certificate: outCert } : {}),
    certificatePem,
  })
  return EXIT_OK
}

/** `ca renew --vault-key ID`: the vault CA's certificate again with the same key, linked in place of the old one. */
async function renewVaultCa(ctx: CommandContext): Promise<number> {
  const days = intOption(ctx, 'days')
  const outCert = str(ctx, 'out-cert') === undefined ? undefined : outputPath(ctx, 'out-cert')
  const [{ appServices }, { findVaultKey }] = await Promise.all([import('../app-services'), import('./vault')])
  const { id } = findVaultKey(ctx.io, required(ctx, 'vault-key'))
  const renewed = await appServices(ctx.io).keys.reissueCa({ keyId: id, ...(days === undefined ? {} : { days }) })
  if (outCert) (await pki()).writeFileAtomic(outCert, renewed.certificatePem, 0o644)
  const where = outCert ? ` Wrote it to ${outCert}.` : ''
  ctx.print(
    `Re-issued the CA certificate of "${renewed.key.label}" with the same key: serial ${renewed.serialNumber}, valid until ` +
      `${renewed.notAfter}; certificates it issued stay valid.${where}`,
    {
      id: renewed.key.id,
      label: renewed.key.label,
      serialNumber: renewed.serialNumber,
      notAfter: renewed.notAfter,
      previous: renewed.previous,
      ...(outCert ? { certificate: outCert } : {}),
      certificatePem: renewed.certificatePem,
    },
  )
  return EXIT_OK
}

type Options = NonNullable<Command['options']>

/** A command's flags: string values, repeatable string values, and switches; every command here takes --force. */
function flags(strings: string[], more: { lists?: string[]; switches?: string[] } = {}): Options {
  const options: Options = { force: { type: 'boolean' } }
  for (const name of strings) options[name] = { type: 'string' }
  for (const name of more.lists ?? []) options[name] = { type: 'string', multiple: true }
  for (const name of more.switches ?? []) options[name] = { type: 'boolean' }
  return options
}

export const pkiCommands: Command[] = [
  {
    path: ['key', 'new'],
    summary: 'Generate a private key (RSA in a worker pool, ECDSA in-process), written 0600.',
    usage: `certdesk key new --type ${TYPE_LIST} --out KEY.pem [--encrypt --password-env VAR] [--force] [--json]`,
    options: flags(['type', 'out', 'password-env'], { switches: ['encrypt'] }),
    run: async (ctx) => {
      const type = keyType(required(ctx, 'type'), 'ec-p256')
      const out = outputPath(ctx, 'out')
      const encrypted = await generating(async (p) => writeKey(ctx, out, (await p.generateKey(type)).privateKey))
      ctx.print(`Wrote ${encrypted ? 'an encrypted ' : 'a '}${type} private key to ${out} (mode 0600).`, { out, keyType: type, encrypted })
      return EXIT_OK
    },
  },
  {
    path: ['csr', 'new'],
    summary: 'Make a certificate signing request (e.g. for Cloudflare client certificates).',
    usage:
      'certdesk csr new --key KEY.pem --cn NAME [--o ORG --ou UNIT --c CC --st STATE --l CITY --email ADDR] ' +
      '[--san DNS:x|IP:x|URI:x|email:x]... [--key-password-env VAR] --out CSR.pem [--force] [--json]',
    options: flags(['key', 'cn', 'o', 'ou', 'c', 'st', 'l', 'email', 'key-password-env', 'out'], { lists: ['san'] }),
    run: async (ctx) => {
      const out = outputPath(ctx, 'out')
      const keys = await loadKey(ctx, 'key', 'key-password-env')
      const p = await pki()
      const subject = {
        cn: required(ctx, 'cn'),
        ...Object.fromEntries(['o', 'ou', 'c', 'st', 'l', 'email'].flatMap((k) => (str(ctx, k) === undefined ? [] : [[k, str(ctx, k)!]]))),
      }
      const sans = repeated(ctx, 'san').map((s) => p.parseSan(s))
      const csr = await p.newCsr({ keys, subject, sans })
      p.writeFileAtomic(out, csr.pem, 0o644)
      ctx.print(`Wrote a CSR for CN=${subject.cn}${sans.length ? ` with ${sans.length} SAN(s)` : ''} to ${out}.`, {
        out,
        keyType: keys.type,
        subject: p.validateSubject(subject),
        sans,
        csr: csr.pem,
      })
      return EXIT_OK
    },
  },
  {
    path: ['ca', 'new'],
    summary: 'Create a root CA that passes strict verification and Gateway BYOPKI upload.',
    usage:
      `certdesk ca new --cn NAME [--o ORG] [--type ${TYPE_LIST}] [--days N] [--path-len N] [--permit-dns DOMAIN]... ` +
      '(--out-cert CA.pem --out-key CA-KEY.pem [--encrypt --password-env VAR] | --vault [--out-cert CA.pem]) [--force] [--json]',
    options: flags(['cn', 'o', 'type', 'days', 'path-len', 'out-cert', 'out-key', 'password-env'], {
      lists: ['permit-dns'],
      switches: ['encrypt', 'vault'],
    }),
    run: async (ctx) => {
      if (ctx.values['vault'] === true) return newVaultCa(ctx)
      const outCert = outputPath(ctx, 'out-cert')
      const outKey = outputPath(ctx, 'out-key')
      if (outCert === outKey) throw new UsageError('--out-cert and --out-key must be different files')
      // RSA-2048 by default: Gateway accepts only RSA roots (Cloudflare docs: Deploy a custom (BYOPKI) root certificate).
      const type = keyType(str(ctx, 'type'), 'rsa-2048')
      const pathLen = intOption(ctx, 'path-len')
      const permittedDns = repeated(ctx, 'permit-dns')
      const { encrypted, certificatePem } = await generating(async (p) => {
        const created = await p.createRootCa({
          cn: required(ctx, 'cn'),
          ...(str(ctx, 'o') ? { o: str(ctx, 'o')! } : {}),
          keyType: type,
          days: intOption(ctx, 'days', 3650)!,
          ...(pathLen === undefined ? {} : { pathLen }),
          ...(permittedDns.length ? { permittedDns } : {}),
        })
        // Key first: a certificate without its key is useless, the reverse can be re-issued.
        const encrypted = await writeKey(ctx, outKey, created.privateKey)
        p.writeFileAtomic(outCert, created.certificatePem, 0o644)
        return { encrypted, certificatePem: created.certificatePem }
      })
      ctx.print(`Wrote root CA certificate ${outCert} and its ${encrypted ? 'encrypted ' : ''}${type} key ${outKey} (mode 0600).`, {
        certificate: outCert,
        key: outKey,
        keyType: type,
        encrypted,
        certificatePem,
      })
      return EXIT_OK
    },
  },
  {
    path: ['ca', 'renew'],
    summary: 'Re-issue a vault CA’s certificate with the same key, so every certificate it issued stays valid.',
    usage: 'certdesk ca renew --vault-key ID [--days N] [--out-cert CA.pem] [--force] [--json]',
    options: flags(['vault-key', 'days', 'out-cert']),
    run: renewVaultCa,
  },
  {
    path: ['ca', 'sign'],
    summary: 'Sign a CSR with a CA as a client, server or intermediate-CA certificate.',
    usage:
      'certdesk ca sign --ca CA.pem --ca-key CA-KEY.pem [--ca-password-env VAR] --csr CSR.pem ' +
      `--profile ${SIGN_PROFILES.join('|')} --days N --out CERT.pem [--force] [--json]`,
    options: flags(['ca', 'ca-key', 'ca-password-env', 'csr', 'profile', 'days', 'out']),
    run: async (ctx) => {
      const profile = required(ctx, 'profile')
      if (!(SIGN_PROFILES as readonly string[]).includes(profile))
        throw new UsageError(`unknown profile "${profile}"; choose one of ${SIGN_PROFILES.join('|')}`)
      const days = intOption(ctx, 'days')
      if (days === undefined) throw new UsageError('--days is required')
      const out = outputPath(ctx, 'out')
      const caCertPem = readInputFile(ctx, required(ctx, 'ca'), 'the CA certificate (PEM)').toString('utf8')
      const csrPem = readInputFile(ctx, required(ctx, 'csr'), 'the CSR (PEM)').toString('utf8')
      const caKey = await loadKey(ctx, 'ca-key', 'ca-password-env')
      const p = await pki()
      const signed = await p.signCsr({ caCertPem, caKey: caKey.privateKey, csrPem, profile: profile as SignProfile, days })
      p.writeFileAtomic(out, signed.certificatePem, 0o644)
      ctx.print(`Wrote a ${profile} certificate to ${out} (serial ${signed.serialNumber}, valid until ${signed.notAfter}).`, {
        out,
        profile,
        serialNumber: signed.serialNumber,
        notBefore: signed.notBefore,
        notAfter: signed.notAfter,
        certificatePem: signed.certificatePem,
      })
      return EXIT_OK
    },
  },
  {
    path: ['p12', 'export'],
    summary: 'Bundle a certificate, its key and chain into a password-protected PKCS#12 (.p12/.pfx).',
    usage:
      'certdesk p12 export --cert CERT.pem --key KEY.pem [--key-password-env VAR] [--chain CA.pem]... ' +
      '--password-env VAR --out FILE.p12 [--legacy] [--name NAME] [--force] [--json]',
    options: flags(['cert', 'key', 'key-password-env', 'password-env', 'out', 'name'], { lists: ['chain'], switches: ['legacy'] }),
    run: async (ctx) => {
      const password = passwordFrom(ctx, 'password-env')
      if (password === undefined)
        throw new UsageError('--password-env VAR is required (the .p12 password is read from that environment variable)')
      const out = outputPath(ctx, 'out')
      const p = await pki()
      const certBlocks = p.certificateDers(readInputFile(ctx, required(ctx, 'cert'), 'the certificate (PEM)').toString('utf8'))
      if (certBlocks.length === 0)
        throw new AppError('bad_input', `${str(ctx, 'cert')} holds no PEM CERTIFICATE.`, {
          hint: 'Give the certificate issued for the key.',
        })
      const chain = [
        ...certBlocks.slice(1),
        ...repeated(ctx, 'chain').flatMap((file) => p.certificateDers(readInputFile(ctx, file, 'a PEM CA certificate').toString('utf8'))),
      ]
      const keys = await loadKey(ctx, 'key', 'key-password-env')
      const legacy = ctx.values['legacy'] === true
      const p12 = await p.exportPkcs12(await p.exportPkcs8Der(keys.privateKey), certBlocks[0]!, {
        password,
        legacy,
        ...(chain.length ? { chain } : {}),
        ...(str(ctx, 'name') ? { friendlyName: str(ctx, 'name')! } : {}),
      })
      p.writeFileAtomic(out, p12, 0o600)
      ctx.print(
        `Wrote ${out} (${legacy ? 'legacy 3DES/SHA-1' : 'AES-256/SHA-256'}, ${1 + chain.length} certificate(s) and the key, mode 0600).`,
        { out, legacy, certificates: 1 + chain.length },
      )
      return EXIT_OK
    },
  },
]
