import type { Failure, Result } from '../../../shared/errors'
import type { CertificateCheck, CertificateInput, LintProfileId } from '../../../shared/lint-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'

/** Path validation asked of a check: a time (ISO 8601), a purpose, the peer's name, this machine's roots. */
export interface PathCheck {
  at?: string
  purpose?: 'client' | 'server'
  peer?: string
  systemRoots?: boolean
}

/** The Check certificate panel: the last check, or the failure that stopped it, shown in place. */
export interface LintSlice {
  check: CertificateCheck | null
  checkError: Failure | null
  checking: boolean
  checkCertificate(input: CertificateInput, profile?: LintProfileId, path?: PathCheck): Promise<Result<CertificateCheck>>
  clearCheck(): void
}

export const createLintSlice: SliceCreator<LintSlice> = (set, _get, api) => ({
  check: null,
  checkError: null,
  checking: false,
  checkCertificate: async (input, profile = 'auto', path = {}) => {
    set({ checking: true, checkError: null })
    const result = await attempt(() => api.lint.check({ input, profile, ...path }))
    set(result.ok ? { check: result.value, checking: false } : { check: null, checkError: result.error, checking: false })
    return result
  },
  clearCheck: () => set({ check: null, checkError: null }),
})
