import { useEffect } from 'react'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { useTheme } from './components/useTheme'
import { useAppFields } from './store'
import { SCREENS, type ScreenId } from './store/ui'
import { ActivityView } from './views/activity/ActivityView'
import { ClientCertificatesView } from './views/client-certs/ClientCertificatesView'
import { ExpiryView } from './views/expiry/ExpiryView'
import { GatewayView } from './views/gateway/GatewayView'
import { KeysView } from './views/keys/KeysView'
import { MachineView } from './views/machine/MachineView'
import { OriginView } from './views/origin/OriginView'
import { RootsView } from './views/roots/RootsView'
import { SettingsView } from './views/settings/SettingsView'
import { FleetView } from './views/fleet/FleetView'

const VIEWS: Record<ScreenId, () => React.JSX.Element> = {
  'client-certs': ClientCertificatesView,
  roots: RootsView,
  gateway: GatewayView,
  origin: OriginView,
  machine: MachineView,
  activity: ActivityView,
  settings: SettingsView,
  keys: KeysView,
  fleet: FleetView,
  expiry: ExpiryView,
}

export function App() {
  const { screen, go, loadInfo, loadSettings, loadProfiles } = useAppFields('screen', 'go', 'loadInfo', 'loadSettings', 'loadProfiles')
  useTheme()

  useEffect(() => {
    void loadInfo()
    void loadSettings()
    void loadProfiles()
  }, [loadInfo, loadSettings, loadProfiles])

  // Ctrl/Cmd + 1..8 switches screens.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return
      const target = SCREENS.find((s) => s.shortcut === event.key)
      if (target) {
        event.preventDefault()
        go(target.id)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [go])

  const View = VIEWS[screen]
  return (
    <div className="app">
      <Sidebar />
      <main className="content" id="main" aria-labelledby="screen-title">
        <View />
      </main>
      <Toasts />
    </div>
  )
}
