import { useId } from 'react'
import { useAppStore } from '../store'
import { useAccount, useZone } from './useScope'

/** Chooses the zone zone-scoped screens work on; remembered per profile. */
export function ZonePicker() {
  const { profile, zone } = useZone()
  const choose = useAppStore((s) => s.chooseZone)
  if (!profile) return null
  return <ScopeSelect label="Zone" none="No zones" items={profile.zones} value={zone?.id} onChoose={(id) => choose(profile.id, id)} />
}

/** Chooses the account account-scoped screens work on; remembered per profile. */
export function AccountPicker() {
  const { profile, account } = useAccount()
  const choose = useAppStore((s) => s.chooseAccount)
  if (!profile) return null
  return (
    <ScopeSelect
      label="Account"
      none="No accounts"
      items={profile.accounts}
      value={account?.id}
      onChoose={(id) => choose(profile.id, id)}
    />
  )
}

function ScopeSelect({
  label,
  none,
  items,
  value,
  onChoose,
}: {
  label: string
  none: string
  items: ReadonlyArray<{ id: string; name: string }>
  value: string | undefined
  onChoose: (id: string) => void
}) {
  const id = useId()
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} disabled={items.length === 0} onChange={(e) => onChoose(e.target.value)}>
        {items.length === 0 ? <option value="">{none}</option> : null}
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name}
          </option>
        ))}
      </select>
    </div>
  )
}
