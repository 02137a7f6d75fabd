/** What the Origin screen works out from the vault and Cloudflare's answers: the vault's CAs, and the CA bundle. */
import type { AopCertificate } from '../../../../shared/origin-model'
import type { VaultKeyRow } from '../../../../shared/pki-model'
import { shortId } from '../../lib/format'

/** Vault keys holding a self-signed certificate: the local CAs an AOP certificate can be signed by. */
export const vaultCas = (keys: readonly VaultKeyRow[]): VaultKeyRow[] =>
  keys.filter((k) => k.certificate !== undefined && k.certificateInfo?.selfSigned === true)

/** The vault CA that signed a certificate with this issuer, when the vault holds it. */
export function caOfIssuer(issuer: string | undefined, keys: readonly VaultKeyRow[]): VaultKeyRow | undefined {
  if (!issuer) return undefined
  const flat = (dn: string) => dn.replace(/\s*([,=])\s*/g, '$1').toLowerCase()
  return vaultCas(keys).find((k) => {
    const info = k.certificateInfo!
    return flat(info.subject) === flat(issuer) || flat(issuer).split(/[,/]/).includes(`cn=${info.commonName.toLowerCase()}`)
  })
}

/** The origin's client-certificate CA bundle during a rotation: the old CA (when known) and the new one, PEM after PEM. */
export const caBundle = (...pems: Array<string | undefined>): string =>
  [...new Set(pems.filter((p): p is string => !!p).map((p) => p.trim()))].join('\n') + '\n'

export const aopName = (c: AopCertificate): string => `${c.kind === 'zone' ? 'Zone-level' : 'Hostname'} certificate ${shortId(c.id)}`

/** Still settling at Cloudflare: the list is read again until it is not. */
export const isPending = (c: AopCertificate): boolean =>
  c.status === 'initializing' || c.status === 'pending_deployment' || c.status === 'pending_deletion'
