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

const TABS = [
  { id: 'stores', label: 'Stores and roots' },
  { id: 'verify', label: 'Verify a root' },
  { id: 'change', label: 'Install or remove' },
  { id: 'site', label: 'Check a site' },
] as const
type TabId = (typeof TABS)[number]['id']

export function MachineView() {
  const [tab, setTab] = useState<TabId>('stores')
  return (
    <>
      <ScreenHeader title="This machine" subtitle="The trust stores on this computer, and whether they trust your roots." />
      <Tabs label="This machine" tabs={TABS} current={tab} onChange={setTab} idPrefix="machine" panelClassName="machine-panel">
        {tab === 'stores' ? <StoresPanel /> : tab === 'verify' ? <VerifyPanel /> : tab === 'change' ? <ChangePanel /> : <CheckSitePanel />}
      </Tabs>
    </>
  )
}
