/**
 * The Sandbox: a local, stateful emulator of the Cloudflare certificate APIs, so every feature of the
 * app works with no account and every test runs offline. Point the official SDK at `handle.url`.
 */
export { startSandbox, API_PREFIX, TEST_API_PREFIX, DEFAULT_TIMING } from './server'
export type { SandboxOptions, SandboxHandle, RecordedRequest, FaultControllerApi as FaultController } from './server'
export type { SandboxTiming } from './http'
export { parseFaultSpec, DEFAULT_BUDGET } from './faults'
export type { FaultSpec, FaultStats } from './faults'
export { SANDBOX_ACCOUNT, SANDBOX_ZONES } from './seed'
export type { SeedKind } from './seed'
export type { Limits, SandboxState } from './state'
export { DEFAULT_LIMITS } from './state'
export type { EdgeDecide, EdgeDecision, EdgeOptions, SandboxEdge, ClientAuthFields, EdgeRequest } from './edge'
export { ORIGIN_LEG_HEADERS } from './edge'
export type { OriginPullSource } from './edge'
export { ORIGIN_CA_SUBJECT, GLOBAL_AOP_CA_SUBJECT } from './origin-pki'
