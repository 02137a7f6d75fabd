/**
 * Keys in Certdesk's vault and the flows that make them: the create-certificate wizard (key + CSR,
 * then issue at Cloudflare), the Gateway BYOPKI wizard (root, upload, activate, use), and exports
 * through main's save dialog. Private keys never reach the renderer; this slice sees vault entries.
 * Actions resolve to the value or `{ error }` so the wizards can show the failure in the step.
 */
import type { ClientCertificateCreateResult, GatewayCertificateSummary, GatewayUploadResult } from '../../../shared/cloudflare-model'
import type { CertificateCheck } from '../../../shared/lint-model'
import type { CsrSubject, KeyType, SanEntry, VaultEntry, VaultKeyRow } from '../../../shared/pki-model'
import type { ExportFormat } from '../../../shared/contract/keys'
import type { SliceCreator } from '.'
import { errorText } from '../api'
import type { AccountKey } from './roots'

export type KeysFailure = { error: { message: string; hint?: string } }
export type GeneratedRoot = { key: VaultEntry; certificatePem: string; strict: CertificateCheck; gateway: CertificateCheck }
/** A new key's CSR, and what the CSR says (decoded in main) for the review step. */
export type NewKeyCsr = { key: VaultEntry; csrPem: string; decoded: { subject: string; sans: SanEntry[]; keyType: KeyType } }
export type LocalRoot = { key: VaultEntry; certificatePem: string; check: CertificateCheck }
export type LocalRootRequest = { cn: string; o?: string; keyType: KeyType; days: number; permittedDns: string[] }

export interface KeysSlice {
  vaultKeys: VaultKeyRow[]
  loadKeys(): Promise<void>
  newKeyCsr(
    request: { keyType: KeyType; subject: CsrSubject; sans: string[]; label?: string },
    jobId: string,
  ): Promise<NewKeyCsr | KeysFailure>
  issueForKey(request: {
    profileId: string
    zoneId: string
    keyId: string
    validityDays: number
  }): Promise<(ClientCertificateCreateResult & { key: VaultEntry }) | KeysFailure>
  /** Saves through main's save dialog; resolves to the path, null when the dialog was cancelled. */
  exportKey(id: string, format: ExportFormat, password?: string): Promise<string | null | KeysFailure>
  /** Any certificate (vault or not) as PEM or DER through main's save dialog; the path, or null when cancelled. */
  saveCertificate(pem: string, format: 'certificate-pem' | 'certificate-der', name: string): Promise<string | null | KeysFailure>
  deleteKey(id: string): Promise<boolean>
  /** A root CA made here (Access mTLS, account CA uploads): key vaulted, certificate linked, root-ca lint. */
  generateLocalRoot(request: LocalRootRequest, jobId: string): Promise<LocalRoot | KeysFailure>
  generateGatewayRoot(
    request: { cn: string; o?: string; keyType: 'rsa-2048' | 'rsa-4096'; days: number },
    jobId: string,
  ): Promise<GeneratedRoot | KeysFailure>
  uploadGatewayRoot(account: AccountKey, keyId: string, name: string | undefined, jobId: string): Promise<GatewayUploadResult | KeysFailure>
  /** Activates and waits until the binding is `available`, following progress on jobId. */
  activateGatewayRoot(account: AccountKey, id: string, jobId: string): Promise<GatewayCertificateSummary | KeysFailure>
  useGatewayRootForInspection(account: AccountKey, id: string): Promise<{ certificateId: string } | KeysFailure>
}

const EXPORT_NAMES: Record<ExportFormat, string> = {
  'certificate-pem': 'the certificate',
  'certificate-der': 'the certificate (DER)',
  'key-pkcs8-encrypted': 'the encrypted private key',
  'key-pem-unencrypted': 'the UNENCRYPTED private key',
  pkcs12: 'the PKCS#12 bundle',
  'pkcs12-legacy': 'the legacy PKCS#12 bundle',
}

export const createKeysSlice: SliceCreator<KeysSlice> = (set, get, api) => {
  const attempt = async <T>(work: () => Promise<T>, jobId?: string): Promise<T | KeysFailure> => {
    try {
      return await work()
    } catch (error) {
      return { error: errorText(error) }
    } finally {
      if (jobId) get().endJob(jobId)
    }
  }
  const reload = () => void get().loadKeys()
  return {
    vaultKeys: [],
    loadKeys: async () => {
      try {
        set({ vaultKeys: await api.keys.list() })
      } catch (error) {
        get().toastError(error)
      }
    },
    newKeyCsr: async (request, jobId) => {
      const result = await attempt(() => api.keys.newCsr({ ...request, jobId }), jobId)
      if (!('error' in result)) reload()
      return result
    },
    issueForKey: async (request) => {
      const result = await attempt(() => api.clientCerts.issueForKey(request))
      if (!('error' in result)) {
        get().toast(
          'success',
          `Cloudflare issued ${result.certificate.commonName}${result.recovered ? ' (found after a lost answer, not issued twice)' : ''}.`,
        )
        reload()
      }
      return result
    },
    exportKey: async (id, format, password) => {
      const result = await attempt(() => api.keys.export({ id, format, ...(password === undefined ? {} : { password }) }))
      if ('error' in result) {
        get().toast('error', result.error.message, result.error.hint)
        return result
      }
      if (result.savedTo) get().toast('success', `Saved ${EXPORT_NAMES[format]} to ${result.savedTo}.`)
      return result.savedTo
    },
    saveCertificate: async (pem, format, name) => {
      const result = await attempt(() => api.certificates.save({ pem, format, name }))
      if ('error' in result) {
        get().toast('error', result.error.message, result.error.hint)
        return result
      }
      if (result.savedTo) get().toast('success', `Saved ${EXPORT_NAMES[format]} to ${result.savedTo}.`)
      return result.savedTo
    },
    deleteKey: async (id) => {
      try {
        await api.keys.delete({ id })
        reload()
        return true
      } catch (error) {
        get().toastError(error)
        return false
      }
    },
    generateLocalRoot: async (request, jobId) => {
      const result = await attempt(() => api.keys.newRoot({ ...request, jobId }), jobId)
      if (!('error' in result)) reload()
      return result
    },
    generateGatewayRoot: async (request, jobId) => {
      const result = await attempt(() => api.gateway.generateRoot({ ...request, jobId }), jobId)
      if (!('error' in result)) reload()
      return result
    },
    uploadGatewayRoot: async (account, keyId, name, jobId) => {
      const result = await attempt(() => api.gateway.uploadRoot({ ...account, keyId, ...(name ? { name } : {}), jobId }), jobId)
      if (!('error' in result))
        get().toast('success', `Uploaded the root; Gateway certificate ${result.gateway.id.slice(0, 8)} is ready to activate.`)
      return result
    },
    activateGatewayRoot: async (account, id, jobId) => {
      const result = await attempt(() => api.gateway.activate({ ...account, id, wait: true, jobId }), jobId)
      if (!('error' in result)) get().toast('success', `Gateway certificate ${id.slice(0, 8)} is ${result.bindingStatus ?? 'activated'}.`)
      return result
    },
    useGatewayRootForInspection: async (account, id) => {
      const result = await attempt(() => api.gateway.useForInspection({ ...account, id }))
      if (!('error' in result)) get().toast('success', `Gateway now signs inspected traffic with certificate ${id.slice(0, 8)}.`)
      return result
    },
  }
}
