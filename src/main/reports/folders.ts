/** The folder of reports imported last, per running app (main remembers it: the renderer never names a path). */
import type { Coverage } from '../../shared/report-model'
import { AppError } from '../../shared/errors'
import type { Services } from '../services'
import { coverageOfFolder } from './coverage'

const lastFolders = new WeakMap<object, string>()

/** Ask main's dialog for a folder of reports and compute its coverage; null when cancelled. */
export async function importReportFolder(services: Services): Promise<Coverage | null> {
  const openPath = services.options.dialogs?.openPath
  if (!openPath) {
    throw new AppError('unsupported', 'Importing reports needs the app’s open dialog.', { hint: 'Use: certdesk fleet coverage DIR' })
  }
  const folder = await openPath({ title: 'Import a folder of trust reports', extensions: ['json'], folder: true })
  if (!folder) return null
  const coverage = coverageOfFolder(folder)
  lastFolders.set(services, folder)
  return coverage
}

/** The folder imported last, read again; null when none was imported in this run of the app. */
export function refreshReportFolder(services: Services): Coverage | null {
  const folder = lastFolders.get(services)
  return folder === undefined ? null : coverageOfFolder(folder)
}
