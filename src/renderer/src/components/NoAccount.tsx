import { EmptyState } from './EmptyState'

/** What an account-scoped screen shows when the profile's token can see no account. */
export function NoAccount() {
  return (
    <EmptyState title="This profile has no account">
      The token of this profile can see no account. Give it account access in the Cloudflare dashboard, then verify the profile in Settings.
    </EmptyState>
  )
}
