import type { KeyType } from '../../../shared/pki-model'
import type { Choice } from './ChoiceSelect'

/**
 * Every key type main can generate (the wizard, roots generated here), for a ChoiceSelect; typed against
 * KeyType, so the compiler keeps them in step with the contract.
 */
export const KEY_TYPE_CHOICES: ReadonlyArray<Choice<KeyType>> = [
  { value: 'rsa-2048', label: 'RSA 2048' },
  { value: 'rsa-3072', label: 'RSA 3072' },
  { value: 'rsa-4096', label: 'RSA 4096' },
  { value: 'ec-p256', label: 'ECC P-256' },
  { value: 'ec-p384', label: 'ECC P-384' },
]

export const keyTypeLabel = (keyType: KeyType | undefined): string | undefined => KEY_TYPE_CHOICES.find((k) => k.value === keyType)?.label
