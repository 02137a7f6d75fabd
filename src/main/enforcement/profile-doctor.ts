// The mTLS doctor over the zones of a profile (issue #13 §3): the BYO CAs are found without the user naming them (the
// account mTLS certificates that are your own CAs, in each zone's account), each zone's associations (managed CA and those CAs)
// and custom rules are read, and diagnoseZones judges them all. A zone that cannot be read is reported with its error
// and counts as not enforced; an account whose CAs cannot be listed is said, never silently skipped.
import { AppError } from '../../shared/errors'
import type { ResponseOf } from '../../shared/contract'
import type { AccountRef, ZoneRef } from '../../shared/model'
import { type ZoneEnforcement, diagnoseZones } from './doctor'

type ProfileDoctorReport = ResponseOf<'rules:doctorProfile'>
type ZoneReport = ProfileDoctorReport['zones'][number]
type CaSummary = ProfileDoctorReport['cas'][number]

/** What the doctor needs of the Cloudflare service (CloudflareService satisfies it). */
export interface ProfileDoctorSource {
  listZones(profileId: string): Promise<Array<ZoneRef & { accountId?: string }>>
  run(
    key: 'mtls.list',
    request: { profileId: string; accountId: string },
  ): Promise<Array<{ id: string; name?: string; ca: boolean; type?: string }>>
  run(key: 'rules.zoneEnforcement', request: { profileId: string; zoneId: string; caIds?: string[] }): Promise<ZoneEnforcement>
}

export interface ProfileDoctorRequest {
  profile: { id: string; accounts: readonly AccountRef[] }
  /** Only these zones (the Enforcement tab's one zone); default every zone the token sees. */
  zoneIds?: readonly string[] | undefined
}

/** Zones read at once: each costs 2 + CAs requests, paced by the rate limiter anyway. */
const CONCURRENCY = 4

const failure = (error: unknown): NonNullable<ZoneReport['error']> => {
  if (!(error instanceof AppError)) throw error
  return { code: String(error.code), message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export async function doctorProfile(source: ProfileDoctorSource, request: ProfileDoctorRequest): Promise<ProfileDoctorReport> {
  const profileId = request.profile.id
  const seen = await source.listZones(profileId)
  const wanted = request.zoneIds ?? seen.map((z) => z.id)
  // The zone's account as Cloudflare lists it; a profile with one account owns every zone it sees.
  const only = request.profile.accounts.length === 1 ? request.profile.accounts[0]!.id : undefined
  const zones = wanted.map((id) => {
    const zone = seen.find((z) => z.id === id)
    return { id, name: zone?.name, accountId: zone?.accountId ?? only }
  })
  const notes: string[] = []
  const cas: CaSummary[] = []
  const accountName = (id: string) => request.profile.accounts.find((a) => a.id === id)?.name ?? id
  for (const accountId of new Set(zones.flatMap((z) => (z.accountId === undefined ? [] : [z.accountId])))) {
    try {
      const list = await source.run('mtls.list', { profileId, accountId })
      // Your own CAs (BYO, API Shield): Gateway's managed CAs are Cloudflare's and have no hostname associations.
      for (const c of list)
        if (c.ca && (c.type === undefined || c.type === 'custom')) cas.push({ id: c.id, accountId, ...(c.name ? { name: c.name } : {}) })
    } catch (error) {
      const { message } = failure(error)
      notes.push(
        `The CAs of account ${accountName(accountId)} could not be listed (${message}); only the hostnames of each zone's ` +
          'Cloudflare-managed CA were checked there.',
      )
    }
  }
  const unknownAccount = zones.filter((z) => z.accountId === undefined).map((z) => z.name ?? z.id)
  if (unknownAccount.length > 0) {
    notes.push(
      `The account of ${unknownAccount.join(', ')} is not known, so only the Cloudflare-managed CA's hostnames were checked there.`,
    )
  }

  const read = await mapLimited(zones, CONCURRENCY, async (zone) => {
    const caIds = cas.filter((c) => c.accountId === zone.accountId).map((c) => c.id)
    try {
      const state = await source.run('rules.zoneEnforcement', { profileId, zoneId: zone.id, ...(caIds.length ? { caIds } : {}) })
      return { zone, state }
    } catch (error) {
      return { zone, error: failure(error) }
    }
  })
  const judged = diagnoseZones(read.flatMap((r) => (r.state === undefined ? [] : [r.state])))
  let k = 0
  const reports: ZoneReport[] = read.map((r) => {
    if (r.state === undefined) {
      return { zoneId: r.zone.id, ...(r.zone.name ? { zone: r.zone.name } : {}), hostnames: [], findings: [], error: r.error! }
    }
    return { zoneId: r.zone.id, ...judged.zones[k++]! }
  })
  return { enforced: reports.every((r) => r.error === undefined && r.findings.length === 0), cas, notes, zones: reports }
}
