/**
 * The Origin CA's own root: what an admin adds to a client that talks to the origin directly (a health check, a
 * load balancer) and what `openssl verify` needs to check an Origin CA certificate. Cloudflare publishes an RSA and
 * an ECC root (Cloudflare docs: Origin CA certificates, "Cloudflare Origin CA root certificate"); the Sandbox has its
 * own. Whatever is fetched is checked before it is handed on: one certificate, a self-signed CA whose signature
 * verifies, named as the Origin CA.
 */
import { X509Certificate } from 'node:crypto'
import { AppError } from '../../shared/errors'
import { pemCertificates, toPem } from '../certs/pem'
import { fingerprintOfDer } from '../certs/fingerprint'

export const CLOUDFLARE_ORIGIN_CA_ROOT_URLS = [
  'https://developers.cloudflare.com/ssl/static/origin_ca_rsa_root.pem',
  'https://developers.cloudflare.com/ssl/static/origin_ca_ecc_root.pem',
] as const

export interface OriginCaRoot {
  name: string
  pem: string
  /** SHA-256, upper-case colon-hex. */
  sha256: string
  notAfter: string
}

/** One self-signed CA certificate whose subject matches `named`, or an error saying what it is instead. */
export function checkOriginCaRoot(text: string, named: RegExp, source: string): OriginCaRoot {
  const ders = pemCertificates(text)
  if (ders.length !== 1) {
    throw new AppError('cf_error', `${source} did not hold one certificate (${ders.length} found).`, {
      hint: 'Download the Origin CA root from Cloudflare’s documentation and check it by hand.',
    })
  }
  const certificate = new X509Certificate(ders[0]!)
  if (
    !certificate.ca ||
    certificate.subject !== certificate.issuer ||
    !certificate.verify(certificate.publicKey) ||
    !named.test(certificate.subject)
  ) {
    throw new AppError('cf_error', `${source} is not the Origin CA root (subject ${certificate.subject.replace(/\n/g, ', ')}).`, {
      hint: 'Nothing was saved. Download the Origin CA root from Cloudflare’s documentation and check it by hand.',
    })
  }
  const ou = /^OU=(.+)$/m.exec(certificate.subject)?.[1]
  const cn = /^CN=(.+)$/m.exec(certificate.subject)?.[1]
  return {
    name: ou ?? cn ?? 'Origin CA',
    pem: toPem(ders[0]!, 'CERTIFICATE'),
    sha256: fingerprintOfDer(ders[0]!),
    notAfter: new Date(certificate.validTo).toISOString(),
  }
}

/** Cloudflare's published Origin CA roots (RSA and ECC), each checked. */
export async function fetchCloudflareOriginCaRoots(fetchFn: typeof fetch, signal?: AbortSignal): Promise<OriginCaRoot[]> {
  return Promise.all(
    CLOUDFLARE_ORIGIN_CA_ROOT_URLS.map(async (url) => {
      let text: string
      try {
        const response = await fetchFn(url, { ...(signal ? { signal } : {}) })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        text = await response.text()
      } catch (error) {
        throw new AppError('cf_unreachable', `Could not download the Origin CA root from ${url}.`, {
          hint: 'Check the connection (or the proxy) and try again.',
          cause: error,
        })
      }
      return checkOriginCaRoot(text, /CloudFlare Origin SSL (ECC )?Certificate Authority/, url)
    }),
  )
}
