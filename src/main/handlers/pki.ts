/**
 * Keys and the flows that need one: the create wizard (key + CSR, then issue at Cloudflare), the
 * Gateway BYOPKI root (generate, lint, upload with its key), and exports through a save dialog.
 * Every private key is saved in the vault before anything is sent to Cloudflare.
 */
import { AppError } from '../../shared/errors'
import type { KeyType, VaultEntry } from '../../shared/pki-model'
import type { Handlers } from '../dispatch'
import { checkCertificate } from '../lint/check'
import { createRootCa } from '../pki/ca'
import { createCsr } from '../pki/csr'
import { generateKey } from '../pki/keys'
import { writeFileAtomic } from '../storage/json-file'
import type { Services } from '../services'
import { confirmInMain, deleteKeyQuestion } from './confirm'
import { withJob } from './job'

export type PkiChannelName = 'keys:list' | 'keys:newCsr' | 'keys:newRoot' | 'keys:delete' | 'keys:export' | 'clientCerts:issueForKey' | 'gateway:generateRoot' | 'gateway:uploadRoot'
type PkiChannels = Pick<Handlers, PkiChannelName>

const EXPORTS = {
  'certificate-pem': { extension: 'pem', filter: 'PEM certificate' },
  'key-pkcs8-encrypted': { extension: 'key', filter: 'Encrypted private key (PKCS#8)' },
  pkcs12: { extension: 'p12', filter: 'PKCS#12 (AES-256)' },
  'pkcs12-legacy': { extension: 'p12', filter: 'PKCS#12 (legacy 3DES, older Android/iOS/macOS)' },
} as const

