/**
 * Firefox: `firefox/policies.json` with the `Certificates` policy (Mozilla's enterprise policies): `Install` names
 * the root's file, which Firefox looks up in its certificate folders, and `ImportEnterpriseRoots` makes Firefox trust
 * the roots the OS store holds (what install-windows.ps1 and the .mobileconfig add).
 */
import type { KitRoot } from './root'

/** The file name `Install` names; README.txt says where to copy root.cer under it. */
export const firefoxCertName = (root: KitRoot): string => `${root.fileBase}.cer`

/** Where Firefox looks up a bare `Install` name, per OS (Mozilla's policy templates, Certificates). */
export const FIREFOX_CERT_FOLDERS = {
  windows: ['%USERPROFILE%\\AppData\\Local\\Mozilla\\Certificates', '%USERPROFILE%\\AppData\\Roaming\\Mozilla\\Certificates'],
  macos: ['/Library/Application Support/Mozilla/Certificates', '~/Library/Application Support/Mozilla/Certificates'],
  linux: ['/usr/lib/mozilla/certificates', '/usr/lib64/mozilla/certificates', '~/.mozilla/certificates'],
} as const

export function firefoxPolicies(root: KitRoot): string {
  const policies = { policies: { Certificates: { ImportEnterpriseRoots: true, Install: [firefoxCertName(root)] } } }
  return `${JSON.stringify(policies, null, 2)}\n`
}
