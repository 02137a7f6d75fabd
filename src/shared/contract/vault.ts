/**
 * `vault:*`: the vault as a whole — backups (written where the user picks in a save dialog), restores (the file
 * chosen through main's open dialog, never a path from the renderer), and which CA keys are in no backup yet.
 */
import { z } from 'zod'
import { NoInput, req } from './fields'

/** zxcvbn's estimate of a passphrase: score 0–4, log10 of the guesses, and whether a backup accepts it. */
export const PassphraseStrength = z.object({
  score: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  guessesLog10: z.number(),
  acceptable: z.boolean(),
})
export type PassphraseStrength = z.infer<typeof PassphraseStrength>

/** A CA key that no recorded backup holds, and since when (its creation). */
export const UnbackedKey = z.object({ id: z.string(), label: z.string(), since: z.iso.datetime() })

export const BackupStatus = z.object({
  /** The latest backup written from this vault. */
  last: z.object({ at: z.iso.datetime(), path: z.string(), keys: z.number().int() }).nullable(),
  /** Keys in no backup yet (CA keys, i.e. keys whose certificate is a CA; every key if `all`). */
  unbackedCaKeys: z.array(UnbackedKey),
  unbackedKeys: z.number().int(),
})
export type BackupStatus = z.infer<typeof BackupStatus>

export const RestoreResult = z.object({
  restored: z.array(z.object({ id: z.string(), label: z.string() })),
  alreadyHere: z.array(z.object({ id: z.string(), label: z.string() })),
  conflicts: z.array(z.object({ id: z.string(), label: z.string(), keptLabel: z.string() })),
  activity: z.number().int(),
})
export type RestoreResult = z.infer<typeof RestoreResult>

const Passphrase = z.string().min(1, 'Type a passphrase').max(1024)

export const vaultContract = {
  /** The latest backup and the CA keys in no backup yet (since when). */
  'vault:status': { request: NoInput, response: BackupStatus },
  /** The strength meter: estimated in main, where the estimator's dictionaries stay. */
  'vault:strength': { request: req({ passphrase: z.string().max(1024) }), response: PassphraseStrength },
  /** Every key into one encrypted .p12 where the user picks in a save dialog; the passphrase typed twice. */
  'vault:backup': {
    request: req({ passphrase: Passphrase, repeat: z.string().max(1024) }).refine((r) => r.passphrase === r.repeat, {
      message: 'The two passphrases differ',
      path: ['repeat'],
    }),
    response: z.object({ savedTo: z.string().nullable(), keys: z.number().int() }),
  },
  /** A backup chosen in main's open dialog, checked whole, confirmed in main, then restored; null when cancelled. */
  'vault:restore': { request: req({ passphrase: Passphrase }), response: RestoreResult.nullable() },
} as const
