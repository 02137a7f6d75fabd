import { EmptyState } from '../../components/EmptyState'
import { ScreenHeader } from '../../components/ScreenHeader'

export function MachineView() {
  return (
    <>
      <ScreenHeader title="This machine" subtitle="The trust stores on this computer, and whether they trust your roots." />
      <EmptyState title="No stores scanned yet">Scan this machine's trust stores to see the installed roots.</EmptyState>
    </>
  )
}
