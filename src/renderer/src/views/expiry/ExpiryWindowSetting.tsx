/**
 * Settings → Expiry radar: the expiring window in days (default 30). Items expiring within it are highlighted on the
 * radar, counted on the sidebar and notified once a day. Saved on Save (or Enter); main checks the range and says why a
 * value is refused (as every settings change, in a toast).
 */
import { useId, useState } from 'react'
import { SubmitForm } from '../../components/Field'
import { useAppFields } from '../../store'

export function ExpiryWindowSetting() {
  const { settings, updateSettings, loadExpiryCount } = useAppFields('settings', 'updateSettings', 'loadExpiryCount')
  const saved = settings?.expiryWindowDays ?? 30
  const [text, setText] = useState<string | null>(null)
  const id = useId()
  const value = text ?? String(saved)
  const save = async () => {
    // An empty or unreadable field is sent as 0 days: main's message names the range.
    const result = await updateSettings({ expiryWindowDays: Number(value) || 0 })
    if (result.ok) {
      setText(null)
      void loadExpiryCount()
    }
  }
  return (
    <section className="panel" aria-labelledby="expiry-window-title">
      <h2 id="expiry-window-title">Expiry radar</h2>
      <SubmitForm className="inline-form" noValidate onSubmit={() => void save()}>
        <label htmlFor={id}>Expiring window (days)</label>
        <input id={id} type="number" min={1} max={365} step={1} value={value} onChange={(e) => setText(e.target.value)} />
        <button type="submit" disabled={value === String(saved)}>
          Save
        </button>
      </SubmitForm>
      <p className="muted small">
        Certificates expiring within this many days are highlighted on the radar, counted beside it in the sidebar, and notified once a day
        (default 30).
      </p>
    </section>
  )
}
