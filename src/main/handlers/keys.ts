/** `keys:*`: the vault's keys, through the KeyService; deleting one is confirmed in main first. */
import type { VaultEntry } from '../../shared/pki-model'
import type { Services } from '../services'
import { chooseFileInMain, confirmInMain, deleteKeyQuestion } from './confirm'
import type { HandlersOf } from './index'
import { asJob } from './job'

export function createKeysHandlers(services: Services): HandlersOf<'keys'> {
  const { keys, jobs } = services
  return {
    'keys:list': () => keys.list(),
    'keys:newCsr': asJob(
      jobs,
      (request) => `Generating a ${request.keyType} key`,
      (request, op) => keys.newCsr(request, op),
    ),
    'keys:newRoot': asJob(jobs, 'Generating a root CA', (request, op) => keys.newRoot(request, op)),
    'keys:reissueCa': asJob(jobs, 'Re-issuing the CA certificate', ({ id, days }) => keys.reissueCa({ keyId: id, days })),
    'keys:delete': async ({ id }) => {
      const confirmed = async (entry: VaultEntry) => {
        await confirmInMain(services, { action: 'key.delete', objectName: entry.label, objectId: id }, deleteKeyQuestion(entry))
        return true
      }
      return { deleted: (await keys.delete(id, confirmed)).deleted }
    },
    'keys:export': async ({ id, format, password }) => ({
      savedTo: (await keys.export(id, format, password, chooseFileInMain(services))).savedTo,
    }),
  }
}
