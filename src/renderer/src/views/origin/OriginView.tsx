import { ZoneTabsScreen } from '../../components/ZoneTabsScreen'
import { AopTab } from './AopTab'
import { OriginCaTab } from './OriginCaTab'

const TABS = [
  { id: 'aop', label: 'Authenticated Origin Pulls', view: AopTab },
  { id: 'origin-ca', label: 'Origin CA', view: OriginCaTab },
] as const

/** The origin leg of a zone: the certificate Cloudflare presents to the origin, and the origin's own certificate. */
export function OriginView() {
  return (
    <ZoneTabsScreen
      title="Origin"
      subtitle="The leg from Cloudflare to your origin: Authenticated Origin Pulls and Origin CA certificates, per zone."
      label="Origin views"
      tabs={TABS}
      idPrefix="origin"
    />
  )
}
