/**
 * Every CLI command module, loaded only when one of its commands runs, so `certdesk trust list`
 * never pays for the Cloudflare SDK or the Sandbox. `--help` loads them all. One entry per domain:
 * the first words its commands start with, and how to load them. Listed in `--help` order.
 */
import type { Command } from '../command'

interface CommandModule {
  words: readonly string[]
  load(): Promise<Command[]>
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  { words: ['profiles'], load: async () => (await import('./profiles')).profileCommands },
  { words: ['sandbox'], load: async () => (await import('./sandbox')).sandboxCommands },
  { words: ['lint', 'inspect'], load: async () => (await import('./lint')).lintCommands },
  {
    words: ['cf'],
    load: async () => [
      ...(await import('./cf')).cfCommands,
      ...(await import('./hostnames')).hostnameCommands,
      ...(await import('./mtls')).mtlsCommands,
      (await import('./mtls-probe')).mtlsProbeCommand,
      ...(await import('./origin')).originCommands,
    ],
  },
  {
    words: ['trust'],
    load: async () => [...(await import('./trust')).trustCommands, ...(await import('./runtimes')).runtimeCommands],
  },
  {
    words: ['fleet'],
    load: async () => [...(await import('./fleet')).fleetCommands, ...(await import('./fleet-coverage')).fleetCoverageCommands],
  },
  { words: ['key', 'csr', 'ca', 'p12'], load: async () => (await import('./pki')).pkiCommands },
  { words: ['vault'], load: async () => (await import('./vault')).vaultCommands },
  { words: ['gateway'], load: async () => (await import('./rollover')).rolloverCommands },
  { words: ['expiry'], load: async () => (await import('./expiry')).expiryCommands },
]

/** The commands starting with `firstWord`, or all of them. */
export async function loadCommands(firstWord?: string): Promise<Command[]> {
  const modules = firstWord === undefined ? COMMAND_MODULES : COMMAND_MODULES.filter((m) => m.words.includes(firstWord))
  return (await Promise.all(modules.map((m) => m.load()))).flat()
}
