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
import type { Result } from '../../../shared/errors'
import type { CertificateCheck, CertificateInput } from '../../../shared/lint-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { emptyList, scopedList, scopeId, type AccountScope, type ScopedList } from './scope'

export interface RootsSlice {
  accessRoots: ScopedList<AccessCertificateSummary>
  mtlsCas: ScopedList<MtlsCertificateSummary>
  loadAccessRoots(profileId: string, scope: AccessScope): Promise<void>
  addAccessRoot(
    profileId: string,
    scope: AccessScope,
    name: string,
    certificatePem: string,
    hostnames: string[],
  ): Promise<Result<AccessCertificateSummary>>
  updateAccessHostnames(
    profileId: string,
    scope: AccessScope,
    root: AccessCertificateSummary,
    hostnames: string[],
  ): Promise<Result<unknown>>
  /** Detach then delete, with progress on jobId. */
  deleteAccessRoot(profileId: string, scope: AccessScope, root: AccessCertificateSummary, jobId: string): Promise<Result<unknown>>
  loadAccessSettings(profileId: string, scope: AccessScope): Promise<Result<AccessHostnameSetting[]>>
  saveAccessSettings(profileId: string, scope: AccessScope, settings: AccessHostnameSetting[]): Promise<Result<unknown>>
  loadMtlsCas(account: AccountScope): Promise<void>
  /** Lints a chain for upload; the view decides (errors block, warnings ask). */
  lintForUpload(input: CertificateInput, profile?: 'cloudflare-upload' | 'root-ca'): Promise<Result<CertificateCheck>>
  uploadMtlsCa(account: AccountScope, name: string, chainPem: string): Promise<Result<MtlsCertificateSummary>>
  mtlsAssociations(account: AccountScope, id: string): Promise<Result<MtlsAssociation[]>>
  deleteMtlsCa(account: AccountScope, ca: MtlsCertificateSummary): Promise<Result<unknown>>
}

export const createRootsSlice: SliceCreator<RootsSlice> = (set, get, api) => {
  const access = scopedList(set, get, 'accessRoots')
  const cas = scopedList(set, get, 'mtlsCas')
  /** Reads the list again after a change, if it still shows that scope. */
  const refreshAccess = async (profileId: string, scope: AccessScope) => {
    if (get().accessRoots.scope === scopeId.access(profileId, scope)) await get().loadAccessRoots(profileId, scope)
  }
  const refreshCas = async (account: AccountScope) => {
    if (get().mtlsCas.scope === scopeId.account(account)) await get().loadMtlsCas(account)
  }
  return {
    accessRoots: emptyList(),
    mtlsCas: emptyList(),
    loadAccessRoots: (profileId, scope) => access.load(scopeId.access(profileId, scope), () => api.access.list({ profileId, scope })),
    addAccessRoot: async (profileId, scope, name, certificatePem, hostnames) => {
      const result = await attempt(() =>
        api.access.add({ profileId, scope, name, certificatePem, ...(hostnames.length ? { hostnames } : {}) }),
      )
      get().report(result, result.ok ? `Added the Access root "${result.value.name}".` : undefined, true)
      if (result.ok) await refreshAccess(profileId, scope)
      return result
    },
    updateAccessHostnames: async (profileId, scope, root, hostnames) => {
      const result = await attempt(() => api.access.updateHostnames({ profileId, scope, id: root.id, hostnames }))
      get().report(result, `Saved the hostnames of "${root.name}".`)
      if (result.ok) await refreshAccess(profileId, scope)
      return result
    },
    deleteAccessRoot: async (profileId, scope, root, jobId) => {
      const result = await attempt(() => api.access.delete({ profileId, scope, id: root.id, jobId }))
      const detached = result.ok && result.value.detached.length ? ` after detaching ${result.value.detached.join(', ')}` : ''
      get().report(result, `Deleted the Access root "${root.name}"${detached}.`)
      // A failed delete may have detached some hostnames already: read the list again either way.
      await refreshAccess(profileId, scope)
      get().endJob(jobId)
      return result
    },
    loadAccessSettings: (profileId, scope) => attempt(() => api.access.settings({ profileId, scope })),
    saveAccessSettings: async (profileId, scope, settings) => {
      const result = await attempt(() => api.access.updateSettings({ profileId, scope, settings }))
      get().report(result, `Saved the settings of ${settings.length} hostname${settings.length === 1 ? '' : 's'}.`)
      return result
    },
    loadMtlsCas: (account) => cas.load(scopeId.account(account), () => api.mtls.list({ ...account })),
    lintForUpload: (input, profile = 'cloudflare-upload') => attempt(() => api.lint.check({ input, profile })),
    uploadMtlsCa: async (account, name, chainPem) => {
      const result = await attempt(() => api.mtls.upload({ ...account, chainPem, ...(name.trim() ? { name: name.trim() } : {}) }))
      get().report(result, result.ok ? `Uploaded the CA "${result.value.name ?? result.value.id}".` : undefined, true)
      if (result.ok) await refreshCas(account)
      return result
    },
    mtlsAssociations: (account, id) => attempt(() => api.mtls.associations({ ...account, id })),
    deleteMtlsCa: async (account, ca) => {
      const result = await attempt(() => api.mtls.delete({ ...account, id: ca.id }))
      get().report(result, `Deleted the CA "${ca.name ?? ca.id}".`, true)
      if (result.ok) await refreshCas(account)
      return result
    },
  }
}
