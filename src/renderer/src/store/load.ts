/** The one shape of a slice's load, shared by the slices that keep what main answers in one field. */
import type { Result } from '../../../shared/errors'
import type { SliceCreator, State } from '.'
import { attempt } from '../api'

type Set = Parameters<SliceCreator<unknown>>[0]
type Get = Parameters<SliceCreator<unknown>>[1]

/** Runs `work`, keeps its value in `key` when it answers, reports a failure (as every action does) and answers the Result. */
export async function loadInto<K extends keyof State, T extends State[K]>(
  set: Set,
  get: Get,
  key: K,
  work: () => Promise<T>,
): Promise<Result<T>> {
  const result = await attempt(work)
  if (result.ok) {
    const patch: Partial<State> = {}
    patch[key] = result.value
    set(patch)
  }
  get().report(result)
  return result
}
