// The request shape the edge hands to the rules evaluator: the one definition in src/main/enforcement/fields.ts.
export { NO_CLIENT_CERTIFICATE, type ClientAuthFields, type EdgeRequest } from '../../enforcement/fields'
