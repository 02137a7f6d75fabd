import { EmptyState } from './EmptyState'

/** What a zone-scoped screen shows when the profile's token can see no zone. */
export function NoZone() {
  return (
    <EmptyState title="This profile has no zones">
      The token of this profile can see no zone. Give it access to a zone in the Cloudflare dashboard, then verify the profile in Settings.
    </EmptyState>
  )
}
