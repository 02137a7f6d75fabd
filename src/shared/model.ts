/**
 * Domain shapes shared by main, preload and renderer, as zod schemas so the same definition
 * validates IPC payloads in main and types the renderer (which imports only the types).
 */
import { z } from 'zod'
import { DEFAULT_RATE_SHARE, MIN_RATE_SHARE, VALIDITY_YEARS } from './constants'

/** An error as the user reads it: what happened and, when known, what to do (an AppError's message and hint). */
export const ErrorMessage = z.object({ message: z.string(), hint: z.string().optional() })
export type ErrorMessage = z.infer<typeof ErrorMessage>

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

/** Validity choices of the create wizard, in years (the dashboard's list). */
const ValidityYearsChoice = z.literal(VALIDITY_YEARS)

/**
 * The settings fields with no defaults. The stored shape below adds the defaults; the patch is made
 * from these, because zod 4 still fills `.default()` values into a `.partial()` schema, so a patch
 * derived from `Settings` would write every default it did not name (changing the theme reset the
 * active profile).
 */
const SettingsFields = z.object({
  theme: Theme,
  /** Profile whose account and zones the screens show. */
  activeProfileId: z.string().nullable(),
  /**
   * The expiring window: certificates expiring within this many days get a warning badge on every screen, are
   * "expiring" on the expiry radar, and are notified once a day.
   */
  expiringSoonDays: z.number().int().min(1).max(365),
  /** The create wizard's default validity; the dashboard's default is 10 years. */
  defaultValidityYears: ValidityYearsChoice,
  /** Fraction of Cloudflare's per-user rate budget the app and the CLI may use together. */
  cloudflareRateShare: z.number().min(MIN_RATE_SHARE).max(1),
  windowBounds: WindowBounds.nullable(),
})

export const Settings = z.object({
  theme: SettingsFields.shape.theme.default('system'),
  activeProfileId: SettingsFields.shape.activeProfileId.default(null),
  expiringSoonDays: SettingsFields.shape.expiringSoonDays.default(30),
  defaultValidityYears: SettingsFields.shape.defaultValidityYears.default(10),
  cloudflareRateShare: SettingsFields.shape.cloudflareRateShare.default(DEFAULT_RATE_SHARE),
  windowBounds: SettingsFields.shape.windowBounds.default(null),
})
export type Settings = z.infer<typeof Settings>

/** The fields the renderer may change; window bounds are main's business. Never carries defaults. */
export const SettingsPatch = SettingsFields.omit({ windowBounds: true }).partial().strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

/** The API token lengths a profile accepts (Cloudflare's are 40; the schema allows others, the log redacts them all). */
export const TOKEN_MIN_LENGTH = 20
export const TOKEN_MAX_LENGTH = 200

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
    token: z
      .string()
      .trim()
      .min(TOKEN_MIN_LENGTH, 'That token is too short to be a Cloudflare API token')
      .max(TOKEN_MAX_LENGTH)
      .regex(/^[A-Za-z0-9_-]+$/, 'A Cloudflare API token has only letters, digits, "-" and "_"'),
  }),
  z.object({
    kind: z.literal('sandbox'),
    name: z.string().trim().min(1).max(100).default('Sandbox'),
  }),
])
export type ProfileAddRequest = z.input<typeof ProfileAddRequest>

export const ActivityOutcome = z.enum(['ok', 'failed', 'cancelled', 'unknown'])
export type ActivityOutcome = z.infer<typeof ActivityOutcome>

export const ActivityEntry = z.object({
  at: z.iso.datetime(),
  /** The OS user who made the change. */
  actor: z.string(),
  /** Dotted verb, e.g. `profile.add`, `clientCert.revoke`. */
  action: z.string(),
  /** One line naming what was acted on (kept for files written before objectName/objectId). */
  target: z.string(),
  /** `ok` is shown as "Succeeded"; `unknown`: the app could not tell (e.g. the connection dropped mid-change). */
  outcome: ActivityOutcome,
  profileId: z.string().optional(),
  /** The profile's name when the entry was written (the id alone says nothing once it is removed). */
  profile: z.string().optional(),
  /** The object's own id (Cloudflare id, key id, SHA-256 fingerprint) and name (common name, label, subject). */
  objectId: z.string().optional(),
  objectName: z.string().optional(),
  /** Why it failed or was cancelled, in the user's words (an AppError message; never a secret). */
  reason: z.string().optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
})
export type ActivityEntry = z.infer<typeof ActivityEntry>

/** An entry as the Activity screen gets it: with its action in words, as the app that reads it knows them. */
export const ActivityRow = ActivityEntry.extend({ words: z.string() })
export type ActivityRow = z.infer<typeof ActivityRow>

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

/** Who a certificate names and who issued it, as text: how every list of certificates tells one from another. */
export const CertificateNames = z.object({ subject: z.string(), issuer: z.string() })

export const Progress = z.object({
  jobId: z.string(),
  label: z.string(),
  done: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  message: z.string().optional(),
})
export type Progress = z.infer<typeof Progress>
