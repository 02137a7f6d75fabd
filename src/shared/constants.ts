/**
 * Plain constants the renderer needs at run time. Kept apart from the zod model files so the
 * renderer bundle never pulls in zod (it imports models as types only).
 */
export const LINT_PROFILES = ['auto', 'root-ca', 'intermediate-ca', 'client', 'server', 'cloudflare-upload', 'gateway-byopki', 'python-strict'] as const
