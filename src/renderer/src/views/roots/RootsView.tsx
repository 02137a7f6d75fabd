import { EmptyState } from '../../components/EmptyState'
import { NeedsProfile } from '../../components/NeedsProfile'
import { AccountPicker } from '../../components/ScopePicker'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAccount } from '../../components/useScope'
import { AccessRootsPanel } from './AccessRootsPanel'
import { CheckCertificatePanel } from './CheckCertificatePanel'
import { MtlsCasPanel } from './MtlsCasPanel'
import { useMemo } from 'react'

export function RootsView() {
  const { profile, account } = useAccount()
  const key = useMemo(() => (profile && account ? { profileId: profile.id, accountId: account.id } : null), [profile, account])
  return (
    <>
      <ScreenHeader
        title="Roots & CAs"
        subtitle="Access mTLS roots and account mTLS CAs (bring your own CA)."
        actions={<AccountPicker />}
      />
      <CheckCertificatePanel />
      <NeedsProfile>
        {profile && account && key ? (
          <>
            <AccessRootsPanel key={`${profile.id}/${account.id}`} profile={profile} accountId={account.id} />
            <MtlsCasPanel account={key} accountName={account.name} />
          </>
        ) : (
          <EmptyState title="This profile has no account">
            The token of this profile can see no account. Give it account access in the Cloudflare dashboard, then verify the profile in
            Settings.
          </EmptyState>
        )}
      </NeedsProfile>
    </>
  )
}
