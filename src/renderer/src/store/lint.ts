import type { CertificateCheck, CertificateInput, LintProfileId } from '../../../shared/lint-model'
import type { SliceCreator } from '.'
import { errorText } from '../api'

export interface LintSlice {
  check: CertificateCheck | null
  checkError: { message: string; hint?: string } | null
  checking: boolean
  checkCertificate(input: CertificateInput, profile?: LintProfileId): Promise<CertificateCheck | null>
  clearCheck(): void
}

export const createLintSlice: SliceCreator<LintSlice> = (set, _get, api) => ({
  check: null,
  checkError: null,
  checking: false,
  checkCertificate: async (input, profile = 'auto') => {
    set({ checking: true, checkError: null })
    try {
      const check = await api.lint.check({ input, profile })
      set({ check, checking: false })
      return check
    } catch (error) {
      set({ check: null, checkError: errorText(error), checking: false })
      return null
    }
  },
  clearCheck: () => set({ check: null, checkError: null }),
})
