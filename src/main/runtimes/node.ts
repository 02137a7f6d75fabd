/** Node.js reads its bundled roots plus NODE_EXTRA_CA_CERTS (Node.js docs: Command-line API, NODE_EXTRA_CA_CERTS). */
import type { RuntimeBackend } from './backend'
import { exportLine } from './shell'

export const nodeBackend: RuntimeBackend = {
  runtime: 'node',
  envLines: (layout) => [exportLine('NODE_EXTRA_CA_CERTS', layout.bundle)],
}
