import { useEffect } from 'react'
import { useAppFields, useAppStore } from '../store'
import { SCREENS } from '../store/ui'

/** How often the sidebar reads the expiry count again (main's cached radar: no API call). */
const EXPIRY_COUNT_MS = 60_000

const isMac = navigator.userAgent.includes('Mac')

export function Sidebar() {
  const { screen, go, profiles } = useAppFields('screen', 'go', 'profiles')
  const activeId = useAppStore((s) => s.settings?.activeProfileId ?? null)
  const active = profiles.find((p) => p.id === activeId)
  const loadExpiryCount = useAppStore((s) => s.loadExpiryCount)
  const expiryCount = useAppStore((s) => s.expiryCount)
  useEffect(() => {
    void loadExpiryCount()
    const timer = setInterval(() => void loadExpiryCount(), EXPIRY_COUNT_MS)
    return () => clearInterval(timer)
  }, [loadExpiryCount])
  const urgent = expiryCount ? expiryCount.expired + expiryCount.expiring : 0
  return (
    <nav className="sidebar" aria-label="Screens">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark">◆</span> Certdesk
      </div>
      <ul>
        {SCREENS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={screen === s.id ? 'page' : undefined}
              aria-keyshortcuts={`${isMac ? 'Meta' : 'Control'}+${s.shortcut}`}
              onClick={() => go(s.id)}
            >
              <span>{s.label}</span>
              {s.id === 'expiry' && urgent > 0 ? (
                <span
                  className={`nav-count ${expiryCount?.expired ? 'bad' : 'warn'}`}
                  aria-label={`${expiryCount?.expired ?? 0} expired, ${expiryCount?.expiring ?? 0} expiring soon`}
                  title={`${expiryCount?.expired ?? 0} expired, ${expiryCount?.expiring ?? 0} expiring within the window`}
                >
                  {urgent.toLocaleString()}
                </span>
              ) : null}
              <kbd aria-hidden="true">
                {isMac ? '⌘' : 'Ctrl '}
                {s.shortcut}
              </kbd>
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer" aria-live="polite">
        {active ? (
          <span title={`Active profile: ${active.name}`}>
            <span className={`dot ${active.kind}`} aria-hidden="true" /> {active.name}
          </span>
        ) : (
          <span className="muted">No profile selected</span>
        )}
      </div>
    </nav>
  )
}
