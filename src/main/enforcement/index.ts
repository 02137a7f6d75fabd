// mTLS enforcement: the Rules-language subset, the custom-rules evaluator the Sandbox edge calls, the doctor and
// the Enforce helpers. Plain Node: no Electron, no Cloudflare SDK.
export { type ClientAuthFields, type EdgeRequest, NO_CLIENT_CERTIFICATE, SUPPORTED_FIELDS } from './fields'
export { type Evaluation, type ExpressionPosition, type ParsedExpression, evaluateExpression, parseExpression } from './expression'
export { type CustomRule, type NotEvaluatedRule, type RulesDecision, evaluateRules, ruleLabel } from './rules'
export { CERTIFICATE_CLAUSE, addRevocationClause, recommendedExpression } from './enforce'
export {
  type DoctorFinding,
  type DoctorReport,
  type FindingKind,
  type HostnameAssociation,
  type HostnameVerdict,
  type ZoneEnforcement,
  diagnoseZone,
  diagnoseZones,
  representativeTls,
} from './doctor'
