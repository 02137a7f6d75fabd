/** The BYOPKI wizard's steps and state: one object, changed by patches, read by one component per step. */
import type { GatewayCertificateSummary, GatewayUploadResult } from '../../../../../shared/cloudflare-model'
import type { ChangeReport } from '../../../../../shared/truststore-model'
import type { PemValue } from '../../../lib/pem'
import type { ImportedRoot } from '../../../store/gateway'

export type Step = 'generate' | 'review' | 'upload' | 'activate' | 'deploy' | 'use'
export const STEPS: ReadonlyArray<{ id: Step; label: string }> = [
  { id: 'generate', label: 'Generate or import a root' },
  { id: 'review', label: 'Check it' },
  { id: 'upload', label: 'Upload' },
  { id: 'activate', label: 'Activate' },
  { id: 'deploy', label: 'Deploy to devices' },
  { id: 'use', label: 'Use for inspection' },
]

/** What turning a root on for inspection risks, said the same way here and on the Gateway screen. */
export const INSPECTION_RISK = 'Every device that does not trust this root will see certificate errors on every inspected HTTPS site.'

export type GatewayKeyType = 'rsa-2048' | 'rsa-4096'

export interface ByopkiState {
  step: Step
  /** Generate a new root here, or import the corporate root and its key. */
  source: 'generate' | 'import'
  cn: string
  o: string
  keyType: GatewayKeyType
  days: number
  certificate: PemValue | null
  keyPem: string
  passphrase: string
  /** The name at Cloudflare (optional). */
  name: string
  root: ImportedRoot | null
  uploaded: GatewayUploadResult | null
  deployed: GatewayCertificateSummary | null
  confirming: boolean
  inUse: boolean
  installed: ChangeReport | null
  exportedTo: string[]
}

export type Patch = Partial<ByopkiState>

export const initialState = (accountName: string): ByopkiState => ({
  step: 'generate',
  source: 'generate',
  cn: `${accountName} Gateway Root`,
  o: '',
  keyType: 'rsa-2048',
  days: 365,
  certificate: null,
  keyPem: '',
  passphrase: '',
  name: '',
  root: null,
  uploaded: null,
  deployed: null,
  confirming: false,
  inUse: false,
  installed: null,
  exportedTo: [],
})

/** A change to the state: the fields to set, or a function of the state that says them. */
export type Change = Patch | ((state: ByopkiState) => Patch)

export const applyChange = (state: ByopkiState, change: Change): ByopkiState => ({
  ...state,
  ...(typeof change === 'function' ? change(state) : change),
})

/** The root's common name as the certificate says it, or the one typed for a root not made yet. */
export const rootNameOf = (state: ByopkiState): string =>
  state.root?.gateway.certificates[0]?.subject.attributes.find((a) => a.oid === '2.5.4.3')?.value ?? state.cn

/** What each step's component gets: the state, a way to change it, and whether work is running. */
export interface StepProps {
  state: ByopkiState
  set: (change: Change) => void
  working: boolean
}
