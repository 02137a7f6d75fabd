/**
 * Scopes and scoped lists. A screen shows a list for one scope (a profile's zone or account); the
 * user may switch scope, or refresh, before an answer comes back. `scopedList` is the one place that
 * loads such a list: it keeps the rows of the same scope while refreshing (no flash of an empty
 * table), empties them for another scope, and ignores every answer but the newest load's.
 * "Key" is left to vault keys: what a list belongs to is its scope.
 */
import type { AccessScope } from '../../../shared/cloudflare-model'
import type { Failure } from '../../../shared/errors'
import type { State } from '.'
import { toFailure } from '../api'
import type { StoreApi } from 'zustand'

/** A zone of a profile: client certificates, hostnames. */
export interface ZoneScope {
  profileId: string
  zoneId: string
}

/** An account of a profile: Gateway certificates, account mTLS CAs, account Access roots. */
export interface AccountScope {
  profileId: string
  accountId: string
}

/** One string per scope, to compare what a list shows with what a screen asks for. */
export const scopeId = {
  zone: (s: ZoneScope) => `${s.profileId}/zone/${s.zoneId}`,
  account: (s: AccountScope) => `${s.profileId}/account/${s.accountId}`,
  access: (profileId: string, scope: AccessScope) =>
    scope.kind === 'account'
      ? scopeId.account({ profileId, accountId: scope.accountId })
      : scopeId.zone({ profileId, zoneId: scope.zoneId }),
}

export interface ScopedList<T> {
  items: T[]
  /** The scope id the items belong to; null before the first load (or after a Sandbox reset). */
  scope: string | null
  loading: boolean
  /** The last load's failure, shown in place with a retry. */
  error: Failure | null
}

export function emptyList<T>(): ScopedList<T> {
  return { items: [], scope: null, loading: false, error: null }
}

/** The state fields that hold a scoped list. */
export type ListField = { [K in keyof State]: State[K] extends ScopedList<unknown> ? K : never }[keyof State]
type ItemOf<F extends ListField> = State[F] extends ScopedList<infer T> ? T : never

export interface ScopedListLoader<F extends ListField> {
  /** Loads the list for `scope`; an answer that is not the newest load's, or for a list since forgotten, is dropped. */
  load(scope: string, fetch: () => Promise<ItemOf<F>[]>): Promise<void>
  /** Changes the items in place, only if the list still shows `scope`. */
  update(scope: string, change: (items: ItemOf<F>[]) => ItemOf<F>[]): void
}

export function scopedList<F extends ListField>(
  set: StoreApi<State>['setState'],
  get: StoreApi<State>['getState'],
  field: F,
): ScopedListLoader<F> {
  let latest = 0
  const list = () => get()[field] as ScopedList<ItemOf<F>>
  const put = (next: ScopedList<ItemOf<F>>) => set({ [field]: next } as unknown as Partial<State>)
  return {
    load: async (scope, fetch) => {
      const ticket = ++latest
      const current = list()
      put({ items: current.scope === scope ? current.items : [], scope, loading: true, error: null })
      try {
        const items = await fetch()
        if (ticket === latest && list().scope === scope) put({ ...list(), items, loading: false })
      } catch (error) {
        if (ticket === latest && list().scope === scope) put({ ...list(), error: toFailure(error), loading: false })
      }
    },
    update: (scope, change) => {
      if (list().scope === scope) put({ ...list(), items: change(list().items) })
    },
  }
}

/** What every scoped view carries besides its data. */
export interface ScopedViewState {
  /** The scope id the view belongs to; null before the first load. */
  scope: string | null
  loading: boolean
  /** The last load's failure, shown in place with a retry. */
  error: Failure | null
}

/**
 * The `scopedList` of a view that is not a list (a zone's AOP overview, its enforcement report): the returned load keeps
 * what the view shows while the same scope refreshes, empties it for another scope, and ignores every answer but the
 * newest load's.
 */
export function scopedView<V extends ScopedViewState>(view: () => V, put: (next: V) => void, empty: () => V) {
  let latest = 0
  return async (scope: string, fetch: () => Promise<Omit<V, keyof ScopedViewState>>): Promise<void> => {
    const ticket = ++latest
    const current = view()
    put({ ...(current.scope === scope ? current : empty()), scope, loading: true, error: null })
    try {
      const data = await fetch()
      if (ticket === latest) put({ ...data, scope, loading: false, error: null } as V)
    } catch (error) {
      if (ticket === latest) put({ ...view(), loading: false, error: toFailure(error) })
    }
  }
}
