/**
 * Checks requests and responses against Cloudflare's official OpenAPI subset (openapi-certs.json),
 * so the Sandbox cannot drift from the real API unnoticed. TEST-ONLY: it uses ajv, a
 * devDependency — the app never imports this file.
 *
 * Find the operation by method + path template, validate path/query parameters and the JSON body
 * of the request, and the response body for its status (`200`, `4XX`, ...). OpenAPI 3.0 `nullable`
 * is handled by ajv; `$ref`s resolve into the document's components.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
// A subset of Cloudflare's official OpenAPI schema (the certificate endpoints), kept in the repository.
import spec from '../../fixtures/cloudflare/openapi-certs.json'

// ajv-formats is CommonJS; under some loaders its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

type Json = Record<string, unknown>

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema?: Json
  $ref?: string
}

interface Operation {
  method: string
  template: string
  operationId: string
  regex: RegExp
  pathNames: string[]
  parameters: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, { schema: Json }> }
  responses: Record<string, { content?: Record<string, { schema: Json }> }>
}

export interface ValidationTarget {
  method: string
  /** Path under /client/v4 (a full URL or a path with the prefix is accepted too). */
  path: string
  query?: Record<string, string> | URLSearchParams
  body?: unknown
}

/**
 * Known errata of the official schema, corrected so that real Cloudflare behaviour validates:
 * 1. Account mTLS certificate ids are UUIDs (36 characters: the upload answer in Cloudflare docs: Deploy custom certificate, and
 *    hostname_associations' `mtls_certificate_id` demands exactly 36), yet the schema gives them the
 *    32-character zone identifier type.
 * 2. Several failure envelopes say `result: {type: object|array, enum: [null]}` without
 *    `nullable: true` — unsatisfiable; the flag was lost when the schema was generated. Any schema
 *    whose enum is exactly [null] gets `nullable: true` back (and loses an `allOf` of the success shape, which the
 *    Authenticated Origin Pulls failure envelopes carry and which a null can never satisfy).
 */
function applyErrata(doc: Json): void {
  const restoreNullable = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(restoreNullable)
    if (!node || typeof node !== 'object') return
    const obj = node as Json
    const values = obj['enum']
    if (Array.isArray(values) && values.length === 1 && values[0] === null && obj['type'] !== undefined) {
      obj['nullable'] = true
      // An `allOf` beside it (the success shape, type object) would still refuse the null: the enum says all.
      delete obj['allOf']
    }
    Object.values(obj).forEach(restoreNullable)
  }
  restoreNullable(doc)
  const schemas = (doc['components'] as Json)['schemas'] as Record<string, Json>
  for (const name of ['tls-certificates-and-hostnames_certificateObject-3', 'tls-certificates-and-hostnames_certificateObjectPost']) {
    if (!schemas[name]) continue // a subset without these schemas (openapi-rulesets.json)
    const props = schemas[name]['properties'] as Record<string, Json>
    props['id'] = { type: 'string', maxLength: 36 }
  }
  for (const item of Object.values(doc['paths'] as Record<string, Record<string, { parameters?: Parameter[] }>>)) {
    for (const op of Object.values(item)) {
      for (const p of op.parameters ?? [])
        if (p.name === 'mtls_certificate_id' && p.in === 'path') p.schema = { type: 'string', maxLength: 36 }
    }
  }
}

/** Point `#/components/...` refs at the shared components schema registered as `cf`. */
function rebase<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"cf#/components/')) as T
}

export class OpenApiValidator {
  private readonly ajv: Ajv
  private readonly coercing: Ajv
  private readonly operations: Operation[] = []
  private readonly cache = new Map<string, ValidateFunction>()
  private readonly doc: Json