export function createPkiHandlers(services: Services): PkiChannels {
  const { vault, cloudflare, profiles, jobs, activity } = services
  const zone = profiles.zoneScope.bind(profiles)

  /** A self-signed root whose key is saved in the vault first, then linked to its certificate. */
  const vaultedRoot = async (
    options: { cn: string; o?: string; keyType: KeyType; days: number; permittedDns?: string[]; label: string },
    signal: AbortSignal | undefined,
    onProgress: ((p: { done: number; total: number; message?: string }) => void) | undefined,
  ): Promise<{ key: VaultEntry; certificatePem: string }> => {
    onProgress?.({ done: 0, total: 2, message: `Generating a ${options.keyType} key` })
    const { label, ...ca } = options
    const created = await createRootCa({ ...ca, ...(signal ? { signal } : {}) })
    onProgress?.({ done: 1, total: 2, message: 'Saving the key and checking the root' })
    const key = await vault.save({ privateKey: created.privateKey, keyType: options.keyType, label })
    const linked = await vault.linkCertificate(key.id, created.certificatePem)
    onProgress?.({ done: 2, total: 2 })
    return { key: linked, certificatePem: created.certificatePem }
  }

  return {
    'keys:list': () => vault.list(),

    'keys:newCsr': ({ keyType, subject, sans, label, jobId }, context) =>
      withJob(jobs, context, jobId, `Generating a ${keyType} key`, async ({ signal, onProgress }) => {
        onProgress?.({ done: 0, total: 2, message: 'Generating the key' })
        const keys = await generateKey(keyType, signal ? { signal } : {})
        onProgress?.({ done: 1, total: 2, message: 'Signing the CSR' })
        const csr = await createCsr({ keys, subject, sans })
        const key = await vault.save({ privateKey: keys.privateKey, keyType, label: label || subject.cn, csrPem: csr.pem })
        onProgress?.({ done: 2, total: 2 })
        const named = { target: key.label, objectId: key.id, objectName: key.label }
        activity.record({ action: 'key.create', ...named, detail: { keyId: key.id, keyType } })
        return { key, csrPem: csr.pem }
      }),

    'keys:newRoot': ({ cn, o, keyType, days, permittedDns, jobId }, context) =>
      withJob(jobs, context, jobId, 'Generating a root CA', async ({ signal, onProgress }) => {
        const { key, certificatePem } = await vaultedRoot({ cn, ...(o ? { o } : {}), keyType, days, permittedDns, label: `Root ${cn}` }, signal, onProgress)
        activity.record({ action: 'key.createRoot', target: cn, objectId: key.id, objectName: cn, detail: { keyId: key.id, keyType, days } })
        return { key, certificatePem, check: checkCertificate({ text: certificatePem, name: cn }, { profile: 'root-ca' }) }
      }),

    'keys:delete': async ({ id }) => {
      const entry = vault.get(id)
      await confirmInMain(services, { action: 'key.delete', objectName: entry.label, objectId: id }, deleteKeyQuestion(entry))
      await vault.delete(id)
      activity.record({ action: 'key.delete', target: entry.label, objectId: id, objectName: entry.label, detail: { keyId: id } })
      return { deleted: true }
    },

    'keys:export': async ({ id, format, password }) => {
      const entry = vault.get(id)
      if (format !== 'key-pkcs8-encrypted' && !entry.certificate) {
        throw new AppError('bad_input', `"${entry.label}" has no certificate yet.`, { hint: 'Issue the certificate first, or export the encrypted key alone.' })
      }
      const dialogs = services.options.dialogs
      if (!dialogs) throw new AppError('unsupported', 'Exports need the app’s save dialog.', { hint: 'Use `certdesk p12 export` on the command line.' })
      const spec = EXPORTS[format]
      const path = await dialogs.saveFile({ title: `Export ${spec.filter}`, defaultName: `${entry.label.replace(/[^\w.-]+/g, '_')}.${spec.extension}`, extensions: [spec.extension] })
      if (!path) return { savedTo: null }
      const data =
        format === 'certificate-pem'
          ? entry.certificate!.pem
          : format === 'key-pkcs8-encrypted'
            ? await vault.exportPkcs8(id, password!)
            : await vault.exportPkcs12(id, password!, { legacy: format === 'pkcs12-legacy' })
      writeFileAtomic(path, data, 0o600)
      // Saving the certificate is not a key export: the audit trail says which secret left the vault.
      const saved = format === 'certificate-pem'
      activity.record({
        action: saved ? 'certificate.save' : 'key.export',
        target: entry.label,
        objectId: saved ? entry.certificate!.sha256 : id,
        objectName: entry.label,
        detail: { keyId: id, format },
      })
      return { savedTo: path }
    },

    'clientCerts:issueForKey': async ({ profileId, zoneId, keyId, validityDays }) => {
      const entry = vault.get(keyId)
      if (!entry.csrPem) throw new AppError('bad_input', `"${entry.label}" has no CSR to issue.`, { hint: 'Create the key with the client certificate wizard.' })
      if (entry.certificate) throw new AppError('conflict', `"${entry.label}" already has a certificate.`, { hint: 'Create a new key for another certificate.' })
      const result = await cloudflare.createClientCertificate(profileId, zone(profileId, zoneId), { csrPem: entry.csrPem, validityDays })
      const pem = result.certificate.certificate
      const key = pem ? await vault.linkCertificate(keyId, pem, { cloudflareId: result.certificate.id, zoneId }) : entry
      return { ...result, key }
    },

    'gateway:generateRoot': ({ cn, o, keyType, days, jobId }, context) =>
      withJob(jobs, context, jobId, 'Generating a Gateway root', async ({ signal, onProgress }) => {
        const { key, certificatePem } = await vaultedRoot({ cn, ...(o ? { o } : {}), keyType, days, label: `Gateway root ${cn}` }, signal, onProgress)
        const input = { text: certificatePem, name: cn }
        activity.record({ action: 'gateway.generateRoot', target: cn, objectId: key.id, objectName: cn, detail: { keyId: key.id, keyType, days } })
        return {
          key,
          certificatePem,
          strict: checkCertificate(input, { profile: 'python-strict' }),
          gateway: checkCertificate(input, { profile: 'gateway-byopki' }),
        }
      }),

    'gateway:uploadRoot': async ({ profileId, accountId, keyId, name, jobId }, context) => {
      const entry = vault.get(keyId)
      if (!entry.certificate) throw new AppError('bad_input', `"${entry.label}" has no root certificate.`, { hint: 'Generate the root first.' })
      const privateKeyPem = await vault.exportPkcs8(keyId)
      return withJob(jobs, context, jobId, 'Uploading the Gateway root', (op) =>
        cloudflare.uploadGatewayRoot(profileId, profiles.accountScope(profileId, accountId), { name: name || entry.label, chainPem: entry.certificate!.pem, privateKeyPem }, op),
      )
    },
  }
}
