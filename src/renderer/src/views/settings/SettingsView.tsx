import { Facts } from '../../components/Facts'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAppFields } from '../../store'
import type { Theme } from '../../../../shared/model'
import { DEFAULT_RATE_SHARE, RATE_SHARE_CHOICES } from '../../../../shared/constants'
import { ProfilesSection } from './ProfilesSection'
import { ExpiryWindowSetting } from '../expiry/ExpiryWindowSetting'

const THEMES: Array<{ value: Theme; label: string }> = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

export function SettingsView() {
  const { settings, updateSettings: update, info } = useAppFields('settings', 'updateSettings', 'info')
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
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={settings?.theme === t.value}
                onChange={() => void update({ theme: t.value })}
              />
              {t.label}
            </label>
          ))}
        </fieldset>
      </section>
      <section className="panel" aria-labelledby="cloudflare-rate-title">
        <h2 id="cloudflare-rate-title">Cloudflare API</h2>
        <label>
          Share of Cloudflare&apos;s rate limit to use{' '}
          <select
            value={settings?.cloudflareRateShare ?? DEFAULT_RATE_SHARE}
            onChange={(e) => void update({ cloudflareRateShare: Number(e.target.value) })}
          >
            {RATE_SHARE_CHOICES.map((share) => (
              <option key={share} value={share}>
                {Math.round(share * 100)} %{share === DEFAULT_RATE_SHARE ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">
          Cloudflare allows 1200 requests per 5 minutes per user — the dashboard and every token together — and blocks all of them for 5
          minutes when that is exceeded. Certdesk and its command line share this part of it across every window and script on this computer
          (the command line also takes --rate-share).
        </p>
      </section>
      <ExpiryWindowSetting />
      {info ? (
        <section className="panel" aria-labelledby="about-title">
          <h2 id="about-title">About</h2>
          <Facts
            facts={[
              { term: 'Version', value: info.version },
              { term: 'Platform', value: `${info.platform} ${info.arch}` },
              { term: 'Data folder', value: info.userDataDir, code: true },
            ]}
          />
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