  /** `doc` defaults to openapi-certs.json; another subset of Cloudflare's schema can be passed (openapi-rulesets.json). */
  constructor(doc: unknown = spec) {
    this.doc = structuredClone(doc) as Json
    applyErrata(this.doc)
    this.ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
    this.coercing = addFormats(new Ajv({ strict: false, allErrors: true, coerceTypes: true }))
    for (const ajv of [this.ajv, this.coercing]) ajv.addSchema({ components: this.doc['components'] }, 'cf')
    const paramRefs = ((this.doc['components'] as Json)['parameters'] ?? {}) as Record<string, Parameter>
    for (const [template, item] of Object.entries(this.doc['paths'] as Record<string, Json>)) {
      const shared = (item['parameters'] as Parameter[] | undefined) ?? []
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
        const op = raw as Json
        const pathNames: string[] = []
        const regex = new RegExp(`^${template.replace(/\{([^}]+)\}/g, (_m, name: string) => (pathNames.push(name), '([^/]+)'))}/?$`)
        const parameters = [...shared, ...((op['parameters'] as Parameter[] | undefined) ?? [])].map((p) =>
          p.$ref ? paramRefs[p.$ref.split('/').pop()!]! : p,
        )
        this.operations.push({
          method: method.toUpperCase(),
          template,
          operationId: String(op['operationId']),
          regex,
          pathNames,
          parameters,
          ...(op['requestBody'] ? { requestBody: op['requestBody'] as Operation['requestBody'] } : {}),
          responses: op['responses'] as Operation['responses'],
        })
      }
    }
    // Literal segments win over parameters: `/access/certificates/settings` before `/{certificate_id}`.
    this.operations.sort((a, b) => a.pathNames.length - b.pathNames.length)
  }

  /** Every operation in the schema, as `METHOD /template`. */
  list(): { method: string; template: string; operationId: string }[] {
    return this.operations.map(({ method, template, operationId }) => ({ method, template, operationId }))
  }

  find(method: string, path: string): { operation: Operation; params: Record<string, string> } | null {
    const clean = stripPrefix(path)
    for (const operation of this.operations) {
      if (operation.method !== method.toUpperCase()) continue
      const m = operation.regex.exec(clean)
      if (!m) continue
      const params: Record<string, string> = {}
      operation.pathNames.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)))
      return { operation, params }
    }
    return null
  }

  /** Problems with a request (empty when it matches the schema). */
  validateRequest(target: ValidationTarget): string[] {
    const found = this.find(target.method, target.path)
    if (!found) return [`${target.method} ${target.path}: no such operation in the OpenAPI schema`]
    const { operation, params } = found
    const errors: string[] = []
    const query = target.query instanceof URLSearchParams ? Object.fromEntries(target.query) : (target.query ?? queryOf(target.path))
    for (const p of operation.parameters) {
      if (p.in === 'header') continue
      const raw = p.in === 'path' ? params[p.name] : query[p.name]
      if (raw === undefined) {
        if (p.required) errors.push(`${p.in} parameter "${p.name}" is required`)
        continue
      }
      if (!p.schema) continue
      const schema = rebase(p.schema)
      const value = schema['type'] === 'array' ? raw.split(',') : raw
      const validate = this.compile(`param:${operation.operationId}:${p.name}`, schema, this.coercing)
      if (!validate(value)) errors.push(...describe(`${p.in} parameter "${p.name}"`, validate))
    }
    const bodySchema = operation.requestBody?.content?.['application/json']?.schema
    if (target.body === undefined) {
      if (operation.requestBody?.required) errors.push('the request body is required')
    } else if (bodySchema) {
      const validate = this.compile(`request:${operation.operationId}`, rebase(bodySchema), this.ajv)
      if (!validate(target.body)) errors.push(...describe('request body', validate))
    }
    return errors.map((e) => `${operation.method} ${operation.template}: ${e}`)
  }

  /** Problems with a response (empty when it matches the schema declared for its status). */
  validateResponse(target: ValidationTarget & { status: number }): string[] {
    const found = this.find(target.method, target.path)
    if (!found) return [`${target.method} ${target.path}: no such operation in the OpenAPI schema`]
    const { operation } = found
    const key = String(target.status)
    const declared = operation.responses[key] ?? operation.responses[`${key[0]}XX`] ?? operation.responses['default']
    let schema = declared?.content?.['application/json']?.schema
    if (!schema && target.status >= 500) {
      // The schema declares no 5xx answers; Cloudflare's 5xx bodies still use the failure envelope.
      schema = { $ref: '#/components/schemas/tls-certificates-and-hostnames_api-response-common-failure' }
    }
    if (!schema) return [`${operation.method} ${operation.template}: HTTP ${target.status} is not a declared response`]
    const validate = this.compile(`response:${operation.operationId}:${key}`, rebase(schema), this.ajv)
    return validate(target.body)
      ? []
      : describe(`HTTP ${target.status} body`, validate).map((e) => `${operation.method} ${operation.template}: ${e}`)
  }

  private compile(key: string, schema: Json, ajv: Ajv): ValidateFunction {
    let validate = this.cache.get(key)
    if (!validate) {
      validate = ajv.compile(schema)
      this.cache.set(key, validate)
    }
    return validate
  }
}

function stripPrefix(path: string): string {
  const pathname = path.startsWith('http') ? new URL(path).pathname : path.split('?')[0]!
  return pathname.replace(/^\/client\/v4/, '') || '/'
}

function queryOf(path: string): Record<string, string> {
  const index = path.indexOf('?')
  return index < 0 ? {} : Object.fromEntries(new URLSearchParams(path.slice(index + 1)))
}

function describe(where: string, validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map(
    (e) => `${where}${e.instancePath} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  )
}
