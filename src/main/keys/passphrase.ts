/**
 * How hard a backup passphrase is to guess, by zxcvbn-ts (Dropbox's zxcvbn estimator, maintained as
 * @zxcvbn-ts: dictionaries of common passwords, names and words, keyboard patterns, dates, repeats). Runs in main
 * (its dictionaries stay out of the renderer bundle); loaded on first use.
 */
import { AppError } from '../../shared/errors'
import type { PassphraseStrength } from '../../shared/contract/vault'

/** zxcvbn's score 3: at least 10^8 guesses ("safely unguessable" against an offline attack on a slow hash). */
export const MIN_PASSPHRASE_SCORE = 3

type Zxcvbn = (password: string) => { score: number; guessesLog10: number }
let estimator: Promise<Zxcvbn> | undefined

function load(): Promise<Zxcvbn> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(([core, common]) => {
    core.zxcvbnOptions.setOptions({ dictionary: common.dictionary, graphs: common.adjacencyGraphs })
    return (password: string) => core.zxcvbn(password)
  })
  return estimator
}

export async function passphraseStrength(passphrase: string): Promise<PassphraseStrength> {
  // zxcvbn's cost grows with length; beyond 100 characters the estimate no longer changes what we say.
  const result = (await load())(passphrase.slice(0, 100))
  const score = Math.max(0, Math.min(4, result.score)) as PassphraseStrength['score']
  return { score, guessesLog10: Math.round(result.guessesLog10 * 10) / 10, acceptable: score >= MIN_PASSPHRASE_SCORE }
}

/** Refuses a passphrase an attacker with the backup file could guess. */
export async function assertStrongPassphrase(passphrase: string): Promise<void> {
  if (!passphrase) {
    throw new AppError('bad_input', 'A backup needs a passphrase.', { hint: 'Choose one you can keep: four or more random words.' })
  }
  const strength = await passphraseStrength(passphrase)
  if (!strength.acceptable) {
    throw new AppError(
      'bad_input',
      `This passphrase is too easy to guess (strength ${strength.score} of 4, about 10^${Math.floor(strength.guessesLog10)} ` +
        `guesses): whoever gets the backup file could find it.`,
      {
        hint: `Use four or more random words, or a longer mix; strength ${MIN_PASSPHRASE_SCORE} of 4 is the minimum.`,
        details: { reason: 'weak_passphrase', score: strength.score },
      },
    )
  }
}
