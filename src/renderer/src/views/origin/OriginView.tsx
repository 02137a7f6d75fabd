import { useState } from 'react'
import { NeedsProfile } from '../../components/NeedsProfile'
import { NoZone } from '../../components/NoZone'
import { ScreenHeader } from '../../components/ScreenHeader'
import { ZonePicker } from '../../components/ScopePicker'
import { Tabs } from '../../components/Tabs'
import { useZoneScope } from '../../components/useScope'
import { AopTab } from './AopTab'
import { OriginCaTab } from './OriginCaTab'

const TABS = [
  { id: 'aop', label: 'Authenticated Origin Pulls' },
  { id: 'origin-ca', label: 'Origin CA' },
] as const

/** The origin leg of a zone: the certificate Cloudflare presents to the origin, and the origin's own certificate. */
export function OriginView() {
  const { zone, scope } = useZoneScope()
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('aop')
  return (
    <>
      <ScreenHeader
        title="Origin"
        subtitle="The leg from Cloudflare to your origin: Authenticated Origin Pulls and Origin CA certificates, per zone."
        actions={<ZonePicker />}
      />
      <NeedsProfile>
        {scope && zone ? (
          <>
            <Tabs label="Origin views" tabs={TABS} current={tab} onChange={setTab} idPrefix="origin">
              {tab === 'aop' ? <AopTab zone={scope} zoneName={zone.name} /> : <OriginCaTab zone={scope} zoneName={zone.name} />}
            </Tabs>
          </>
        ) : (
          <NoZone />
        )}
      </NeedsProfile>
    </>
  )
}
