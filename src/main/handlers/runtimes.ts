/** `runtimes:*`: make Node, Python, git and Java trust a root for this user, and undo it — each confirmed in main first. */
import { commonName, parseRootForInstall } from '../truststore/certificates'
import { fixPlan, fixRuntimes, systemRootsOf, undoRuntimes, userEnv } from '../runtimes'
import type { Services } from '../services'
import { colonHex } from '../certs/fingerprint'
import { confirmInMain } from './confirm'
import type { HandlersOf } from './index'

export function createRuntimesHandlers(services: Services): HandlersOf<'runtimes'> {
  const userDataDir = services.options.userDataDir
  const fixer = () => ({
    userDataDir,
    env: userEnv(process.env, services.options.trust?.home),
    systemRoots: () => systemRootsOf(services.trust().stores),
  })
  return {
    'runtimes:fix': async ({ certificatePem, runtimes }) => {
      // A bad root is refused before the question: only a real change is asked about.
      const { summary } = parseRootForInstall(Buffer.from(certificatePem))
      const options = fixer()
      await confirmInMain(
        services,
        { action: 'runtimes.fix', objectName: summary.subject, objectId: summary.sha256 },
        {
          title: 'Make runtimes trust this root',
          message: `Make Node.js, Python, git and Java trust “${commonName(summary.subject)}” for your user account?`,
          detail: [`SHA-256: ${colonHex(summary.sha256)}`, '', ...fixPlan(runtimes, userDataDir, options.env)].join('\n'),
          confirmLabel: 'Fix runtimes',
          destructive: false,
        },
      )
      const report = await fixRuntimes(Buffer.from(certificatePem), runtimes, options)
      const failed = report.fixes.filter((f) => f.status === 'failed')
      services.activity.record({
        action: 'runtimes.fix',
        target: report.fixes.map((f) => `${f.runtime}:${f.status}`).join(' '),
        objectId: summary.sha256,
        objectName: summary.subject,
        outcome: failed.length ? 'failed' : 'ok',
        ...(failed.length ? { reason: failed.map((f) => `${f.runtime}: ${f.message}`).join('; ') } : {}),
      })
      return report
    },
    'runtimes:undo': async ({ certificatePem }) => {
      const { summary } = parseRootForInstall(Buffer.from(certificatePem))
      await confirmInMain(
        services,
        { action: 'runtimes.undo', objectName: summary.subject, objectId: summary.sha256 },
        {
          title: 'Undo the runtime fix',
          message: `Stop Node.js, Python, git and Java trusting “${commonName(summary.subject)}” through Certdesk’s fix?`,
          detail: 'Every file the fix changed is put back as it was; the bundle, the env file and the cacerts copy are removed.',
          confirmLabel: 'Undo fix',
          destructive: true,
        },
      )
      const report = await undoRuntimes(Buffer.from(certificatePem), fixer())
      services.activity.record({
        action: 'runtimes.undo',
        target: `${report.files.length} files`,
        objectId: summary.sha256,
        objectName: summary.subject,
      })
      return report
    },
  }
}
