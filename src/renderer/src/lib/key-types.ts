import type { KeyType } from '../../../shared/pki-model'

// Labels for each of the contract's key types (typed against KeyType, so the compiler keeps them in step).
export const KEY_TYPE_OPTIONS: ReadonlyArray<{ id: KeyType; label: string }> = [
  { id: 'rsa-2048', label: 'RSA 2048' },
  { id: 'rsa-3072', label: 'RSA 3072' },
  { id: 'rsa-4096', label: 'RSA 4096' },
  { id: 'ec-p256', label: 'ECC P-256' },
  { id: 'ec-p384', label: 'ECC P-384' },
]
