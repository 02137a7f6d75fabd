/**
 * The Sandbox edge: a real mTLS data plane on 127.0.0.1 for the Sandbox's zones (see server.ts).
 */
export { startEdge } from './server'
export type { EdgeDecide, EdgeDecision, EdgeHost, EdgeOptions, SandboxEdge } from './server'
export { EDGE_CA_SUBJECT } from './certificates'
export { ORIGIN_LEG_HEADERS } from './origin-pull'
export type { OriginPullSource } from './origin-pull'
export type { ClientAuthFields, EdgeRequest } from './fields'
