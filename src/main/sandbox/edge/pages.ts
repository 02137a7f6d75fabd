/**
 * What the edge answers itself, in Cloudflare's shape: the `cf-ray` id (16 hex digits, with `-SBX` where
 * Cloudflare puts its data-centre code), the WAF block page ("Attention Required! | Cloudflare", "Sorry, you have
 * been blocked", the Ray ID) and the 5xx error pages of the origin leg (server.ts: 520, 521, 525, 526, 502).
 */
import { randomBytes } from 'node:crypto'
import { escapeHtml } from '../../../shared/html'

/** Random bytes drawn 4 KiB at a time: one `randomBytes` call per request costs more than the rest of a decision. */
let pool = Buffer.alloc(0)
let poolAt = 0

export function newRayId(): string {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(4096)
    poolAt = 0
  }
  poolAt += 8
  return `${pool.toString('hex', poolAt - 8, poolAt)}-SBX`
}

/** A header value Node accepts: printable ASCII as is, anything else (and `%`) percent-encoded as UTF-8. */
export function headerValue(text: string): string {
  return text.replace(/[^\x20-\x24\x26-\x7e]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  )
}

function page(title: string, heading: string, subheading: string, body: string[], ray: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en-US">',
    '<head>',
    '<meta charset="UTF-8">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    '</head>',
    '<body>',
    '<div id="cf-wrapper">',
    '<div id="cf-error-details" class="cf-error-details-wrapper">',
    `<h1 data-translate="block_headline">${escapeHtml(heading)}</h1>`,
    `<h2 class="cf-subheadline">${escapeHtml(subheading)}</h2>`,
    ...body.map((p) => `<p>${p}</p>`),
    '<div class="cf-error-footer">',
    `<span class="cf-footer-item">Cloudflare Ray ID: <strong class="font-semibold">${escapeHtml(ray)}</strong></span>`,
    '<span class="cf-footer-separator">&bull;</span>',
    '<span class="cf-footer-item">Your IP: 127.0.0.1</span>',
    '<span class="cf-footer-separator">&bull;</span>',
    '<span class="cf-footer-item">Performance &amp; security by Cloudflare (Certdesk Sandbox edge)</span>',
    '</div>',
    '</div>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

export interface BlockingRule {
  ruleId?: string | undefined
  ruleDescription?: string | undefined
}

/** The 403 page of a WAF custom rule with action `block`, naming the rule when the Sandbox knows it. */
export function blockPage(host: string, ray: string, rule: BlockingRule): string {
  const named = rule.ruleDescription
    ? `Blocked by the custom rule "${escapeHtml(rule.ruleDescription)}"${rule.ruleId ? ` (${escapeHtml(rule.ruleId)})` : ''}.`
    : rule.ruleId
      ? `Blocked by the custom rule ${escapeHtml(rule.ruleId)}.`
      : 'Blocked by a custom rule.'
  return page(
    'Attention Required! | Cloudflare',
    'Sorry, you have been blocked',
    `You are unable to access ${host}`,
    [
      'This website is using a security service to protect itself from online attacks. The action you just performed ' +
        'triggered the security solution.',
      `<span id="sandbox-rule">${named}</span>`,
    ],
    ray,
  )
}

/** A Cloudflare-style error page (`Error 521`, `Error 502`, …) for what went wrong between the edge and the origin. */
export function errorPage(status: number, title: string, host: string, ray: string, detail: string): string {
  return page(`${host} | ${status}: ${title}`, `Error ${status}`, title, [escapeHtml(detail)], ray)
}
