import { useId } from 'react'
import { useAppStore } from '../store'
import { useAccount, useZone } from './useScope'

/** Chooses the zone zone-scoped screens work on; remembered per profile. */
export function ZonePicker() {
  const { profile, zone } = useZone()
  const choose = useAppStore((s) => s.chooseZone)
  const id = useId()
  if (!profile) return null
  return (
    <div className="field inline">
      <label htmlFor={id}>Zone</label>
      <select id={id} value={zone?.id ?? ''} disabled={profile.zones.length === 0} onChange={(e) => choose(profile.id, e.target.value)}>
        {profile.zones.length === 0 ? <option value="">No zones</option> : null}
        {profile.zones.map((z) => (
          <option key={z.id} value={z.id}>
            {z.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/** Chooses the account account-scoped screens work on; remembered per profile. */
export function AccountPicker() {
  const { profile, account } = useAccount()
  const choose = useAppStore((s) => s.chooseAccount)
  const id = useId()
  if (!profile) return null
  return (
    <div className="field inline">
      <label htmlFor={id}>Account</label>
      <select
        id={id}
        value={account?.id ?? ''}
        disabled={profile.accounts.length === 0}
        onChange={(e) => choose(profile.id, e.target.value)}
      >
        {profile.accounts.length === 0 ? <option value="">No accounts</option> : null}
        {profile.accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
    </div>
  )
}
