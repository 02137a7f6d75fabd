import { useState } from 'react'
import { NeedsProfile } from '../../components/NeedsProfile'
import { NoZone } from '../../components/NoZone'
import { ScreenHeader } from '../../components/ScreenHeader'
import { ZonePicker } from '../../components/ScopePicker'
import { Tabs } from '../../components/Tabs'
import { useZone } from '../../components/useScope'
import { CertificatesTab } from './CertificatesTab'
import { CreateWithNewKeyButton } from './CreateCertificateWizard'
import { EnforcementTab } from './EnforcementTab'
import { HostnamesTab } from './HostnamesTab'

const TABS = [
  { id: 'certificates', label: 'Certificates' },
  { id: 'hostnames', label: 'Hostnames' },
  { id: 'enforcement', label: 'Enforcement' },
] as const

export function ClientCertificatesView() {
  const { profile, zone } = useZone()
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('certificates')
  return (
    <>
      <ScreenHeader
        title="Client certificates"
        subtitle="API Shield mTLS client certificates, per zone."
        actions={
          <>
            <ZonePicker />
            <CreateWithNewKeyButton />
          </>
        }
      />
      <NeedsProfile>
        {profile && zone ? (
          <>
            <Tabs label="Client certificate views" tabs={TABS} current={tab} onChange={setTab} idPrefix="cc">
              {tab === 'certificates' ? (
                <CertificatesTab zone={{ profileId: profile.id, zoneId: zone.id }} zoneName={zone.name} />
              ) : tab === 'hostnames' ? (
                <HostnamesTab zone={{ profileId: profile.id, zoneId: zone.id }} zoneName={zone.name} />
              ) : (
                <EnforcementTab zone={{ profileId: profile.id, zoneId: zone.id }} zoneName={zone.name} />
              )}
            </Tabs>
          </>
        ) : (
          <NoZone />
        )}
      </NeedsProfile>
    </>
  )
}
