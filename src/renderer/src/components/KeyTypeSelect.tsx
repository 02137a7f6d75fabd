import type { KeyType } from '../../../shared/pki-model'

// Labels for each of the contract's key types (typed against KeyType, so the compiler keeps them in step).
const KEY_TYPE_OPTIONS: ReadonlyArray<{ id: KeyType; label: string }> = [
  { id: 'rsa-2048', label: 'RSA 2048' },
  { id: 'rsa-3072', label: 'RSA 3072' },
  { id: 'rsa-4096', label: 'RSA 4096' },
  { id: 'ec-p256', label: 'ECC P-256' },
  { id: 'ec-p384', label: 'ECC P-384' },
]

export const keyTypeLabel = (keyType: KeyType | undefined): string | undefined => KEY_TYPE_OPTIONS.find((k) => k.id === keyType)?.label

/** A select of every key type main can generate (the wizard, roots generated here). */
export function KeyTypeSelect({
  id,
  value,
  onChange,
  disabled,
}: {
  id: string
  value: KeyType
  onChange: (keyType: KeyType) => void
  disabled?: boolean
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as KeyType)} disabled={disabled}>
      {KEY_TYPE_OPTIONS.map((k) => (
        <option key={k.id} value={k.id}>
          {k.label}
        </option>
      ))}
    </select>
  )
}
