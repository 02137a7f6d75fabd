/**
 * Keys and the flows that need one: the create wizard (key + CSR, then issue at Cloudflare), the
 * Gateway BYOPKI root (generate, lint, upload with its key), and exports through a save dialog.
 * Every private key is saved in the vault before anything is sent to Cloudflare.
 */
import { createPublicKey, X509Certificate } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { KeyType, SanEntry, VaultEntry } from '../../shared/pki-model'
import type { Handlers } from '../dispatch'
import { checkCertificate } from '../lint/check'
import { parseOrThrow } from '../lint/engine'
import { createRootCa } from '../pki/ca'
import { EXPORT_SPECS, certificateFile, exportActivity, exportFileName, renderVaultExport, vaultKeyRows } from '../secrets/vault-export'
import { assertKeyMatchesSpki, decodePem, parsePem, readPrivateKey, sha256Hex, toPem } from '../pki/encode'
import { generateKey, importKeyObject, keyTypeOfKeyObject } from '../pki/keys'
import { createCsr, csrSans, readCsr } from '../pki/csr'
import { writeFileAtomic } from '../storage/json-file'
import type { Services } from '../services'
import { confirmInMain, deleteKeyQuestion } from './confirm'
import { withJob } from './job'

export type PkiChannelName =
  | 'keys:list'
  | 'keys:newCsr'
  | 'keys:newRoot'
  | 'keys:delete'
  | 'keys:export'
  | 'certificates:save'
  | 'clientCerts:issueForKey'
  | 'gateway:generateRoot'
  | 'gateway:importRoot'
  | 'gateway:uploadRoot'
type PkiChannels = Pick<Handlers, PkiChannelName>

/** What a CSR says, read back from its DER (signature checked): subject, SANs and the key's type. */
async function decodeCsr(pem: string): Promise<{ subject: string; sans: SanEntry[]; keyType: KeyType }> {
  const csr = await readCsr(pem)
  const publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' })
  return { subject: csr.subject, sans: csrSans(csr), keyType: keyTypeOfKeyObject(publicKey) }
}

