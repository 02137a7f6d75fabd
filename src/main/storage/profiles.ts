import { join } from 'node:path'
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import { Profile, type StorageProblem } from '../../shared/model'
import { JsonFile } from './json-file'

const ProfilesFile = z.object({ version: z.literal(1), profiles: z.array(Profile) })

/** Profile metadata only. Tokens live in the OS keychain (see secrets/keychain.ts), never here. */
export class ProfileStore {
  private readonly file: JsonFile<typeof ProfilesFile>

  constructor(dir: string, onProblem: (problem: StorageProblem) => void) {
    this.file = new JsonFile(join(dir, 'profiles.json'), ProfilesFile, () => ({ version: 1 as const, profiles: [] }), onProblem)
  }

  get path(): string {
    return this.file.path
  }

  list(): Profile[] {
    return this.file.read().profiles
  }

  get(id: string): Profile {
    const profile = this.list().find((p) => p.id === id)
    if (!profile) throw new AppError('not_found', 'That profile no longer exists.', { hint: 'Pick another profile in Settings.' })
    return profile
  }

  add(profile: Profile): Profile {
    this.file.update((current) => {
      if (current.profiles.some((p) => p.name.toLowerCase() === profile.name.toLowerCase())) {
        throw new AppError('conflict', `A profile named "${profile.name}" already exists.`, { hint: 'Choose another name.' })
      }
      return { ...current, profiles: [...current.profiles, profile] }
    })
    return profile
  }

  update(id: string, change: (profile: Profile) => Profile): Profile {
    let updated: Profile | undefined
    this.file.update((current) => ({
      ...current,
      profiles: current.profiles.map((p) => (p.id === id ? (updated = change(p)) : p)),
    }))
    if (!updated) throw new AppError('not_found', 'That profile no longer exists.')
    return updated
  }

  remove(id: string): boolean {
    let removed = false
    this.file.update((current) => {
      const profiles = current.profiles.filter((p) => p.id !== id)
      removed = profiles.length !== current.profiles.length
      return { ...current, profiles }
    })
    return removed
  }
}
