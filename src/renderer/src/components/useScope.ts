/**
 * The active profile and the zone or account a screen works on: the one chosen in the UI slice for
 * this profile, or the profile's first. Null when the profile has none.
 */
import { useMemo } from 'react'
import type { AccountRef, Profile, ZoneRef } from '../../../shared/model'
import { useAppStore } from '../store'
import type { AccountScope, ZoneScope } from '../store/scope'

export function useActiveProfile(): Profile | null {
  const profiles = useAppStore((s) => s.profiles)
  const activeId = useAppStore((s) => s.settings?.activeProfileId ?? null)
  return profiles.find((p) => p.id === activeId) ?? null
}

export function useZone(): { profile: Profile | null; zone: ZoneRef | null } {
  const profile = useActiveProfile()
  const chosen = useAppStore((s) => (profile ? s.zoneChoice[profile.id] : undefined))
  const zone = profile ? (profile.zones.find((z) => z.id === chosen) ?? profile.zones[0] ?? null) : null
  return { profile, zone }
}

export function useAccount(): { profile: Profile | null; account: AccountRef | null } {
  const profile = useActiveProfile()
  const chosen = useAppStore((s) => (profile ? s.accountChoice[profile.id] : undefined))
  const account = profile ? (profile.accounts.find((a) => a.id === chosen) ?? profile.accounts[0] ?? null) : null
  return { profile, account }
}

/** The zone, with the scope the store's zone lists take (stable while it stays the same). */
export function useZoneScope(): { profile: Profile | null; zone: ZoneRef | null; scope: ZoneScope | null } {
  const { profile, zone } = useZone()
  const scope = useMemo(() => (profile && zone ? { profileId: profile.id, zoneId: zone.id } : null), [profile, zone])
  return { profile, zone, scope }
}

/** The same, with the account as the scope the store's account lists take (stable while it stays the same). */
export function useAccountScope(): { profile: Profile | null; account: AccountRef | null; scope: AccountScope | null } {
  const { profile, account } = useAccount()
  const scope = useMemo(() => (profile && account ? { profileId: profile.id, accountId: account.id } : null), [profile, account])
  return { profile, account, scope }
}
