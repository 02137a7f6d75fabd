import { ZoneTabsScreen } from '../../components/ZoneTabsScreen'
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
  return (
    <ZoneTabsScreen
      title="Client certificates"
      subtitle="API Shield mTLS client certificates, per zone."
      actions={<CreateWithNewKeyButton />}
      label="Client certificate views"
      tabs={TABS}
      idPrefix="cc"
    >
      {(tab, zone, zoneName) =>
        tab === 'certificates' ? (
          <CertificatesTab zone={zone} zoneName={zoneName} />
        ) : tab === 'hostnames' ? (
          <HostnamesTab zone={zone} zoneName={zoneName} />
        ) : (
          <EnforcementTab zone={zone} zoneName={zoneName} />
        )
      }
    </ZoneTabsScreen>
  )
}
