import type { ReactNode } from 'react'
import { useAppStore } from '../store'
import { EmptyState } from './EmptyState'

/** Screens that talk to Cloudflare show this until a profile (a real token or the Sandbox) is active. */
export function NeedsProfile({ children }: { children: ReactNode }) {
  const loaded = useAppStore((s) => s.profilesLoaded)
  const activeId = useAppStore((s) => s.settings?.activeProfileId ?? null)
  const go = useAppStore((s) => s.go)
  if (!loaded) return null
  if (activeId) return <>{children}</>
  return (
    <EmptyState
      title="Connect an account first"
      action={
        <button type="button" className="primary" onClick={() => go('settings')}>
          Add a profile
        </button>
      }
    >
      Add a Cloudflare API token, or start with the built-in Sandbox account to try every feature offline.
    </EmptyState>
  )
}
