/**
 * Every IPC channel name, as plain data. The sandboxed preload imports only this file,
 * so it must stay free of zod and of every other dependency.
 * Names are `namespace:verb`; the preload exposes each as `certdesk.<namespace>.<verb>()`.
 */
export const CHANNELS = [
  'app:info',
  'settings:get',
  'settings:set',
  'profiles:list',
  'profiles:add',
  'profiles:remove',
  'activity:list',
  'jobs:cancel',
  'lint:check',
  'lint:rules',
] as const

export type Channel = (typeof CHANNELS)[number]

/** Events main pushes to the renderer (progress of long jobs). Sent on `event:<name>`. */
export const EVENTS = ['progress'] as const

export type EventName = (typeof EVENTS)[number]

export const eventChannel = (name: EventName): `event:${EventName}` => `event:${name}`
