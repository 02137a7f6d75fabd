/**
 * `rollover:*`: the Gateway root rollover runbook. The switch and the retire are confirmed in main (confirmInMain)
 * after the runbook's own checks (coverage at or above the threshold), so a renderer cannot skip the question.
 */
import { AppError } from '../../shared/errors'
import { importReportFolder, refreshReportFolder } from '../reports/folders'
import { retireQuestion, rolloverOf, switchQuestion } from '../rollover'
import type { Services } from '../services'
import { confirmInMain } from './confirm'
import { exportKitToChosenFolder } from './fleet'
import type { HandlersOf } from './index'
import { withJob } from './job'

export function createRolloverHandlers(services: Services): HandlersOf<'rollover'> {
  const runbook = () => rolloverOf(services)
  /** A confirmation in main: true on yes; a no is recorded and thrown by confirmInMain. */
  const asked = (action: string, question: typeof switchQuestion) => async (state: Parameters<typeof switchQuestion>[0]) => {
    const target = state.newCertificate?.id ?? 'Gateway root'
    await confirmInMain(services, { action, objectName: target, objectId: target }, question(state))
    return true
  }
  return {
    'rollover:status': (scope) => runbook().status(scope),
    'rollover:start': ({ profileId, accountId, ...request }) => runbook().start({ profileId, accountId }, request),
    'rollover:kitExported': (scope) => runbook().kitExported(scope),
    'rollover:exportKit': async (scope) => {
      const kit = await exportKitToChosenFolder(services, await runbook().newRootPem(scope))
      const state = kit.folder === null ? runbook().status(scope)! : runbook().kitExported(scope)
      return { state, kit }
    },
    'rollover:setThreshold': ({ thresholdPercent, ...scope }) => runbook().setThreshold(scope, thresholdPercent),
    'rollover:recordCoverage': async (scope) => {
      if (!runbook().status(scope)) throw new AppError('not_found', 'No Gateway root rollover has been started for this account.')
      const coverage = refreshReportFolder(services) ?? (await importReportFolder(services))
      return coverage ? runbook().recordCoverage(scope, coverage) : null
    },
    'rollover:switch': ({ jobId, ...scope }, context) =>
      withJob(services.jobs, context, jobId, 'Switching the Gateway root', (operation) =>
        runbook().switch(scope, asked('rollover.switch', switchQuestion), operation),
      ),
    'rollover:retire': (scope) => runbook().retire(scope, asked('rollover.retire', retireQuestion)),
    'rollover:abandon': (scope) => ({ abandoned: runbook().abandon(scope) }),
  }
}
