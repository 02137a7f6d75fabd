/** `vault:*`: backups and restores of the whole vault; the restore's file is chosen and its change confirmed in main. */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../shared/errors'
import type { Services } from '../services'
import { chooseFileInMain, confirmInMain } from './confirm'
import type { HandlersOf } from './index'

export function createVaultHandlers(services: Services): HandlersOf<'vault'> {
  const { backups } = services
  return {
    'vault:status': () => backups.status(),
    'vault:strength': ({ passphrase }) => backups.strength(passphrase),
    'vault:backup': ({ passphrase }) => backups.backup(passphrase, chooseFileInMain(services)),
    'vault:restore': async ({ passphrase }) => {
      const open = services.options.dialogs?.openPath
      if (!open) {
        const hint = 'Use `certdesk vault restore FILE` on the command line.'
        throw new AppError('unsupported', 'Restoring a backup needs the app’s open dialog.', { hint })
      }
      const file = await open({ title: 'Restore keys from a backup', extensions: ['p12', 'pfx'] })
      if (!file) return null
      const data = await readFile(file).catch((error: unknown) => {
        throw new AppError('bad_input', `${file} could not be read.`, { hint: 'Choose the backup file again.', cause: error })
      })
      const name = basename(file)
      return backups.restore(data, passphrase, file, async ({ keys, createdAt }) => {
        const list = keys.map((k) => `• ${k.label} (${k.id})`)
        await confirmInMain(
          services,
          { action: 'vault.restore', objectName: name },
          {
            title: 'Restore keys from a backup',
            message: `Add the ${keys.length} key(s) of ${name} to this vault?`,
            detail: [
              `Backup written ${createdAt.slice(0, 16).replace('T', ' ')} UTC.`,
              ...list.slice(0, 20),
              ...(list.length > 20 ? [`… and ${list.length - 20} more`] : []),
              '',
              'Keys already here are left as they are; an id held here by a different key is kept and reported.',
            ].join('\n'),
            confirmLabel: 'Restore',
            destructive: false,
          },
        )
      })
    },
  }
}