export function createPkiHandlers(services: Services): PkiChannels {
  const { vault, cloudflare, jobs, activity } = services
  const saveDialog = () => {
    const dialogs = services.options.dialogs
    if (!dialogs) {
      const hint = 'Use `certdesk vault export` on the command line.'
      throw new AppError('unsupported', 'Saving files needs the app’s save dialog.', { hint })
    }
    return dialogs
  }

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
    'keys:list': () => vaultKeyRows(vault),

    'keys:newCsr': ({ keyType, subject, sans, label, jobId }, context) =>
      withJob(jobs, context, jobId, `Generating a ${keyType} key`, async ({ signal, onProgress }) => {
        onProgress?.({ done: 0, total: 2, message: 'Generating the key' })
        const keys = await generateKey(keyType, signal ? { signal } : {})
        onProgress?.({ done: 1, total: 2, message: 'Signing the CSR' })
        const csr = await createCsr({ keys, subject, sans })
        const key = await vault.save({ privateKey: keys.privateKey, keyType, label: label || subject.cn, csrPem: csr.pem })
        onProgress?.({ done: 2, total: 2 })
        activity.record({
          action: 'key.create',
          target: key.label,
          objectId: key.id,
          objectName: key.label,
          detail: { keyId: key.id, keyType },
        })
        return { key, csrPem: csr.pem, decoded: await decodeCsr(csr.pem) }
      }),

    'keys:newRoot': ({ cn, o, keyType, days, permittedDns, jobId }, context) =>
      withJob(jobs, context, jobId, 'Generating a root CA', async ({ signal, onProgress }) => {
        const { key, certificatePem } = await vaultedRoot(
          { cn, ...(o ? { o } : {}), keyType, days, permittedDns, label: `Root ${cn}` },
          signal,
          onProgress,
        )
        activity.record({
          action: 'key.createRoot',
          target: cn,
          objectId: key.id,
          objectName: cn,
          detail: { keyId: key.id, keyType, days },
        })
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
      const spec = EXPORT_SPECS[format]
      // Render before asking where to save, so a missing certificate is said before the dialog opens.
      const rendered = await renderVaultExport(vault, id, format, password)
      const defaultName = exportFileName(entry.label, format)
      const path = await saveDialog().saveFile({ title: `Export ${spec.filter}`, defaultName, extensions: [spec.extension] })
      if (!path) return { savedTo: null }
      // Key material 0600; a certificate alone is public.
      writeFileAtomic(path, rendered.data, spec.holdsKey ? 0o600 : 0o644)
      activity.record(exportActivity(entry, format, rendered))
      return { savedTo: path }
    },

    'certificates:save': async ({ pem, format, name }) => {
      const file = certificateFile(pem, format)
      const spec = EXPORT_SPECS[format]
      const label = name || file.subject
      const defaultName = exportFileName(label, format)
      const path = await saveDialog().saveFile({ title: `Save ${spec.filter}`, defaultName, extensions: [spec.extension] })
      if (!path) return { savedTo: null }
      writeFileAtomic(path, file.data, 0o644)
      activity.record({ action: 'certificate.save', target: label, objectName: label, detail: { format } })
      return { savedTo: path }
    },

    'clientCerts:issueForKey': async ({ profileId, zoneId, keyId, validityDays }) => {
      const entry = vault.get(keyId)
      if (!entry.csrPem)
        throw new AppError('bad_input', `"${entry.label}" has no CSR to issue.`, {
          hint: 'Create the key with the client certificate wizard.',
        })
      // Lint, key decrypted, intent recorded, then issued and linked (cloudflare/issuance.ts).
      const request = { csrPem: entry.csrPem, validityDays, keyId }
      const { resumed: _resumed, key, ...result } = await services.issuer.issue(profileId, { zoneId }, request)
      return { ...result, key: key ?? vault.get(keyId) }
    },

    'gateway:generateRoot': ({ cn, o, keyType, days, jobId }, context) =>
      withJob(jobs, context, jobId, 'Generating a Gateway root', async ({ signal, onProgress }) => {
        const { key, certificatePem } = await vaultedRoot(
          { cn, ...(o ? { o } : {}), keyType, days, label: `Gateway root ${cn}` },
          signal,
          onProgress,
        )
        const input = { text: certificatePem, name: cn }
        activity.record({
          action: 'gateway.generateRoot',
          target: cn,
          objectId: key.id,
          objectName: cn,
          detail: { keyId: key.id, keyType, days },
        })
        return {
          key,
          certificatePem,
          strict: checkCertificate(input, { profile: 'python-strict' }),
          gateway: checkCertificate(input, { profile: 'gateway-byopki' }),
        }
      }),

    'gateway:importRoot': async ({ certificatePem, keyPem, passphrase, label }) => {
      const block = decodePem(certificatePem, ['CERTIFICATE'], 'the root certificate')
      if (parsePem(certificatePem).filter((b) => b.label === 'CERTIFICATE').length > 1) {
        throw new AppError('bad_input', 'That is a chain of certificates; Gateway takes the root certificate alone.', {
          hint: 'Give only the root (the self-signed certificate at the top of the chain).',
        })
      }
      const pem = toPem(block.der, 'CERTIFICATE')
      const keyObject = readPrivateKey(keyPem, passphrase || undefined)
      parseOrThrow(block.der, 'root certificate')
      const certificate = new X509Certificate(block.der)
      assertKeyMatchesSpki(keyObject, certificate.publicKey.export({ type: 'spki', format: 'der' }), 'the root certificate')
      const name = /^CN=(.+)$/m.exec(certificate.subject)?.[1] ?? 'imported root'
      const input = { text: pem, name }
      const strict = checkCertificate(input, { profile: 'python-strict' })
      const gateway = checkCertificate(input, { profile: 'gateway-byopki' })
      // A root Gateway cannot use is not kept: the findings say what to fix, and nothing is left behind.
      if (!gateway.reports.every((r) => r.passed)) return { key: null, certificatePem: pem, strict, gateway }
      // The same root imported again is the key already in the vault, not a second copy.
      const known = vault.list().find((e) => e.certificate?.sha256 === sha256Hex(block.der))
      if (known) return { key: known, certificatePem: pem, strict, gateway }
      const { privateKey, type } = await importKeyObject(keyObject)
      const saved = await vault.save({ privateKey, keyType: type, label: label || `Gateway root ${name}` })
      let key: VaultEntry
      try {
        key = await vault.linkCertificate(saved.id, pem)
      } catch (error) {
        await vault.delete(saved.id)
        throw error
      }
      activity.record({ action: 'gateway.importRoot', target: name, detail: { keyId: key.id, keyType: type } })
      return { key, certificatePem: pem, strict, gateway }
    },

    'gateway:uploadRoot': async ({ profileId, accountId, keyId, name, jobId }, context) => {
      const entry = vault.get(keyId)
      if (!entry.certificate)
        throw new AppError('bad_input', `"${entry.label}" has no root certificate.`, { hint: 'Generate the root first.' })
      const privateKeyPem = await vault.exportPkcs8(keyId)
      const request = { profileId, accountId, name: name || entry.label, chainPem: entry.certificate.pem, privateKeyPem }
      return withJob(jobs, context, jobId, 'Uploading the Gateway root', (op) => cloudflare.run('gateway.uploadRoot', request, op))
    },
  }
}
