/**
 * `rollover:*`: the Gateway root rollover runbook, one per profile and account: choose or create the new root,
 * export the fleet kit, watch coverage from imported reports, switch (only at or above the admin's threshold and
 * after a confirmation asked by main), then retire the old root. Every step is kept on disk and resumable.
 */
import { z } from 'zod'
import { Account, Id, JobId, req } from './fields'
import { FleetKitResult } from './fleet'

export const RolloverStep = z.enum(['kit', 'coverage', 'switching', 'switched', 'retired'])
export type RolloverStep = z.infer<typeof RolloverStep>

export const ThresholdPercent = z.number().int().min(1).max(100)

export const RolloverState = z.object({
  version: z.literal(1),
  profileId: z.string(),
  accountId: z.string(),
  step: RolloverStep,
  /** The share of reporting machines that must trust the new root before the switch, in percent. */
  thresholdPercent: ThresholdPercent,
  startedAt: z.string(),
  /** What Gateway inspected with when the runbook started; null: Cloudflare's own certificate. */
  oldCertificateId: z.string().nullable(),
  /** Null only while a create is in flight (`creating`). */
  newCertificate: z
    .object({ id: z.string(), sha256: z.string().nullable(), issuerOrg: z.string().nullable(), expiresOn: z.string().nullable() })
    .nullable(),
  /** A create recorded before it was sent: the ids there were then, so a resumed create adopts the one it made. */
  creating: z.object({ at: z.string(), knownIds: z.array(z.string()) }).nullable(),
  kitExportedAt: z.string().nullable(),
  coverage: z
    .object({ trusted: z.number().int(), total: z.number().int(), at: z.string(), folder: z.string(), problems: z.number().int() })
    .nullable(),
  confirmedAt: z.string().nullable(),
  /** Recorded before the activation is sent: a resumed switch re-reads the certificate before sending another. */
  activateSentAt: z.string().nullable(),
  switchedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  log: z.array(z.object({ at: z.string(), text: z.string() })),
})
export type RolloverState = z.infer<typeof RolloverState>

const Scope = req(Account)

export const rolloverContract = {
  'rollover:status': { request: Scope, response: RolloverState.nullable() },
  /** Start with an existing Gateway certificate (`certificateId`) or a new Cloudflare-managed one (`create`): inactive, unused. */
  'rollover:start': {
    request: req({
      ...Account,
      certificateId: Id.optional(),
      create: z.boolean().optional(),
      thresholdPercent: ThresholdPercent.optional(),
    }),
    response: RolloverState,
  },
  'rollover:kitExported': { request: Scope, response: RolloverState },
  /** Write the new root's fleet kit into a folder chosen in main, and mark the step done (unchanged when cancelled). */
  'rollover:exportKit': { request: Scope, response: z.object({ state: RolloverState, kit: FleetKitResult }) },
  'rollover:setThreshold': { request: req({ ...Account, thresholdPercent: ThresholdPercent }), response: RolloverState },
  /** Coverage of the new root from the folder of reports last imported (reports:import), or one chosen now. */
  'rollover:recordCoverage': { request: Scope, response: RolloverState.nullable() },
  'rollover:switch': { request: req({ ...Account, jobId: JobId.optional() }), response: RolloverState },
  'rollover:retire': { request: Scope, response: RolloverState },
  /** Drop a runbook that has not switched (nothing at Cloudflare changes). */
  'rollover:abandon': { request: Scope, response: z.object({ abandoned: z.boolean() }) },
} as const
