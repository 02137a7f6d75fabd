/**
 * What a change needs that the active profile's token lacks, in the words the screens show next to
 * the disabled button: "Needs SSL and Certificates Write on example.com". Known from the token
 * probe at the last verification; null when the permission is granted or was not found missing.
 */
import { WRITE_PERMISSION } from '../../../shared/constants'
import { useActiveProfile } from './useScope'

export type WriteNeed = keyof typeof WRITE_PERMISSION

export function useMissingPermission(need: WriteNeed, where: string | undefined): string | null {
  const profile = useActiveProfile()
  const permission = WRITE_PERMISSION[need]
  if (!profile?.missingPermissions.includes(permission)) return null
  return `Needs ${permission}${where ? ` on ${where}` : ''}`
}
