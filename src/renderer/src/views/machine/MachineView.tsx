/**
 * This machine (helpdesk): the trust stores found here and their roots, verifying a root by
 * fingerprint / file / the account's certificates, installing and removing a root, and checking
 * what chain a site presents. Needs no profile; the account source appears when one is active.
 */
import { useState } from 'react'
import { ScreenHeader } from '../../components/ScreenHeader'
import { Tabs } from '../../components/Tabs'
import { ChangePanel } from './ChangePanel'
import { CheckSitePanel } from './CheckSitePanel'
import { StoresPanel } from './StoresPanel'
import { VerifyPanel } from './VerifyPanel'

/** Each tab and the panel it shows. */
const TABS = [
  { id: 'stores', label: 'Stores and roots', view: StoresPanel },
  { id: 'verify', label: 'Verify a root', view: VerifyPanel },
  { id: 'change', label: 'Install or remove', view: ChangePanel },
  { id: 'site', label: 'Check a site', view: CheckSitePanel },
] as const
type TabId = (typeof TABS)[number]['id']

export function MachineView() {
  const [tab, setTab] = useState<TabId>('stores')
  const View = TABS.find((t) => t.id === tab)!.view
  return (
    <>
      <ScreenHeader title="This machine" subtitle="The trust stores on this computer, and whether they trust your roots." />
      <Tabs label="This machine" tabs={TABS} current={tab} onChange={setTab} idPrefix="machine" panelClassName="machine-panel">
        <View />
      </Tabs>
    </>
  )
}
