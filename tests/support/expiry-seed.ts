/**
 * Certificates expiring at known dates on every surface the expiry radar reads, for its tests: made on a Sandbox whose
 * clock stands at `at` (through the official SDK, as a user would), in a vault, and in a throwaway machine's trust
 * store. Each helper returns what it made, with the date, so a test can say exactly which items are due.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import Cloudflare from 'cloudflare'
import type { ExpirySurface } from '../../src/shared/expiry-model'
import type { SandboxHandle } from '../../src/main/sandbox'
import type { KeyVault } from '../../src/main/secrets/vault'
import { makeCsr } from './csr'

const DAY = 86_400_000
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** The Sandbox clock of the radar's tests: a fixed date, so "expires in 10 days" is a known date. */
export const SEED_AT = Date.parse('2031-05-01T09:00:00Z')

export interface Seeded {
  surface: ExpirySurface
  id: string
  /** Days from `at` to its expiry. */
  days: number
}

export interface Made {
  pem: string
  keyPem: string
  keys: webcrypto.CryptoKeyPair
  cert: x509.X509Certificate
}

/** A certificate valid from a day before `at` until `days` after it: a CA, or a leaf signed by `issuer` (self-signed without). */
export async function certificateAt(cn: string, at: number, days: number, options: { ca?: boolean; issuer?: Made } = {}): Promise<Made> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const ext = options.ca
    ? [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ]
    : [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)]
  const validity = { notBefore: new Date(at - DAY), notAfter: new Date(at + days * DAY) }
  const signing = { signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: ext, ...validity }
  const cert = options.issuer
    ? await x509.X509CertificateGenerator.create({
        subject: `CN=${cn}`,
        issuer: options.issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: options.issuer.keys.privateKey,
        serialNumber: Date.now().toString(16),
        ...signing,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ name: `CN=${cn}`, keys, serialNumber: Date.now().toString(16), ...signing })
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`
  return { pem: cert.toString('pem'), keyPem, keys, cert }
}

/**
 * On a Sandbox at `at` (its clock), one certificate per Cloudflare surface expiring within 30 days, and a client
 * certificate expiring in 400 (never due): returns the due ones.
 */
export async function seedCloudflare(sb: SandboxHandle, at: number): Promise<Seeded[]> {
  const sdk = new Cloudflare({ apiToken: sb.tokens.full, baseURL: sb.url, maxRetries: 0 })
  const account_id = sb.account.id
  const [com, net] = sb.zones as [{ id: string; name: string }, { id: string; name: string }]
  const seeded: Seeded[] = []
  const client = async (days: number) => {
    const csr = await makeCsr(`device-${days}d.${com.name}`)
    const made = await sdk.clientCertificates.create({ zone_id: com.id, csr: csr.pem, validity_days: days })
    return made.id!
  }
  seeded.push({ surface: 'clientCert', id: await client(10), days: 10 })
  await client(400)
  const accountRoot = await certificateAt('Radar Account Access Root', at, 20, { ca: true })
  const accessAccount = await sdk.zeroTrust.access.certificates.create({
    account_id,
    name: 'radar-account-root',
    certificate: accountRoot.pem,
  })
  seeded.push({ surface: 'accessRoot', id: accessAccount.id!, days: 20 })
  const zoneRoot = await certificateAt('Radar Zone Access Root', at, 25, { ca: true })
  const accessZone = await sdk.zeroTrust.access.certificates.create({ zone_id: net.id, name: 'radar-zone-root', certificate: zoneRoot.pem })
  seeded.push({ surface: 'accessRoot', id: accessZone.id!, days: 25 })
  const byoCa = await certificateAt('Radar BYO CA', at, 15, { ca: true })
  const mtls = await sdk.mtlsCertificates.create({ account_id, ca: true, certificates: byoCa.pem, name: 'radar-byo-ca' })
  seeded.push({ surface: 'mtlsCert', id: mtls.id!, days: 15 })
  const gateway = await sdk.zeroTrust.gateway.certificates.create({ account_id, validity_period_days: 5 })
  seeded.push({ surface: 'gatewayRoot', id: gateway.id!, days: 5 })
  const pullsCa = await certificateAt('Radar Pulls CA', at, 365, { ca: true })
  const pulls = await certificateAt('radar-pulls', at, 12, { issuer: pullsCa })
  const aop = await sdk.originTLSClientAuth.zoneCertificates.create({ zone_id: net.id, certificate: pulls.pem, private_key: pulls.keyPem })
  seeded.push({ surface: 'aopCert', id: aop.id!, days: 12 })
  const originCsr = await makeCsr(`origin.${com.name}`)
  const origin = await sdk.originCACertificates.create({
    csr: originCsr.pem,
    hostnames: [`origin.${com.name}`],
    request_type: 'origin-ecc',
    requested_validity: 7,
  })
  seeded.push({ surface: 'originCaCert', id: origin.id!, days: 7 })
  return seeded
}

/** In the vault: a local CA expiring in 28 days, a certificate it issued expiring in 3, and a CA good for 10 years. */
export async function seedVault(vault: KeyVault, at: number): Promise<Seeded[]> {
  const ca = await certificateAt('Radar Local CA', at, 28, { ca: true })
  const leaf = await certificateAt('radar-leaf.internal', at, 3, { issuer: ca })
  const lasting = await certificateAt('Radar Lasting CA', at, 3650, { ca: true })
  const keep = async (label: string, made: Made) => {
    const entry = await vault.save({ label, privateKey: made.keys.privateKey })
    await vault.linkCertificate(entry.id, made.pem)
    return entry.id
  }
  const seeded: Seeded[] = [
    { surface: 'localCa', id: await keep('Radar Local CA', ca), days: 28 },
    { surface: 'issuedCert', id: await keep('radar-leaf.internal', leaf), days: 3 },
  ]
  await keep('Radar Lasting CA', lasting)
  return seeded
}

/** A root added to a throwaway Debian tree's anchors (update-ca-certificates is run by the caller): expires in 8 days. */
export async function seedInstalledRoot(anchors: string, at: number): Promise<{ made: Made; days: number }> {
  const made = await certificateAt('Radar Installed Root', at, 8, { ca: true })
  writeFileSync(join(anchors, 'radar-installed-root.crt'), made.pem)
  return { made, days: 8 }
}
