/**
 * mTLS enforcement of one zone (Cloudflare docs: "Configure mTLS"): its custom rules and the doctor's report (the
 * hostnames that ask for a certificate, managed CA and BYO CAs, and what the rules do on each), Enforce as plan then
 * write (main asks the user before writing), and Test access (main reads the vault key; no key reaches the renderer).
 */
import type { ResponseOf } from '../../../shared/contract'
import type { Result } from '../../../shared/errors'
import type { ProbeOutcome, ProbeResult } from '../../../shared/probe-model'
import type { SliceCreator } from '.'
import { attempt } from '../api'
import { scopedView, scopeId, type ScopedViewState, type ZoneScope } from './scope'

export type ZoneDoctorReport = ResponseOf<'rules:doctorProfile'>['zones'][number]
export type DoctorCa = ResponseOf<'rules:doctorProfile'>['cas'][number]
export type CustomRuleset = ResponseOf<'rules:get'>
export type EnforcePlan = ResponseOf<'rules:planEnforce'>

/** What Enforce writes: the recommended rule for these hostnames, or the revocation clause added to `ruleId`. */
export interface EnforceTarget {
  hostnames: string[]
  ruleId?: string
}

export interface ZoneEnforcementView extends ScopedViewState {
  report: ZoneDoctorReport | null
  rules: CustomRuleset | null
  cas: DoctorCa[]
  notes: string[]
}

export interface TestAccessRequest {
  profileId: string
  url: string
  /** A vault key whose certificate is presented; absent (with noCert) for the request without a certificate. */
  keyId?: string
  noCert?: boolean
  expect?: ProbeOutcome
}

export interface EnforcementSlice {
  enforcement: ZoneEnforcementView
  /** Reads the zone's rules and runs the doctor on it (BYO CAs found by main). */
  loadEnforcement(zone: ZoneScope): Promise<void>
  /** The doctor for one zone, without touching the tab's view (the revoke warning). */
  doctorZone(zone: ZoneScope): Promise<Result<{ report: ZoneDoctorReport; cas: DoctorCa[] }>>
  planEnforce(zone: ZoneScope, target: EnforceTarget): Promise<Result<EnforcePlan>>
  /** Writes the plan made from `version` once main's own dialog was answered yes; the zone's view is read again. */
  enforce(zone: ZoneScope, target: EnforceTarget, version: string): Promise<Result<CustomRuleset>>
  testAccess(request: TestAccessRequest): Promise<Result<ProbeResult>>
}

const empty = (): ZoneEnforcementView => ({ scope: null, report: null, rules: null, cas: [], notes: [], loading: false, error: null })

const enforceRequest = (zone: ZoneScope, target: EnforceTarget) => ({
  profileId: zone.profileId,
  zoneId: zone.zoneId,
  hostnames: target.hostnames,
  ...(target.ruleId ? { ruleId: target.ruleId } : {}),
})

export const createEnforcementSlice: SliceCreator<EnforcementSlice> = (set, get, api) => {
  const load = scopedView(
    () => get().enforcement,
    (enforcement) => set({ enforcement }),
    empty,
  )
  const doctor = async (zone: ZoneScope) => {
    const result = await api.rules.doctorProfile({ profileId: zone.profileId, zoneIds: [zone.zoneId] })
    const report = result.zones[0]
    if (!report) throw new Error('The doctor answered without the zone.')
    return { result, report }
  }
  return {
    enforcement: empty(),
    loadEnforcement: (zone) =>
      load(scopeId.zone(zone), async () => {
        const [{ result, report }, rules] = await Promise.all([doctor(zone), api.rules.get(zone)])
        return { report, rules, cas: result.cas, notes: result.notes }
      }),
    doctorZone: async (zone) => {
      const result = await attempt(async () => {
        const { result: all, report } = await doctor(zone)
        return { report, cas: all.cas }
      })
      return result
    },
    planEnforce: async (zone, target) => {
      const result = await attempt(() => api.rules.planEnforce(enforceRequest(zone, target)))
      get().report(result)
      return result
    },
    enforce: async (zone, target, version) => {
      const result = await attempt(() => api.rules.enforce({ ...enforceRequest(zone, target), version }))
      get().report(result, `Rule written: the custom rules are now at version ${result.ok ? result.value.version : ''}.`)
      if (result.ok && get().enforcement.scope === scopeId.zone(zone)) void get().loadEnforcement(zone)
      return result
    },
    testAccess: (request) => attempt(() => api.rules.probe(request)),
  }
}
