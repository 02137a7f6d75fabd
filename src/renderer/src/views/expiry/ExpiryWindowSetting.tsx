/**
 * Settings → Expiring window, in days (default 30): one setting for every screen's "expiring" badge and the expiry radar
 * (highlighted there, counted on the sidebar, notified once a day). Saved on Save (or Enter); main checks the range and says why a
 * value is refused (as every settings change, in a toast).
 */
import { useId, useState } from 'react'
import { SubmitForm } from '../../components/Field'
import { useAppFields } from '../../store'

export function ExpiryWindowSetting() {
  const { settings, updateSettings, loadExpiryCount } = useAppFields('settings', 'updateSettings', 'loadExpiryCount')
  const saved = settings?.expiringSoonDays ?? 30
  const [text, setText] = useState<string | null>(null)
  const id = useId()
  const value = text ?? String(saved)
  const save = async () => {
    // An empty or unreadable field is sent as 0 days: main's message names the range.
    const result = await updateSettings({ expiringSoonDays: Number(value) || 0 })
    if (result.ok) {
      setText(null)
      void loadExpiryCount()
    }
  }
  return (
    <section className="panel" aria-labelledby="expiry-window-title">
      <h2 id="expiry-window-title">Expiring window</h2>
      <SubmitForm className="inline-form" noValidate onSubmit={() => void save()}>
        <label htmlFor={id}>Expiring window (days)</label>
        <input id={id} type="number" min={1} max={365} step={1} value={value} onChange={(e) => setText(e.target.value)} />
        <button type="submit" disabled={value === String(saved)}>
          Save
        </button>
      </SubmitForm>
      <p className="muted small">
        Certificates expiring within this many days get an “expiring” badge on every screen, are highlighted on the radar, counted beside it
        in the sidebar, and notified once a day (default 30).
      </p>
    </section>
  )
}
