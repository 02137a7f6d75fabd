/** Cloudflare channels: resolve the profile's zone or account for messages, then call the service. */
import type { Handlers } from '../dispatch'
import type { Services } from '../services'
import { assertRootCaPasses } from '../lint/install-gate'
import { withJob } from './job'
import type { KeysCloudflareChannel } from './keys-cloudflare'

/** Cloudflare's channels; the ones that need a vault key live in keys-cloudflare.ts. */
type CloudflareChannels = Pick<
  Handlers,
  Exclude<
    Extract<keyof Handlers, `${'profiles:verify' | `${'clientCerts' | 'hostnames' | 'access' | 'mtls' | 'gateway'}:${string}`}`>,
    KeysCloudflareChannel
  >
>

export function createCloudflareHandlers(services: Services): CloudflareChannels {
  const { cloudflare, profiles, jobs } = services
  const zone = profiles.zoneScope.bind(profiles)
  const account = profiles.accountScope.bind(profiles)

  return {
    'profiles:verify': ({ id }) => profiles.refreshIdentity(id),

    'clientCerts:list': ({ profileId, zoneId, status, jobId }, context) =>
      withJob(jobs, context, jobId, 'Loading client certificates', (op) =>
        cloudflare.listClientCertificates(profileId, zone(profileId, zoneId), { status, ...op }),
      ),
    'clientCerts:get': ({ profileId, zoneId, id }) => cloudflare.getClientCertificate(profileId, zone(profileId, zoneId), id),
    'clientCerts:createFromCsr': async ({ profileId, zoneId, csrPem, validityDays }) => {
      const { certificate, recovered, attempts } = await services.issuer.issue(profileId, zone(profileId, zoneId), { csrPem, validityDays })
      return { certificate, recovered, attempts }
    },
    'clientCerts:revoke': ({ profileId, zoneId, id }) => cloudflare.revokeClientCertificate(profileId, zone(profileId, zoneId), id),
    'clientCerts:reactivate': ({ profileId, zoneId, id }) => cloudflare.reactivateClientCertificate(profileId, zone(profileId, zoneId), id),
    'clientCerts:bulkRevoke': ({ profileId, zoneId, ids, jobId }, context) =>
      withJob(jobs, context, jobId, `Revoking ${ids.length} certificates`, (op) =>
        cloudflare.bulkRevoke(profileId, zone(profileId, zoneId), ids, op),
      ),

    'hostnames:get': ({ profileId, zoneId, mtlsCertificateId }) =>
      cloudflare.getHostnames(profileId, zone(profileId, zoneId), { mtlsCertificateId }),
    'hostnames:plan': ({ profileId, zoneId, mtlsCertificateId, hostnames }) =>
      cloudflare.planHostnames(profileId, zone(profileId, zoneId), { mtlsCertificateId }, hostnames),
    'hostnames:replace': ({ profileId, zoneId, mtlsCertificateId, hostnames, expectedCurrent }) =>
      cloudflare.replaceHostnames(profileId, zone(profileId, zoneId), { mtlsCertificateId, hostnames, expectedCurrent }),

    'access:list': ({ profileId, scope }) => cloudflare.listAccessCertificates(profileId, scope),
    'access:add': ({ profileId, scope, name, certificatePem, hostnames }) => {
      // The root-ca gate runs here, before any request: an expired root or a leaf is refused in words.
      assertRootCaPasses(certificatePem, name)
      return cloudflare.addAccessCertificate(profileId, scope, { name, certificatePem, hostnames })
    },
    'access:updateHostnames': ({ profileId, scope, id, hostnames }) => cloudflare.updateAccessHostnames(profileId, scope, id, hostnames),
    'access:delete': ({ profileId, scope, id, jobId }, context) =>
      withJob(jobs, context, jobId, 'Deleting the Access root', (op) => cloudflare.deleteAccessCertificate(profileId, scope, id, op)),
    'access:settings': ({ profileId, scope }) => cloudflare.getAccessSettings(profileId, scope),
    'access:updateSettings': ({ profileId, scope, settings }) => cloudflare.updateAccessSettings(profileId, scope, settings),

    'mtls:list': ({ profileId, accountId, types }) => cloudflare.listMtlsCertificates(profileId, account(profileId, accountId), types),
    'mtls:upload': ({ profileId, accountId, name, chainPem }) =>
      cloudflare.uploadCa(profileId, account(profileId, accountId), { name, chainPem }),
    'mtls:associations': ({ profileId, accountId, id }) => cloudflare.mtlsAssociations(profileId, account(profileId, accountId), id),
    'mtls:delete': ({ profileId, accountId, id }) => cloudflare.deleteMtlsCertificate(profileId, account(profileId, accountId), id),

    'gateway:list': ({ profileId, accountId }) => cloudflare.listGatewayCertificates(profileId, account(profileId, accountId)),
    'gateway:create': ({ profileId, accountId, validityDays }) =>
      cloudflare.createGatewayCertificate(profileId, account(profileId, accountId), validityDays),
    'gateway:activate': ({ profileId, accountId, id, wait, jobId }, context) =>
      withJob(jobs, context, jobId, 'Activating the Gateway certificate', (op) =>
        cloudflare.activateGatewayCertificate(profileId, account(profileId, accountId), id, { wait, ...op }),
      ),
    'gateway:watch': ({ profileId, accountId, id, jobId }, context) =>
      withJob(jobs, context, jobId, 'Waiting for the certificate to deploy', (op) =>
        cloudflare.watchGatewayCertificate(profileId, account(profileId, accountId), id, op),
      ),
    'gateway:useForInspection': ({ profileId, accountId, id }) =>
      cloudflare.useGatewayCertificateForInspection(profileId, account(profileId, accountId), id),
    'gateway:inspectionCertificate': async ({ profileId, accountId }) => ({
      certificateId: await cloudflare.inspectionCertificateId(profileId, account(profileId, accountId)),
    }),
    'gateway:deactivate': ({ profileId, accountId, id }) =>
      cloudflare.deactivateGatewayCertificate(profileId, account(profileId, accountId), id),
    'gateway:delete': ({ profileId, accountId, id }) => cloudflare.deleteGatewayCertificate(profileId, account(profileId, accountId), id),
  }
}
