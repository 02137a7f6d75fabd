import { ScreenHeader } from '../../components/ScreenHeader'
import { useAppStore } from '../../store'
import type { Theme } from '../../../../shared/model'
import { ProfilesSection } from './ProfilesSection'

const THEMES: Array<{ value: Theme; label: string }> = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

export function SettingsView() {
  const settings = useAppStore((s) => s.settings)
  const update = useAppStore((s) => s.updateSettings)
  const info = useAppStore((s) => s.info)
  return (
    <>
      <ScreenHeader title="Settings" subtitle="Profiles, appearance and where Certdesk keeps its data." />
      <ProfilesSection />
      <section className="panel" aria-labelledby="appearance-title">
        <h2 id="appearance-title">Appearance</h2>
        <fieldset className="radio-row">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value}>
              <input type="radio" name="theme" value={t.value} checked={settings?.theme === t.value} onChange={() => void update({ theme: t.value })} />
              {t.label}
            </label>
          ))}
        </fieldset>
      </section>
      {info ? (
        <section className="panel" aria-labelledby="about-title">
          <h2 id="about-title">About</h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Platform</dt>
            <dd>
              {info.platform} {info.arch}
            </dd>
            <dt>Data folder</dt>
            <dd>
              <code>{info.userDataDir}</code>
            </dd>
          </dl>
          {info.storageProblems.map((p) => (
            <p key={p.movedTo} className="warning" role="alert">
              {p.file} could not be read ({p.reason}). It was kept as {p.movedTo} and replaced with defaults.
            </p>
          ))}
        </section>
      ) : null}
    </>
  )
}
