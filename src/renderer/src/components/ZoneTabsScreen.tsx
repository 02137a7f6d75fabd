import { useState, type ComponentType, type ReactNode } from 'react'
import type { ZoneScope } from '../store/scope'
import { NeedsProfile } from './NeedsProfile'
import { NoZone } from './NoZone'
import { ScreenHeader } from './ScreenHeader'
import { ZonePicker } from './ScopePicker'
import { Tabs } from './Tabs'
import { useZoneScope } from './useScope'

/** One tab of a zone's screen: its id, its label, and the view it shows for the chosen zone. */
export interface ZoneTab<T extends string> {
  id: T
  label: string
  view: ComponentType<{ zone: ZoneScope; zoneName: string }>
}

/**
 * A screen of a zone in tabs: the header with the zone picker (and `actions`), then the first tab's view, or another
 * one chosen, over the chosen zone; without a profile or zone, what to do first.
 */
export function ZoneTabsScreen<T extends string>({
  title,
  subtitle,
  actions,
  label,
  tabs,
  idPrefix,
}: {
  title: string
  subtitle: string
  actions?: ReactNode
  /** The tab list's name. */
  label: string
  tabs: ReadonlyArray<ZoneTab<T>>
  idPrefix: string
}) {
  const { zone, scope } = useZoneScope()
  const [tab, setTab] = useState<T>(tabs[0]!.id)
  const View = (tabs.find((t) => t.id === tab) ?? tabs[0]!).view
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
            <View zone={scope} zoneName={zone.name} />
          </Tabs>
        ) : (
          <NoZone />
        )}
      </NeedsProfile>
    </>
  )
}
