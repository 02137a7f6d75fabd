import { EmptyState } from '../../components/EmptyState'
import { NeedsProfile } from '../../components/NeedsProfile'
import { ScreenHeader } from '../../components/ScreenHeader'

export function ClientCertificatesView() {
  return (
    <>
      <ScreenHeader title="Client certificates" subtitle="API Shield mTLS client certificates, per zone." />
      <NeedsProfile>
        <EmptyState title="No zone loaded">Pick a zone to list its client certificates.</EmptyState>
      </NeedsProfile>
    </>
  )
}
