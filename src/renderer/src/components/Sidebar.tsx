import { useAppFields, useAppStore } from '../store'
import { SCREENS } from '../store/ui'

const isMac = navigator.userAgent.includes('Mac')

export function Sidebar() {
  const { screen, go, profiles } = useAppFields('screen', 'go', 'profiles')
  const activeId = useAppStore((s) => s.settings?.activeProfileId ?? null)
  const active = profiles.find((p) => p.id === activeId)
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
