/**
 * Every IPC channel name, as plain data. The sandboxed preload imports only this file,
 * so it must stay free of zod and of every other dependency.
 * Names are `namespace:verb`; the preload exposes each as `certdesk.<namespace>.<verb>()`. Grouped by
 * namespace: each namespace has its schemas in `contract/<namespace>.ts` and its handlers in
 * `main/handlers/<namespace>.ts`.
 */
export const CHANNELS = [
  'app:info',

  'settings:get',
  'settings:set',

  'profiles:list',
  'profiles:add',
  'profiles:remove',
  'profiles:verify',

  'activity:list',

  'jobs:cancel',

  'sandbox:reset',

  'lint:check',
  'lint:rules',

  'clientCerts:list',
  'clientCerts:get',
  'clientCerts:createFromCsr',
  'clientCerts:revoke',
  'clientCerts:reactivate',
  'clientCerts:bulkRevoke',
  'clientCerts:issueForKey',

  'hostnames:get',
  'hostnames:plan',
  'hostnames:replace',

  'access:list',
  'access:add',
  'access:updateHostnames',
  'access:delete',
  'access:settings',
  'access:updateSettings',

  'mtls:list',
  'mtls:upload',
  'mtls:associations',
  'mtls:delete',

  'gateway:list',
  'gateway:create',
  'gateway:activate',
  'gateway:watch',
  'gateway:useForInspection',
  'gateway:inspectionCertificate',
  'gateway:deactivate',
  'gateway:delete',
  'gateway:generateRoot',
  'gateway:importRoot',
  'gateway:uploadRoot',

  'trust:stores',
  'trust:list',
  'trust:find',
  'trust:install',
  'trust:remove',
  'trust:verify',
  'trust:probeHost',

  'keys:list',
  'keys:newCsr',
  'keys:newRoot',
  'keys:delete',
  'keys:export',

  'certificates:save',

  'rules:get',
  'rules:doctor',
  'rules:doctorProfile',
  'rules:planEnforce',
  'rules:enforce',
  'rules:probe',
] as const

export type Channel = (typeof CHANNELS)[number]

/** Events main pushes to the renderer (progress of long jobs). Sent on `event:<name>`. */
export const EVENTS = ['progress'] as const

export type EventName = (typeof EVENTS)[number]

export const eventChannel = (name: EventName): `event:${EventName}` => `event:${name}`
