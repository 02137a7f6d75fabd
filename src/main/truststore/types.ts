/**
 * The one interface every trust-store backend implements. Stores are independent: each reports
 * its own outcome, and every change is re-checked by fingerprint afterwards.
 */
import type { StoreDescription, StoreOutcome } from '../../shared/truststore-model'
import type { RootCertificate, StoredCert } from './certificates'
import type { Fingerprint } from '../certs/fingerprint'
import { digest } from '../certs/fingerprint'

export interface TrustStore {
  readonly id: string
  describe(): StoreDescription
  list(): Promise<StoredCert[]>
  find(fingerprint: Fingerprint): Promise<StoredCert[]>
  install(root: RootCertificate): Promise<StoreOutcome>
  /** Removes only the certificate(s) with exactly this fingerprint (SHA-256, or SHA-1). */
  remove(fingerprint: Fingerprint): Promise<StoreOutcome>
}

/** A store whose lookups go through its listing: `find` is `list()` filtered by fingerprint. */
export abstract class ListedStore implements TrustStore {
  abstract readonly id: string
  abstract describe(): StoreDescription
  abstract list(): Promise<StoredCert[]>
  abstract install(root: RootCertificate): Promise<StoreOutcome>
  abstract remove(fingerprint: Fingerprint): Promise<StoreOutcome>

  async find(fp: Fingerprint): Promise<StoredCert[]> {
    return findIn(await this.list(), fp)
  }
}

export function matches(entry: StoredCert, fp: Fingerprint): boolean {
  switch (fp.algorithm) {
    case 'sha256':
      return entry.sha256 === fp.hex
    case 'sha1':
      return entry.sha1 === fp.hex
    case 'md5':
      return entry.der !== undefined && derMatches(entry.der, fp)
  }
}

/** Whether a certificate has this fingerprint, from its DER alone (no decoding). */
export function derMatches(der: Buffer, fp: Fingerprint): boolean {
  return digest(der, fp.algorithm) === fp.hex
}

export function findIn(entries: StoredCert[], fp: Fingerprint): StoredCert[] {
  return entries.filter((e) => matches(e, fp))
}

export function outcome(
  store: TrustStore,
  status: StoreOutcome['status'],
  message: string,
  extra: Partial<StoreOutcome> = {},
): StoreOutcome {
  const d = store.describe()
  return { storeId: d.id, label: d.label, status, message, ...extra }
}

/** The fingerprint a store should match a root by: SHA-256 everywhere it lists DER. */
export function sha256Of(root: RootCertificate): Fingerprint {
  return { algorithm: 'sha256', hex: root.summary.sha256 }
}
