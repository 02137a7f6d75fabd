/**
 * What main asks the user itself, through the window's dialogs: where to save a file, and a
 * confirmation before a change to the machine (trust stores) or the destruction of a key.
 * The handler asks before it does anything, so a renderer — even a compromised one calling IPC
 * directly — cannot skip it. A "no" is recorded and thrown as `cancelled`: nothing was changed.
 */
import { X509Certificate } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { VaultEntry } from '../../shared/pki-model'
import type { ChooseFile } from '../keys/service'
import type { ConfirmRequest, Services } from '../services'
import { oneLineName } from '../truststore/certificates'
import { colonHex } from '../certs/fingerprint'

export interface ConfirmedAction {
  /** The activity action a "no" is recorded under, e.g. `trust.install`. */
  action: string
  objectName: string
  objectId?: string
}

export async function confirmInMain(services: Services, what: ConfirmedAction, request: ConfirmRequest): Promise<void> {
  const confirm = services.options.dialogs?.confirm
  if (!confirm) {
    throw new AppError('unsupported', `${request.title} needs the app’s confirmation dialog.`, {
      hint: 'Use the certdesk command line for unattended changes.',
    })
  }
  if (await confirm(request)) return
  services.activity.record({
    action: what.action,
    target: what.objectName,
    objectName: what.objectName,
    ...(what.objectId ? { objectId: what.objectId } : {}),
    outcome: 'cancelled',
    reason: 'Declined in the confirmation dialog.',
  })
  throw new AppError('cancelled', 'Nothing was changed.', { hint: `${request.title} was declined.` })
}

/** Where to save, asked in the app's save dialog; refused where there is none. */
export function chooseFileInMain(services: Services): ChooseFile {
  return (suggestion) => {
    const dialogs = services.options.dialogs
    if (!dialogs) {
      const hint = 'Use `certdesk vault export` on the command line.'
      throw new AppError('unsupported', 'Saving files needs the app’s save dialog.', { hint })
    }
    return dialogs.saveFile(suggestion)
  }
}

/** Deleting a key names the key and the certificate it signs for, which stops working with it. */
export function deleteKeyQuestion(entry: VaultEntry): ConfirmRequest {
  const linked = entry.certificate
  const cert = linked ? new X509Certificate(linked.pem) : null
  const certLines =
    linked && cert
      ? [
          `Linked certificate: ${oneLineName(cert.subject)}`,
          `SHA-256: ${colonHex(linked.sha256)}`,
          ...(linked.cloudflareId ? [`Cloudflare id: ${linked.cloudflareId}`] : []),
        ]
      : ['Linked certificate: none']
  return {
    title: 'Delete a private key',
    message: `Delete the private key “${entry.label}” for good?`,
    detail: [
      `Key: ${entry.label} (${entry.keyType}, id ${entry.id})`,
      ...certLines,
      '',
      cert ? 'The certificate stays valid but nothing can use it without this key. This cannot be undone.' : 'This cannot be undone.',
    ].join('\n'),
    confirmLabel: 'Delete key',
    destructive: true,
  }
}
