/**
 * `fleet:*`: "Export for fleet…" writes the fleet kit of a root into a folder chosen in main's dialog (the renderer
 * never names a path); a folder that already holds files is written into only after a confirmation.
 */
import type { FleetKitResult } from '../../shared/contract/fleet'
import { AppError } from '../../shared/errors'
import { buildFleetKit, kitFolderState, writeFleetKit } from '../fleet/kit'
import type { Services } from '../services'
import { commonName } from '../truststore/certificates'
import { confirmInMain } from './confirm'
import type { HandlersOf } from './index'

export function createFleetHandlers(services: Services): HandlersOf<'fleet'> {
  return {
    'fleet:exportKit': ({ certificatePem }) => exportKitToChosenFolder(services, certificatePem),
  }
}

/**
 * The fleet kit of a root, written into a folder the user chooses in main's dialog (`folder: null` when cancelled);
 * a folder that already holds files is written into only after a confirmation naming what is replaced.
 */
export async function exportKitToChosenFolder(services: Services, certificatePem: string): Promise<FleetKitResult> {
  // A root that cannot be deployed is refused before any dialog.
  const kit = buildFleetKit(Buffer.from(certificatePem), { version: services.options.appVersion })
  const root = { subject: kit.root.subject, sha256: kit.root.sha256 }
  const files = kit.files.map((f) => f.path)
  const openPath = services.options.dialogs?.openPath
  if (!openPath) {
    throw new AppError('unsupported', 'Exporting a fleet kit needs the app’s folder dialog.', {
      hint: 'Use `certdesk fleet kit ROOT.pem --out DIR` on the command line.',
    })
  }
  const folder = await openPath({ title: `Folder for the fleet kit of “${kit.root.name}”`, extensions: [], folder: true })
  if (!folder) return { folder: null, files: [], root }
  const state = kitFolderState(folder)
  if (state.state === 'not-empty') {
    const replaced = files.filter((f) => state.names.includes(f.split('/')[0]!))
    const items = `${state.names.length} item${state.names.length === 1 ? '' : 's'}`
    await confirmInMain(
      services,
      { action: 'fleet.kit', objectName: kit.root.subject, objectId: kit.root.sha256 },
      {
        title: 'Write the fleet kit into a folder that holds files',
        message: `${folder} already holds ${items}. Write the kit for “${commonName(kit.root.subject)}” into it?`,
        detail: [
          replaced.length ? `These files of the same name are replaced: ${replaced.join(', ')}.` : 'No file in it has a kit file’s name.',
          'Every other file in the folder stays as it is.',
        ].join('\n'),
        confirmLabel: 'Write kit',
        destructive: replaced.length > 0,
      },
    )
  }
  writeFleetKit(kit, folder, { overwrite: true })
  return { folder, files, root }
}
