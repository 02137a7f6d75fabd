// Layers are enforced here so a wrong import fails `npm test`:
// shared imports neither Node nor DOM-bound code; renderer imports only shared; only the three
// edge files import electron; the CLI uses main's services but never electron.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'tls', 'worker_threads']
const electronBan = { name: 'electron', message: 'Only src/main/index.ts, src/main/ipc.ts and src/preload/index.ts may import electron.' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { paths: [electronBan] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/ipc.ts', 'src/preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['zod', '../shared/contract*', '../shared/model*', '../main/*'],
              message: 'The sandboxed preload imports only channel names; validation belongs in main.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: NODE_BUILTINS, message: 'src/shared runs in the renderer and preload too: no Node APIs.' },
            {
              group: ['**/main/*', '**/renderer/*', '**/preload/*', '**/cli/*', 'react', 'react-dom'],
              message: 'src/shared imports nothing from other layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: NODE_BUILTINS, message: 'The renderer has no Node: ask main through the typed client.' },
            {
              group: ['**/main/*', '**/main', '**/preload/*', '**/cli/*', 'keytar', 'cloudflare'],
              message: 'The renderer imports only src/shared; main does the work.',
            },
            {
              group: ['**/shared/contract', '**/shared/model', '**/shared/*-model', 'zod'],
              allowTypeImports: true,
              message:
                'Import contract and model types only (import type): validation lives in main, and zod stays out of the renderer bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    // `certdesk trust list` must start fast (npm run bench): the X.509 and ASN.1 libraries, and the
    // modules that load them, come in only through a dynamic import() where needed. The certificate
    // toolkit (src/main/certs: PEM, fingerprints, chain order) is cheap and may be imported; its x509.ts is not.
    files: ['src/main/truststore/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: [
                '@peculiar/*',
                'asn1js',
                'pkijs',
                '**/certs/x509',
                '**/pki/*',
                '**/lint',
                '**/lint/index',
                '**/lint/inspect',
                '**/lint/check',
                '**/lint/install-gate',
              ],
              allowTypeImports: true,
              message: 'Trust stores load X.509/PKI/lint code lazily (await import()), so listing stays fast.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronBan], patterns: [{ group: ['**/renderer/*', '**/preload/*'], message: 'The CLI uses main services only.' }] },
      ],
    },
  },
)
