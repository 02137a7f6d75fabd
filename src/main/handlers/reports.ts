/** `reports:*`: save this machine's trust report (verified again, saved through main's dialog); import a fleet's folder. */
import { safeFileName } from '../../shared/file-names'
import { importReportFolder, refreshReportFolder } from '../reports/folders'
import { writeReportFiles } from '../reports/files'
import type { Services } from '../services'
import { chooseFileInMain } from './confirm'
import type { HandlersOf } from './index'
import { thisMachine } from '../reports/report'
import { rootName } from '../../shared/trust-verdict'

export function createReportsHandlers(services: Services): HandlersOf<'reports'> {
  return {
    'reports:save': async ({ input, host, storeIds }) => {
      const verify = await services.trust().verify(input, { ...(host ? { host } : {}), ...(storeIds ? { storeIds } : {}) })
      const machine = thisMachine()
      // Named by the machine and the root's CN (a root no store holds: its fingerprint's first 16 digits).
      const root = verify.root ? rootName(verify) : verify.fingerprint.hex.slice(0, 16)
      const defaultName = `${safeFileName(`${machine.name}-${root}`, 'trust-report')}.json`
      const path = await chooseFileInMain(services)({ title: 'Save the trust report', defaultName, extensions: ['json'] })
      if (!path) return null
      const file = path.toLowerCase().endsWith('.json') ? path : `${path}.json`
      const { json, html } = writeReportFiles(verify, file, { name: 'certdesk', version: services.options.appVersion }, machine)
      return { json, html }
    },
    'reports:import': () => importReportFolder(services),
    'reports:refresh': () => refreshReportFolder(services),
  }
}
