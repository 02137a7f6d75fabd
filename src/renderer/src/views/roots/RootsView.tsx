import { NoAccount } from '../../components/NoAccount'
import { NeedsProfile } from '../../components/NeedsProfile'
import { AccountPicker } from '../../components/ScopePicker'
import { ScreenHeader } from '../../components/ScreenHeader'
import { useAccountScope } from '../../components/useScope'
import { AccessRootsPanel } from './AccessRootsPanel'
import { CheckCertificatePanel } from './CheckCertificatePanel'
import { MtlsCasPanel } from './MtlsCasPanel'

export function RootsView() {
  const { profile, account, scope } = useAccountScope()
  return (
    <>
      <ScreenHeader
        title="Roots & CAs"
        subtitle="Access mTLS roots and account mTLS CAs (bring your own CA)."
        actions={<AccountPicker />}
      />
      <CheckCertificatePanel />
      <NeedsProfile>
        {profile && account && scope ? (
          <>
            <AccessRootsPanel key={`${profile.id}/${account.id}`} profile={profile} accountId={account.id} />
            <MtlsCasPanel account={scope} accountName={account.name} />
          </>
        ) : (
          <NoAccount />
        )}
      </NeedsProfile>
    </>
  )
}
