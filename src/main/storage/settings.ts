import { join } from 'node:path'
import { Settings, type SettingsPatch, type StorageProblem, type WindowBounds } from '../../shared/model'
import { JsonFile } from './json-file'

export class SettingsStore {
  private readonly file: JsonFile<typeof Settings>

  constructor(dir: string, onProblem: (problem: StorageProblem) => void) {
    this.file = new JsonFile(join(dir, 'settings.json'), Settings, () => Settings.parse({}), onProblem)
  }

  get(): Settings {
    return this.file.read()
  }

  /** Changes only the fields the patch names; a field given as undefined is left as it is. */
  set(patch: SettingsPatch): Settings {
    const named = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))
    return this.file.update((current) => ({ ...current, ...named }))
  }

  setWindowBounds(bounds: WindowBounds): void {
    this.file.update((current) => ({ ...current, windowBounds: bounds }))
  }
}
