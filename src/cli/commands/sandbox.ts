/** `certdesk sandbox serve`: the Sandbox Cloudflare API on 127.0.0.1 until Ctrl-C. */
import { EXIT_OK, UsageError, type Command } from '../command'
import { cliPath, repeated, str, time } from '../args'
import { parseFaultSpec, startSandbox, type FaultSpec } from '../../main/sandbox'

export const sandboxCommands: Command[] = [
  {
    path: ['sandbox', 'serve'],
    summary: 'Run the Sandbox Cloudflare API (fake account, zones and tokens) on 127.0.0.1 until Ctrl-C.',
    usage:
      'certdesk sandbox serve [--port N] [--seed demo|empty] [--faults SPEC] [--state FILE] [--now RFC3339] ' +
      '[--origin HOST=URL]... [--json]',
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      state: { type: 'string' },
      origin: { type: 'string', multiple: true },
      now: { type: 'string' },
    },
    run: async (ctx) => {
      const { io, print } = ctx
      const portText = str(ctx, 'port') ?? '0'
      if (!/^\d+$/.test(portText) || Number(portText) > 65535)
        throw new UsageError(`--port must be a port number from 0 to 65535, got "${portText}".`)
      const seed = str(ctx, 'seed') ?? 'demo'
      if (seed !== 'demo' && seed !== 'empty') throw new UsageError(`--seed must be demo or empty, got "${seed}".`)
      // A bad spec is an AppError('bad_input') naming the part: exit 2 with the example as hint.
      const faultText = str(ctx, 'faults')
      const faults: FaultSpec | undefined = faultText === undefined ? undefined : parseFaultSpec(faultText)
      const state = str(ctx, 'state')
      const stateFile = state === undefined ? null : cliPath(ctx, state)
      // A hostname (or a zone) the edge forwards to a loopback origin; the URL itself is checked by the edge.
      const origins: Record<string, string> = {}
      for (const text of repeated(ctx, 'origin')) {
        const at = text.indexOf('=')
        if (at <= 0 || at === text.length - 1)
          throw new UsageError(`--origin must look like HOST=URL (e.g. api.example.com=https://127.0.0.1:8443), got "${text}".`)
        origins[text.slice(0, at).trim()] = text.slice(at + 1).trim()
      }

      // The Sandbox's clock starts here and runs on (the test API's /clock moves it).
      const now = time(ctx, 'now')?.getTime()
      const sandbox = await startSandbox({
        port: Number(portText),
        seed,
        stateFile,
        edge: { origins },
        ...(faults ? { faults } : {}),
        ...(now === undefined ? {} : { now }),
      })
      const edge = sandbox.edge!
      const info = {
        url: sandbox.url,
        account: sandbox.account,
        zones: sandbox.zones,
        tokens: sandbox.tokens,
        testApi: { url: sandbox.testApiUrl, secretHeader: 'x-sandbox-secret', secret: sandbox.testSecret },
        edge: { url: edge.url, ca: edge.caPath, originCa: edge.originCaPath, originPullCa: edge.originPullCaPath, origins },
        stateFile,
        now: new Date(sandbox.clock.now()).toISOString(),
      }
      // These are sandbox-only fake tokens: printing them is the point.
      print(
        [
          `Sandbox Cloudflare API: ${sandbox.url}`,
          `Edge: ${edge.url} (CA: ${edge.caPath})`,
          `  Origin CA (signs origin certificates, trusted in Full (strict)): ${edge.originCaPath}`,
          `  Global origin-pull CA (trust it to accept any zone's pulls): ${edge.originPullCaPath}`,
          ...Object.entries(origins).map(([host, url]) => `  Origin: ${host} -> ${url}`),
          `Account: ${sandbox.account.name} (${sandbox.account.id})`,
          ...sandbox.zones.map((z) => `Zone:    ${z.name} (${z.id})`),
          'Tokens (sandbox-only):',
          ...Object.entries(sandbox.tokens).map(([label, token]) => `  ${label.padEnd(13)} ${token}`),
          `Test API: ${sandbox.testApiUrl} (header x-sandbox-secret: ${sandbox.testSecret})`,
          `Clock:   ${info.now}${now === undefined ? '' : ' (set with --now; move it with the test API: PUT /__sandbox/clock)'}`,
          stateFile ? `State:   ${stateFile}` : 'State:   in memory (use --state FILE to keep it)',
          'Press Ctrl-C to stop.',
        ].join('\n'),
        info,
      )
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          done()
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
      await sandbox.close()
      io.stderr('Sandbox stopped.\n')
      return EXIT_OK
    },
  },
]
