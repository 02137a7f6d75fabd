/** `hostnames:*`: which hostnames of a zone ask for a client certificate, per CA (Cloudflare docs: Hostname associations). */
import { z } from 'zod'
import { HostnamePlan } from '../cloudflare-model'
import { Hostnames, Id, req, Zone } from './fields'

const Ca = { mtlsCertificateId: Id.optional() }

export const hostnamesContract = {
  'hostnames:get': { request: req({ ...Zone, ...Ca }), response: z.array(z.string()) },
  'hostnames:plan': {
    request: req({ ...Zone, ...Ca, hostnames: Hostnames }),
    response: z.object({ current: z.array(z.string()), plan: HostnamePlan }),
  },
  'hostnames:replace': {
    request: req({ ...Zone, ...Ca, hostnames: Hostnames, expectedCurrent: z.array(z.string()).max(1000) }),
    response: z.object({ plan: HostnamePlan, hostnames: z.array(z.string()), changed: z.boolean() }),
  },
} as const
