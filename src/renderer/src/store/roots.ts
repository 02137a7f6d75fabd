/**
 * Roots & CAs: Access mTLS roots (account or zone scope) and account mTLS CAs (bring your own CA).
 * Lists live here; the add/upload gates and the delete stepper live in the views.
 */
import type {
  AccessCertificateSummary,
  AccessHostnameSetting,
  AccessScope,
  MtlsAssociation,
  MtlsCertificateSummary,
} from '../../../shared/cloudflare-model'
import type { CertificateCheck, CertificateInput } from '../../../shared/lint-model'
import type { SliceCreator } from '.'
import { errorText } from '../api'

type Failure = { error: { message: string; hint?: string } }
export interface AccountKey {
  profileId: string
  accountId: string
}

export interface RootsSlice {
  accessRoots: AccessCertificateSummary[]
  accessKey: string | null
  accessLoading: boolean
  accessError: { message: string; hint?: string } | null
  mtlsCas: MtlsCertificateSummary[]
  mtlsKey: string | null
  mtlsLoading: boolean
  mtlsError: { message: string; hint?: string } | null
  loadAccessRoots(profileId: string, scope: AccessScope): Promise<void>
  addAccessRoot(
    profileId: string,
    scope: AccessScope,
    name: string,
    certificatePem: string,
    hostnames: string[],
  ): Promise<AccessCertificateSummary | Failure>
  updateAccessHostnames(profileId: string, scope: AccessScope, root: AccessCertificateSummary, hostnames: string[]): Promise<boolean>
  /** Detach then delete, with progress on jobId. */
  deleteAccessRoot(profileId: string, scope: AccessScope, root: AccessCertificateSummary, jobId: string): Promise<boolean>
  loadAccessSettings(profileId: string, scope: AccessScope): Promise<AccessHostnameSetting[] | Failure>
  saveAccessSettings(profileId: string, scope: AccessScope, settings: AccessHostnameSetting[]): Promise<boolean>
  loadMtlsCas(key: AccountKey): Promise<void>
  /** Lints a chain for upload; the view decides (errors block, warnings ask). */
  lintForUpload(input: CertificateInput, profile?: 'cloudflare-upload' | 'root-ca'): Promise<CertificateCheck | Failure>
  uploadMtlsCa(key: AccountKey, name: string, chainPem: string): Promise<MtlsCertificateSummary | Failure>
  mtlsAssociations(key: AccountKey, id: string): Promise<MtlsAssociation[] | Failure>
  deleteMtlsCa(key: AccountKey, ca: MtlsCertificateSummary): Promise<true | Failure>
}

export const accessKeyOf = (profileId: string, scope: AccessScope) =>
  `${profileId}/${scope.kind}/${scope.kind === 'account' ? scope.accountId : scope.zoneId}`
const mtlsKeyOf = (key: AccountKey) => `${key.profileId}/${key.accountId}`

export const createRootsSlice: SliceCreator<RootsSlice> = (set, get, api) => {
  const refreshAccess = async (profileId: string, scope: AccessScope) => {
    if (get().accessKey === accessKeyOf(profileId, scope)) await get().loadAccessRoots(profileId, scope)
  }
  return {
    accessRoots: [],
    accessKey: null,
    accessLoading: false,
    accessError: null,
    mtlsCas: [],
    mtlsKey: null,
    mtlsLoading: false,
    mtlsError: null,
    loadAccessRoots: async (profileId, scope) => {
      const key = accessKeyOf(profileId, scope)
      set({ accessLoading: true, accessError: null, ...(get().accessKey === key ? {} : { accessRoots: [], accessKey: key }) })
      try {
        const roots = await api.access.list({ profileId, scope })
        if (get().accessKey === key) set({ accessRoots: roots, accessLoading: false })
      } catch (error) {
        if (get().accessKey === key) set({ accessError: errorText(error), accessLoading: false })
      }
    },
    addAccessRoot: async (profileId, scope, name, certificatePem, hostnames) => {
      try {
        const root = await api.access.add({ profileId, scope, name, certificatePem, ...(hostnames.length ? { hostnames } : {}) })
        get().toast('success', `Added the Access root "${root.name}".`)
        await refreshAccess(profileId, scope)
        return root
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    updateAccessHostnames: async (profileId, scope, root, hostnames) => {
      try {
        await api.access.updateHostnames({ profileId, scope, id: root.id, hostnames })
        get().toast('success', `Saved the hostnames of "${root.name}".`)
        await refreshAccess(profileId, scope)
        return true
      } catch (error) {
        get().toastError(error)
        return false
      }
    },
    deleteAccessRoot: async (profileId, scope, root, jobId) => {
      try {
        const result = await api.access.delete({ profileId, scope, id: root.id, jobId })
        get().toast(
          'success',
          `Deleted the Access root "${root.name}"${result.detached.length ? ` after detaching ${result.detached.join(', ')}` : ''}.`,
        )
        await refreshAccess(profileId, scope)
        return true
      } catch (error) {
        get().toastError(error)
        await refreshAccess(profileId, scope)
        return false
      } finally {
        get().endJob(jobId)
      }
    },
    loadAccessSettings: async (profileId, scope) => {
      try {
        return await api.access.settings({ profileId, scope })
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    saveAccessSettings: async (profileId, scope, settings) => {
      try {
        await api.access.updateSettings({ profileId, scope, settings })
        get().toast('success', `Saved the settings of ${settings.length} hostname${settings.length === 1 ? '' : 's'}.`)
        return true
      } catch (error) {
        get().toastError(error)
        return false
      }
    },
    loadMtlsCas: async (key) => {
      const k = mtlsKeyOf(key)
      set({ mtlsLoading: true, mtlsError: null, ...(get().mtlsKey === k ? {} : { mtlsCas: [], mtlsKey: k }) })
      try {
        const cas = await api.mtls.list({ ...key })
        if (get().mtlsKey === k) set({ mtlsCas: cas, mtlsLoading: false })
      } catch (error) {
        if (get().mtlsKey === k) set({ mtlsError: errorText(error), mtlsLoading: false })
      }
    },
    lintForUpload: async (input, profile = 'cloudflare-upload') => {
      try {
        return await api.lint.check({ input, profile })
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    uploadMtlsCa: async (key, name, chainPem) => {
      try {
        const ca = await api.mtls.upload({ ...key, chainPem, ...(name.trim() ? { name: name.trim() } : {}) })
        get().toast('success', `Uploaded the CA "${ca.name ?? ca.id}".`)
        if (get().mtlsKey === mtlsKeyOf(key)) await get().loadMtlsCas(key)
        return ca
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    mtlsAssociations: async (key, id) => {
      try {
        return await api.mtls.associations({ ...key, id })
      } catch (error) {
        return { error: errorText(error) }
      }
    },
    deleteMtlsCa: async (key, ca) => {
      try {
        await api.mtls.delete({ ...key, id: ca.id })
        get().toast('success', `Deleted the CA "${ca.name ?? ca.id}".`)
        if (get().mtlsKey === mtlsKeyOf(key)) await get().loadMtlsCas(key)
        return true
      } catch (error) {
        return { error: errorText(error) }
      }
    },
  }
}
