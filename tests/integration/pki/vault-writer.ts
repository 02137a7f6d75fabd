/**
 * Child process for the vault crash test (run with jiti): saves keys in a loop — each one a key
 * file write plus an index rewrite — until the parent kills it with SIGKILL at an arbitrary moment.
 */
import 'reflect-metadata'
import { Keychain } from '../../../src/main/secrets/keychain'
import { KeyVault } from '../../../src/main/secrets/vault'

const [dir, service] = process.argv.slice(2) as [string, string]
const vault = new KeyVault(dir, new Keychain(service))

async function main(): Promise<void> {
  process.stdout.write('ready\n')
  for (let i = 0; ; i++) {
    const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    await vault.save({ privateKey, label: `crash-${i}-${'x'.repeat(180)}` })
  }
}
void main()
