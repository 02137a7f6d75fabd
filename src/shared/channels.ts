/**
 * Channel and event names. A channel is `namespace:verb`, named by its schema in `contract/<namespace>.ts`
 * (its handler is in `main/handlers/<namespace>.ts`): the contract is the one list. Main reads the names from
 * the contract (`CHANNELS` in contract/index.ts); the sandboxed preload, which must stay free of zod, gets
 * them written into its bundle at build time (electron.vite.config.ts); the preload exposes each as
 * `certdesk.<namespace>.<verb>()`. This file holds no run-time imports.
 */
import type { Contract } from './contract'

export type Channel = keyof Contract & `${string}:${string}`

/** Events main pushes to the renderer (progress of long jobs). Sent on `event:<name>`. */
export const EVENTS = ['progress'] as const

export type EventName = (typeof EVENTS)[number]

export const eventChannel = (name: EventName): `event:${EventName}` => `event:${name}`
