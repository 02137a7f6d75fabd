/**
 * The browser test bridge: serves the *built* renderer and mounts the real contract handlers
 * (through the same dispatch as ipc.ts) over loopback HTTP, standing in for the Electron preload.
 * Bound to 127.0.0.1, guarded by a random per-run secret, and never part of the packaged app.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buildBridgeApi } from '../../src/shared/api'
import { EVENTS, type EventName } from '../../src/shared/channels'
import { CHANNELS } from '../../src/shared/contract'
import { CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppPath } from '../../src/main/app-protocol'
import { dispatch, type CallContext, type Handlers } from '../../src/main/dispatch'

export interface Bridge {
  url: string
  /** Script to run in the page before any of its own (Playwright addInitScript): defines window.certdesk. */
  initScript: string
  /** Every call the page made, for assertions. */
  calls: Array<{ channel: string; ok: boolean }>
  close(): Promise<void>
}

const SECRET_HEADER = 'x-certdesk-bridge'

function secretMatches(given: string | undefined | null, secret: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

async function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startBridge(options: { handlers: Handlers; rendererDir: string }): Promise<Bridge> {
  const secret = randomBytes(24).toString('hex')
  const listeners = new Set<ServerResponse>()
  const calls: Bridge['calls'] = []
  const context: CallContext = {
    emit(event, payload) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
      for (const res of listeners) res.write(frame)
    },
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname.startsWith('/__bridge/')) {
        const given = url.pathname === '/__bridge/events' ? url.searchParams.get('secret') : req.headers[SECRET_HEADER]
        if (!secretMatches(typeof given === 'string' ? given : null, secret)) {
          res.writeHead(403).end()
          return
        }
        if (url.pathname === '/__bridge/events' && req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
          res.write(': connected\n\n')
          listeners.add(res)
          req.on('close', () => listeners.delete(res))
          return
        }
        const match = /^\/__bridge\/rpc\/([a-zA-Z]+:[a-zA-Z]+)$/.exec(url.pathname)
        if (match && req.method === 'POST') {
          const body = await readBody(req)
          const payload: unknown = body === '' ? undefined : (JSON.parse(body) as { request?: unknown }).request
          const result = await dispatch(options.handlers, match[1]!, payload, context, (channel, error) => {
            process.stderr.write(`bridge: handler ${channel} failed: ${(error as Error)?.stack ?? String(error)}\n`)
          })
          calls.push({ channel: match[1]!, ok: result.ok })
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result))
          return
        }
        res.writeHead(404).end()
        return
      }
      const file = resolveAppPath(options.rendererDir, url.pathname)
      if (!file || req.method !== 'GET') {
        res.writeHead(404).end()
        return
      }
      try {
        const body = await readFile(file)
        res
          .writeHead(200, {
            'content-type': mimeTypeFor(file),
            'content-security-policy': CONTENT_SECURITY_POLICY,
            'cache-control': 'no-store',
          })
          .end(body)
      } catch {
        res.writeHead(404).end()
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  // The page gets the same buildBridgeApi the preload uses, with fetch and EventSource as transport.
  const initScript = `
    (() => {
      const secret = ${JSON.stringify(secret)};
      const buildBridgeApi = ${buildBridgeApi.toString()};
      const invoke = (channel, request) =>
        fetch('/__bridge/rpc/' + channel, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ${JSON.stringify(SECRET_HEADER)}: secret },
          body: JSON.stringify({ request }),
        }).then((r) => r.json());
      let source = null;
      const subscribe = (event, listener) => {
        source ??= new EventSource('/__bridge/events?secret=' + secret);
        const handler = (e) => listener(JSON.parse(e.data));
        source.addEventListener(event, handler);
        return () => source.removeEventListener(event, handler);
      };
      Object.defineProperty(window, 'certdesk', {
        value: buildBridgeApi(${JSON.stringify(CHANNELS)}, ${JSON.stringify(EVENTS)}, invoke, subscribe),
        writable: false,
        configurable: false,
      });
    })();
  `

  return {
    url: `http://127.0.0.1:${port}/`,
    initScript,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of listeners) res.end()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export type { EventName }
