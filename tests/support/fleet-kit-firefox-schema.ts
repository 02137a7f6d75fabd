/**
 * The `Certificates` policy of Firefox's enterprise policy schema, vendored as is (only that fragment), from
 * mozilla/enterprise-firefox, browser/components/enterprisepolicies/schemas/policies-schema.json
 * (commit 05c409ade1f00334d4f39d5cc6dbebac01a6a48d); its description and examples are left out.
 * `policiesFile` wraps it in the shape of a policies.json file ({ "policies": { … } }), which is ours.
 */
export const CERTIFICATES_POLICY = {
  type: 'object',
  properties: {
    ImportEnterpriseRoots: {
      type: 'boolean',
    },
    Install: {
      type: 'array',
      items: {
        type: 'string',
      },
    },
  },
} as const

export const policiesFile = {
  type: 'object',
  properties: {
    policies: { type: 'object', properties: { Certificates: CERTIFICATES_POLICY }, required: ['Certificates'] },
  },
  required: ['policies'],
} as const
