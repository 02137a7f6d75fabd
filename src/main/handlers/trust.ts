/** `trust:*`: this machine's trust stores: list, find, install, remove, verify, and what a host presents. */
import type { Services } from '../services'
import { commonName, parseRootForInstall } from '../truststore/certificates'
import { resolveCertOrFingerprint } from '../truststore/verify'
import { colonHex } from '../certs/fingerprint'
import { confirmInMain } from './confirm'
import type { HandlersOf } from './index'
import { withJob } from './job'

export function createTrustHandlers(services: Services): HandlersOf<'trust'> {
  const trust = services.trust
  /** Each store the change touches: its name, where it lives, and whether the OS will ask for a password. */
  const storeLines = (storeIds: readonly string[] | undefined) =>
    trust()
      .select(storeIds)
      .map((s) => s.describe())
      .map((d) => {
        const password = d.needsElevation ? ' (asks for an administrator password)' : ''
        const missing = d.available ? '' : ` (${d.tool} missing: will fail)`
        return `  • ${d.label}: ${d.location}${password}${missing}`
      })
  return {
    'trust:stores': () => trust().describe(),
    'trust:list': ({ storeIds, jobId }, context) =>
      withJob(services.jobs, context, jobId, 'Reading trust stores', ({ onProgress }) =>
        trust().list(storeIds, onProgress && ((p) => onProgress({ done: p.done, total: p.total, message: p.label }))),
      ),
    'trust:find': ({ input, storeIds }) => trust().find(input, storeIds),
    'trust:install': async ({ certificatePem, storeIds }) => {
      // Bad input and unknown stores are refused before the question: only a real change is asked about.
      const { summary } = parseRootForInstall(Buffer.from(certificatePem))
      const stores = storeLines(storeIds)
      await confirmInMain(
        services,
        { action: 'trust.install', objectName: summary.subject, objectId: summary.sha256 },
        {
          title: 'Trust this root certificate',
          message: `Install “${commonName(summary.subject)}” as a trusted root on this computer?`,
          detail: [
            `Subject: ${summary.subject}`,
            `SHA-256: ${colonHex(summary.sha256)}`,
            `Into ${stores.length === 1 ? 'this store' : `these ${stores.length} stores`}:`,
            ...stores,
            '',
            'Programs using these stores will trust every certificate this CA signs.',
          ].join('\n'),
          confirmLabel: 'Install root',
          destructive: false,
        },
      )
      return trust().install(certificatePem, storeIds)
    },
    'trust:remove': async ({ input, storeIds }) => {
      const { fingerprint, root } = resolveCertOrFingerprint(input, undefined, { allowFiles: false })
      const stores = storeLines(storeIds)
      // A bare fingerprint names no subject: take it from the stores that hold the certificate.
      const holding = root ? [] : (await trust().findFingerprint(fingerprint, storeIds)).filter((s) => s.entries.length > 0)
      const subject = root?.subject ?? holding[0]?.entries[0]?.subject ?? null
      const shown = subject ? `“${commonName(subject)}”` : 'the certificate with this fingerprint'
      await confirmInMain(
        services,
        { action: 'trust.remove', objectName: subject ?? fingerprint.hex, objectId: fingerprint.hex },
        {
          title: 'Remove a trusted root',
          message: `Remove ${shown} from this computer’s trusted roots?`,
          detail: [
            `Subject: ${subject ?? 'not found in the selected stores'}`,
            `${fingerprint.algorithm.toUpperCase().replace('SHA', 'SHA-')}: ${colonHex(fingerprint.hex)}`,
            `From ${stores.length === 1 ? 'this store' : `these ${stores.length} stores`}:`,
            ...stores,
            '',
            'Sites and clients signed by this CA will stop being trusted by programs using these stores.',
          ].join('\n'),
          confirmLabel: 'Remove root',
          destructive: true,
        },
      )
      return trust().remove(input, storeIds)
    },
    'trust:verify': ({ input, host, storeIds }) => trust().verify(input, { ...(host ? { host } : {}), ...(storeIds ? { storeIds } : {}) }),
    'trust:probeHost': ({ host, port }) => trust().probeHost(host, port),
  }
}
