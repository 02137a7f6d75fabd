/** The rollover runbook wired to the app's services, and the questions main asks before the switch and the retire. */
import type { ConfirmRequest, Services } from '../services'
import type { RolloverState } from '../../shared/contract/rollover'
import { coverageRatio, percent } from '../../shared/coverage'
import { RolloverRunbook } from './runbook'

export { RolloverRunbook, gatewayRootSha256, ROLLOVER_DIR, type RolloverScope } from './runbook'

const runbooks = new WeakMap<object, RolloverRunbook>()

export function rolloverOf(services: Pick<Services, 'options' | 'cloudflare' | 'storageProblems'>): RolloverRunbook {
  let runbook = runbooks.get(services)
  if (!runbook) {
    const onProblem = (p: Services['storageProblems'][number]) => services.storageProblems.push(p)
    runbook = new RolloverRunbook({ dir: services.options.userDataDir, cloudflare: services.cloudflare, onProblem })
    runbooks.set(services, runbook)
  }
  return runbook
}

/** The lines the switch question shows: coverage, threshold, and exactly what changes at Cloudflare. */
export function switchLines(state: RolloverState): string[] {
  const c = state.coverage
  return [
    c ? `Coverage: ${c.trusted} of ${c.total} reporting machines trust the new root (${percent(coverageRatio(c))}).` : 'Coverage: none',
    `Threshold: ${state.thresholdPercent} %.`,
    `New root: Gateway certificate ${state.newCertificate?.id ?? '?'}.`,
    `Now inspecting with: ${state.oldCertificateId ?? 'Cloudflare’s own certificate'}.`,
    'Cloudflare will activate the new certificate and Gateway will sign inspected traffic with it:',
    'devices that do not trust it will show certificate errors.',
  ]
}

export function switchQuestion(state: RolloverState): ConfirmRequest {
  return {
    title: 'Switch Gateway to the new root',
    message: `Activate Gateway certificate ${state.newCertificate?.id ?? ''} and inspect TLS with it?`,
    detail: switchLines(state).join('\n'),
    confirmLabel: 'Switch root',
    destructive: false,
  }
}

export function retireQuestion(state: RolloverState): ConfirmRequest {
  return {
    title: 'Retire the old Gateway root',
    message: `Deactivate the old Gateway certificate ${state.oldCertificateId ?? ''}?`,
    detail: 'Cloudflare takes it off the edge. Delete it afterwards with: certdesk cf gateway delete ID (once inactive).',
    confirmLabel: 'Retire old root',
    destructive: true,
  }
}
