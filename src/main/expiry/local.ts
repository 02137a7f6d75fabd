/**
 * The radar's sources on this machine: the vault's certificates (local CAs and the certificates they issued; a
 * certificate Cloudflare issued or holds is listed by its Cloudflare source instead) and the roots added to this
 * machine's trust stores (the distribution's own roots are not Certdesk's to renew).
 */
import * as x509 from '@peculiar/x509'
import type { ExpiryWhere } from '../../shared/expiry-model'
import { decodePem } from '../pki/encode'
import type { KeyVault } from '../secrets/vault'
import type { TrustService } from '../truststore'
import type { Entry } from './radar'
import type { Source } from './sources'

const VAULT_WHERE: ExpiryWhere = { text: 'This machine · vault' }

function isCa(cert: x509.X509Certificate): boolean {
  return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true
}

/** The vault's certificates split into CAs and the rest, read once for both sources. */
function vaultEntries(vault: KeyVault): { ca: Entry[]; issued: Entry[] } {
  const ca: Entry[] = []
  const issued: Entry[] = []
  for (const entry of vault.list()) {
    if (!entry.certificate || entry.certificate.cloudflareId) continue
    try {
      const cert = new x509.X509Certificate(decodePem(entry.certificate.pem, ['CERTIFICATE'], 'a certificate').der)
      const name = entry.label || (cert.subjectName.getField('CN')[0] ?? cert.subject)
      ;(isCa(cert) ? ca : issued).push({ id: entry.id, name, notAfter: cert.notAfter.toISOString() })
    } catch {
      // A certificate that cannot be decoded has no date to show; the Keys screen reports it.
    }
  }
  return { ca, issued }
}

export function vaultSources(vault: KeyVault): Source[] {
  return [
    {
      key: 'localCa:vault',
      surface: 'localCa',
      label: 'This machine · vault · Local CAs',
      where: VAULT_WHERE,
      fetch: async () => vaultEntries(vault).ca,
    },
    {
      key: 'issuedCert:vault',
      surface: 'issuedCert',
      label: 'This machine · vault · Issued certificates',
      where: VAULT_WHERE,
      fetch: async () => vaultEntries(vault).issued,
    },
  ]
}

export function trustSource(trust: () => TrustService): Source {
  return {
    key: 'installedRoot:machine',
    surface: 'installedRoot',
    label: 'This machine · trust stores · Installed roots',
    where: { text: 'This machine · trust stores' },
    fetch: async () => {
      const listings = await trust().list()
      const seen = new Map<string, Entry & { stores: string[] }>()
      for (const listing of listings) {
        for (const root of listing.entries) {
          if (root.origin !== 'local') continue
          const id = root.sha256 ?? root.sha1
          const known = seen.get(id)
          if (known) known.stores.push(listing.store.label)
          else seen.set(id, { id, name: root.subject, notAfter: new Date(root.notAfter).toISOString(), stores: [listing.store.label] })
        }
      }
      return [...seen.values()].map(({ stores, ...e }) => ({ ...e, name: `${e.name} (${stores.join(', ')})` }))
    },
  }
}
