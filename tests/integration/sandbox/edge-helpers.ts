/** Referee clients for the Sandbox edge tests: Node `https` and curl, never Certdesk code. */
import { execFile } from 'node:child_process'
import { request, type Agent } from 'node:https'
import type { X509Certificate } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import type { SandboxEdge } from '../../../src/main/sandbox'

export interface EdgeReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** The server certificate the edge presented on this connection. */
  server: X509Certificate | undefined
  reusedSocket: boolean
}

export interface EdgeCall {
  /** SNI; also the Host header unless `host` is given. */
  servername: string
  host?: string
  path?: string
  method?: string
  cert?: string
  key?: string
  body?: string
  headers?: Record<string, string>
  /** A keep-alive agent to reuse the connection; default a fresh connection per request. */
  agent?: Agent
}

export function edgeRequest(edge: SandboxEdge, call: EdgeCall): Promise<EdgeReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: edge.port,
        servername: call.servername,
        path: call.path ?? '/',
        method: call.method ?? 'GET',
        headers: { host: call.host ?? call.servername, ...call.headers },
        // The edge's server certificate is checked against the Edge CA and the SNI name, as a browser would.
        ca: edge.caPem,
        ...(call.cert ? { cert: call.cert, key: call.key } : {}),
        agent: call.agent ?? false,
      },
      (res) => {
        // Read now: a kept-alive socket goes back to its agent (res.socket null) once the body has ended.
        const server = (res.socket as TLSSocket).getPeerX509Certificate()
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            server,
            reusedSocket: req.reusedSocket,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(call.body)
  })
}

export interface CurlResult {
  code: number
  stdout: string
  stderr: string
}

export function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile('curl', ['--silent', '--show-error', ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

export function openssl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', args, { timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`openssl ${args[0]}: ${stderr || error.message}`)) : resolve(stdout),
    )
    if (input !== undefined) child.stdin?.end(input)
  })
}
