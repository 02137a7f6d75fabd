/**
 * Domain shapes shared by main, preload and renderer, as zod schemas so the same definition
 * validates IPC payloads in main and types the renderer (which imports only the types).
 */
import { z } from 'zod'
import { DEFAULT_RATE_SHARE, MIN_RATE_SHARE } from './constants'

export const Theme = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof Theme>

export const WindowBounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
})
export type WindowBounds = z.infer<typeof WindowBounds>

/** The settings a user may change, without defaults: a patch must not reset what it does not name. */
const SettingsFields = {
  theme: Theme,
  /** Profile whose account and zones the screens show. */
  activeProfileId: z.string().nullable(),
  /** Client certificates expiring within this many days get a warning badge. */
  expiringSoonDays: z.number().int().min(1).max(365),
  /** The create wizard's default validity; the dashboard's default is 10 years (seed 000). */
  defaultValidityYears: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(5), z.literal(10), z.literal(15)]),
  /** Fraction of Cloudflare's per-user rate budget the app and the CLI may use together. */
  cloudflareRateShare: z.number().min(MIN_RATE_SHARE).max(1),
}

export const Settings = z.object({
  theme: SettingsFields.theme.default('system'),
  activeProfileId: SettingsFields.activeProfileId.default(null),
  expiringSoonDays: SettingsFields.expiringSoonDays.default(30),
  defaultValidityYears: SettingsFields.defaultValidityYears.default(10),
  cloudflareRateShare: SettingsFields.cloudflareRateShare.default(DEFAULT_RATE_SHARE),
  windowBounds: WindowBounds.nullable().default(null),
})
export type Settings = z.infer<typeof Settings>

/** The fields the renderer may change; window bounds are main's business. */
export const SettingsPatch = z.object(SettingsFields).partial().strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const ProfileKind = z.enum(['cloudflare', 'sandbox'])
export type ProfileKind = z.infer<typeof ProfileKind>

export const ZoneRef = z.object({ id: z.string(), name: z.string() })
export type ZoneRef = z.infer<typeof ZoneRef>

export const AccountRef = z.object({ id: z.string(), name: z.string() })
export type AccountRef = z.infer<typeof AccountRef>

/** A profile as stored and as the renderer sees it: never the token itself. */
export const Profile = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(100),
  kind: ProfileKind,
  createdAt: z.iso.datetime(),
  /** Last four characters of the token, so people can tell tokens apart without seeing them. */
  tokenHint: z.string().max(8).optional(),
  accounts: z.array(AccountRef).default([]),
  zones: z.array(ZoneRef).default([]),
  /** Where API calls go: Cloudflare's API or a Sandbox server. */
  baseUrl: z.url().optional(),
  /** Permissions Certdesk needs that the token was found to lack, at the last verification. */
  missingPermissions: z.array(z.string()).default([]),
  /** When the token was last verified with Cloudflare. */
  verifiedAt: z.iso.datetime().optional(),
})
export type Profile = z.infer<typeof Profile>

export const ProfileAddRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('cloudflare'),
    name: z.string().trim().min(1, 'Give the profile a name').max(100),
    // Cloudflare API tokens are 40 URL-safe characters; accept a little slack for future formats.
    token: z.string().trim().min(20, 'That token is too short to be a Cloudflare API token').max(200).regex(/^[A-Za-z0-9_-]+$/, 'A Cloudflare API token has only letters, digits, "-" and "_"'),
  }),
  z.object({
    kind: z.literal('sandbox'),
    name: z.string().trim().min(1).max(100).default('Sandbox'),
  }),
])
export type ProfileAddRequest = z.input<typeof ProfileAddRequest>

export const ActivityEntry = z.object({
  at: z.iso.datetime(),
  /** The OS user who made the change. */
  actor: z.string(),
  /** Dotted verb, e.g. `profile.add`, `clientCert.revoke`. */
  action: z.string(),
  target: z.string(),
  outcome: z.enum(['ok', 'failed']),
  profileId: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
})
export type ActivityEntry = z.infer<typeof ActivityEntry>

export const ActivityQuery = z
  .object({
    action: z.string().max(100).optional(),
    text: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(10_000).default(500),
  })
  .strict()
export type ActivityQuery = z.input<typeof ActivityQuery>

export const StorageProblem = z.object({
  file: z.string(),
  movedTo: z.string(),
  reason: z.string(),
  at: z.iso.datetime(),
})
export type StorageProblem = z.infer<typeof StorageProblem>

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  versions: z.record(z.string(), z.string()),
  userDataDir: z.string(),
  /** Storage files found corrupt at start-up and moved aside, so the UI can say so. */
  storageProblems: z.array(StorageProblem),
})
export type AppInfo = z.infer<typeof AppInfo>

export const Progress = z.object({
  jobId: z.string(),
  label: z.string(),
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  message: z.string().optional(),
})
export type Progress = z.infer<typeof Progress>
