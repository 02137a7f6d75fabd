import { ZoneTabsScreen } from '../../components/ZoneTabsScreen'
import { CertificatesTab } from './CertificatesTab'
import { CreateWithNewKeyButton } from './CreateCertificateWizard'
import { EnforcementTab } from './EnforcementTab'
import { HostnamesTab } from './HostnamesTab'

const TABS = [
  { id: 'certificates', label: 'Certificates', view: CertificatesTab },
  { id: 'hostnames', label: 'Hostnames', view: HostnamesTab },
  { id: 'enforcement', label: 'Enforcement', view: EnforcementTab },
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
    />
  )
}
