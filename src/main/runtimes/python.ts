/**
 * Python: requests reads REQUESTS_CA_BUNDLE (else certifi's bundle), the ssl module and urllib read SSL_CERT_FILE
 * (OpenSSL's default verify file), pip reads PIP_CERT. All three point at the combined bundle, which keeps the
 * system roots, so nothing that worked before stops working.
 */
import type { RuntimeBackend } from './backend'
import { exportLine } from './shell'

export const PYTHON_VARS = ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'PIP_CERT'] as const

export const pythonBackend: RuntimeBackend = {
  runtime: 'python',
  envLines: (layout) => PYTHON_VARS.map((name) => exportLine(name, layout.bundle)),
}
