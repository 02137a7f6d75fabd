/**
 * The renderer's state: one zustand store built from the typed client, one slice per domain.
 * Built by a factory (not a module singleton) so tests can pass any bridge.
 */
import { createContext, useContext } from 'react'
import { createStore, useStore, type StoreApi } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import type { ClientApi } from '../../../shared/api'
import { createActivitySlice, type ActivitySlice } from './activity'
import { createAppSlice, type AppSlice } from './app'
import { createLintSlice, type LintSlice } from './lint'
import { createProfilesSlice, type ProfilesSlice } from './profiles'
import { createSettingsSlice, type SettingsSlice } from './settings'
import { createUiSlice, type UiSlice } from './ui'
import { createJobsSlice, type JobsSlice } from './jobs'
import { createClientCertsSlice, type ClientCertsSlice } from './clientCerts'
import { createHostnamesSlice, type HostnamesSlice } from './hostnames'
import { createRootsSlice, type RootsSlice } from './roots'
import { createGatewaySlice, type GatewaySlice } from './gateway'
import { createTrustSlice, type TrustSlice } from './trust'
import { createKeysSlice, type KeysSlice } from './keys'
import { createEnforcementSlice, type EnforcementSlice } from './enforcement'
import { createOriginSlice, type OriginSlice } from './origin'
import { createFleetSlice, type FleetSlice } from './fleet'
import { createExpirySlice, type ExpirySlice } from './expiry'
import { createRuntimesSlice, type RuntimesSlice } from './runtimes'

export type State = AppSlice &
  SettingsSlice &
  ProfilesSlice &
  ActivitySlice &
  LintSlice &
  UiSlice &
  JobsSlice &
  ClientCertsSlice &
  HostnamesSlice &
  RootsSlice &
  GatewaySlice &
  TrustSlice &
  KeysSlice &
  EnforcementSlice &
  OriginSlice &
  FleetSlice &
  ExpirySlice &
  RuntimesSlice
export type SliceCreator<T> = (set: StoreApi<State>['setState'], get: StoreApi<State>['getState'], api: ClientApi) => T

/** Every slice once; createAppStore does not compile when one of State's slices is missing here. */
const SLICES = [
  createAppSlice,
  createSettingsSlice,
  createProfilesSlice,
  createActivitySlice,
  createLintSlice,
  createUiSlice,
  createJobsSlice,
  createClientCertsSlice,
  createHostnamesSlice,
  createRootsSlice,
  createGatewaySlice,
  createTrustSlice,
  createKeysSlice,
  createEnforcementSlice,
  createOriginSlice,
  createFleetSlice,
  createExpirySlice,
  createRuntimesSlice,
] as const

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never
type Made = Intersection<ReturnType<(typeof SLICES)[number]>>

export function createAppStore(api: ClientApi): StoreApi<State> {
  return createStore<State>()((set, get) => {
    const made: Made = Object.assign({}, ...SLICES.map((slice) => slice(set, get, api)))
    return made
  })
}

export const StoreContext = createContext<StoreApi<State> | null>(null)

export function useAppStore<T>(selector: (state: State) => T): T {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useAppStore outside <StoreContext.Provider>')
  return useStore(store, selector)
}

/** Several fields at once (values and actions), re-rendering only when one of them changes (zustand's useShallow). */
export function useAppFields<K extends keyof State>(...keys: K[]): Pick<State, K> {
  return useAppStore(useShallow((s: State) => Object.fromEntries(keys.map((k) => [k, s[k]])) as Pick<State, K>))
}
