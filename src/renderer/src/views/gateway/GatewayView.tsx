import { EmptyState } from '../../components/EmptyState'
import { NeedsProfile } from '../../components/NeedsProfile'
import { ScreenHeader } from '../../components/ScreenHeader'

export function GatewayView() {
  return (
    <>
      <ScreenHeader title="Gateway inspection" subtitle="Zero Trust Gateway custom root certificates (BYOPKI)." />
      <NeedsProfile>
        <EmptyState title="No Gateway certificates loaded">The account's Gateway certificates appear here.</EmptyState>
      </NeedsProfile>
    </>
  )
}
