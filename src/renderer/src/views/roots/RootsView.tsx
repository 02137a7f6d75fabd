import { EmptyState } from '../../components/EmptyState'
import { NeedsProfile } from '../../components/NeedsProfile'
import { ScreenHeader } from '../../components/ScreenHeader'
import { CheckCertificatePanel } from './CheckCertificatePanel'

export function RootsView() {
  return (
    <>
      <ScreenHeader title="Roots & CAs" subtitle="Access mTLS roots and account mTLS CAs (bring your own CA)." />
      <CheckCertificatePanel />
      <NeedsProfile>
        <EmptyState title="No roots loaded">Roots uploaded to this account appear here.</EmptyState>
      </NeedsProfile>
    </>
  )
}
