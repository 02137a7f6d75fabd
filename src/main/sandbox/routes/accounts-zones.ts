/** Token verification, accounts and zones: what the app needs to set up a profile and pick zones. */
import { randomBytes } from 'node:crypto'
import { createRootCa } from '../ca'
import {
  ApiError,
  bodyObject,
  CODES,
  findAccount,
  invalid,
  pageRequest,
  pageResult,
  requiredString,
  requirePermission,
  type Route,
  type RouteContext,
} from '../http'
import type { AccountRecord, TokenRecord, ZoneRecord } from '../state'
import { managedCaName } from './client-certificates'

function tokenView(token: TokenRecord): Record<string, unknown> {
  return { id: token.id, status: token.status, ...(token.expiresOn ? { expires_on: token.expiresOn } : {}) }
}

function accountView(account: AccountRecord): Record<string, unknown> {
  return { id: account.id, name: account.name, type: account.type, created_on: account.createdOn, settings: { enforce_twofactor: false } }
}

function zoneView(ctx: RouteContext, zone: ZoneRecord): Record<string, unknown> {
  const account = ctx.state.accounts.find((a) => a.id === zone.accountId)
  return {
    id: zone.id,
    name: zone.name,
    status: zone.status,
    paused: false,
    type: 'full',
    development_mode: 0,
    account: { id: zone.accountId, name: account?.name ?? '' },
    owner: { id: zone.accountId, name: account?.name ?? '', type: 'organization' },
    meta: {
      cdn_only: false,
      custom_certificate_quota: 0,
      dns_only: false,
      foundation_dns: false,
      page_rule_quota: 3,
      phishing_detected: false,
      step: 2,
    },
    name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: zone.createdOn,
    modified_on: zone.createdOn,
    activated_on: zone.status === 'active' ? zone.createdOn : null,
    plan: {
      id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      name: 'Enterprise Website',
      price: 0,
      currency: 'USD',
      frequency: '',
      is_subscribed: true,
      can_subscribe: false,
      legacy_id: 'enterprise',
      legacy_discount: false,
      externally_managed: false,
    },
    permissions: [],
    vanity_name_servers: [],
  }
}

function sortBy<T>(items: T[], key: (item: T) => string, direction: string | null): T[] {
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)))
  return direction === 'desc' ? sorted.reverse() : sorted
}

function direction(ctx: RouteContext): string | null {
  const value = ctx.query.get('direction')
  if (value !== null && value !== 'asc' && value !== 'desc')
    throw invalid(`Query parameter "direction" must be asc or desc, got "${value}".`)
  return value
}

/** `/accounts` and `/zones` page 5 to 50 at a time, 20 by default. */
const LIST_PAGE = { fallback: 20, min: 5, max: 50 }

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

export const accountZoneRoutes: Route[] = [
  {
    // Account-owned tokens are unknown here (401); they verify at /accounts/{id}/tokens/verify.
    method: 'GET',
    path: '/user/tokens/verify',
    handler: (ctx) => {
      if (ctx.token.owner === 'account') throw new ApiError(401, CODES.invalidToken, 'Invalid API Token')
      return { result: tokenView(ctx.token) }
    },
  },
  {
    method: 'GET',
    path: '/accounts/:account_id/tokens/verify',
    handler: (ctx) => {
      findAccount(ctx, ctx.params['account_id'])
      return { result: tokenView(ctx.token) }
    },
  },
  {
    method: 'GET',
    path: '/accounts',
    handler: (ctx) => {
      const name = ctx.query.get('name')?.toLowerCase()
      const request = pageRequest(ctx.query, LIST_PAGE)
      const accounts = sortBy(
        ctx.state.accounts.filter((a) => !name || a.name.toLowerCase().includes(name)),
        (a) => a.name,
        direction(ctx),
      )
      return pageResult(accounts, request, accountView)
    },
  },
  {
    method: 'POST',
    path: '/accounts',
    handler: (ctx) => {
      requiredString(bodyObject(ctx), 'name')
      throw new ApiError(403, CODES.tenantOnly, 'Creating accounts is only available to tenant administrators.')
    },
  },
  {
    method: 'GET',
    path: '/zones',
    handler: (ctx) => {
      requirePermission(ctx, 'Zone Read', 'Zone Edit')
      const q = ctx.query
      const request = pageRequest(q, LIST_PAGE)
      const status = q.get('status')
      if (status !== null && !['initializing', 'pending', 'active', 'moved'].includes(status))
        throw invalid(`Query parameter "status" must be initializing, pending, active or moved, got "${status}".`)
      const order = q.get('order') ?? 'name'
      if (!['name', 'status', 'account.id', 'account.name', 'plan.id'].includes(order))
        throw invalid(`Query parameter "order" cannot be "${order}".`)
      const filters: ((z: ZoneRecord) => boolean)[] = []
      const name = q.get('name')
      if (name) filters.push((z) => z.name === name.toLowerCase())
      if (status) filters.push((z) => z.status === status)
      const accountId = q.get('account.id')
      if (accountId) filters.push((z) => z.accountId === accountId)
      const accountName = q.get('account.name')
      if (accountName)
        filters.push(
          (z) =>
            ctx.state.accounts
              .find((a) => a.id === z.accountId)
              ?.name.toLowerCase()
              .includes(accountName.toLowerCase()) === true,
        )
      const any = q.get('match') === 'any'
      const zones = ctx.state.zones.filter((z) => filters.length === 0 || (any ? filters.some((f) => f(z)) : filters.every((f) => f(z))))
      const key = (z: ZoneRecord): string =>
        order === 'status'
          ? z.status
          : order === 'account.id'
            ? z.accountId
            : order === 'account.name'
              ? (ctx.state.accounts.find((a) => a.id === z.accountId)?.name ?? '')
              : z.name
      return pageResult(sortBy(zones, key, direction(ctx)), request, (z) => zoneView(ctx, z))
    },
  },
  {
    method: 'POST',
    path: '/zones',
    handler: async (ctx) => {
      requirePermission(ctx, 'Zone Edit')
      const body = bodyObject(ctx)
      const name = requiredString(body, 'name').toLowerCase().replace(/\.$/, '')
      const account = findAccount(ctx, ((body['account'] ?? {}) as { id?: string }).id)
      if (!DOMAIN.test(name)) throw invalid(`"${name}" is not a registrable domain name.`)
      if (ctx.state.zones.some((z) => z.name === name)) throw new ApiError(400, 1061, `${name} already exists`)
      const id = randomBytes(16).toString('hex')
      const zone: ZoneRecord = {
        id,
        name,
        accountId: account.id,
        status: 'pending',
        createdOn: new Date(ctx.now).toISOString(),
        managedCa: await createRootCa(`CN=${managedCaName({ name } as ZoneRecord)}, O=Cloudflare`, 5475, ctx.now),
      }
      ctx.state.zones.push(zone)
      return { result: zoneView(ctx, zone) }
    },
  },
]
