import { dateText, expiryBadge } from '../lib/format'

/** An expiry date with its badge (expired, expires soon) when it has one. */
export function Expiry({ iso, soonDays }: { iso: string | undefined; soonDays: number }) {
  const badge = expiryBadge(iso, soonDays)
  return (
    <>
      {dateText(iso)} {badge ? <span className={`badge ${badge.kind}`}>{badge.text}</span> : null}
    </>
  )
}
