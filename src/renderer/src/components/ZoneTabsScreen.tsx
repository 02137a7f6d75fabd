import { useState, type ReactNode } from 'react'
import type { ZoneScope } from '../store/scope'
import { NeedsProfile } from './NeedsProfile'
import { NoZone } from './NoZone'
import { ScreenHeader } from './ScreenHeader'
import { ZonePicker } from './ScopePicker'
import { Tabs } from './Tabs'
import { useZoneScope } from './useScope'

/**
 * A screen of a zone in tabs: the header with the zone picker (and `actions`), then the first tab, or another one
 * chosen, over the chosen zone; without a profile or zone, what to do first.
 */
export function ZoneTabsScreen<T extends string>({
  title,
  subtitle,
  actions,
  label,
  tabs,
  idPrefix,
  children,
}: {
  title: string
  subtitle: string
  actions?: ReactNode
  /** The tab list's name. */
  label: string
  tabs: ReadonlyArray<{ id: T; label: string }>
  idPrefix: string
  /** The current tab's content. */
  children: (tab: T, zone: ZoneScope, zoneName: string) => ReactNode
}) {
  const { zone, scope } = useZoneScope()
  const [tab, setTab] = useState<T>(tabs[0]!.id)
  return (
    <>
      <ScreenHeader
        title={title}
        subtitle={subtitle}
        actions={
          <>
            <ZonePicker />
            {actions}
          </>
        }
      />
      <NeedsProfile>
        {scope && zone ? (
          <Tabs label={label} tabs={tabs} current={tab} onChange={setTab} idPrefix={idPrefix}>
            {children(tab, scope, zone.name)}
          </Tabs>
        ) : (
          <NoZone />
        )}
      </NeedsProfile>
    </>
  )
}
