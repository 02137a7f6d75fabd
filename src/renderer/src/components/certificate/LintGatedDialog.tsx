import { useState, type ComponentProps, type ReactNode } from 'react'
import type { Failure, Result } from '../../../../shared/errors'
import type { CertificateCheck, CertificateInput } from '../../../../shared/lint-model'
import { ConfirmDialog } from '../Dialog'
import { ErrorBox } from '../ErrorBox'
import { LintGateNotice, findingsOf, lintGate } from './LintGate'
import type { PemValue } from './PemInput'

/**
 * An upload behind a lint gate (Access roots, account CAs): the chosen certificate is checked first
 * (main checks it again before any request); errors block, warnings alone ask, a clean one goes at
 * once. Cloudflare's own refusal is shown in place; nothing is kept. The check and the failure belong
 * to the certificate they were made for: choosing another forgets them.
 */
export function LintGatedDialog(props: {
  title: string
  value: PemValue | null
  lint: (input: CertificateInput) => Promise<Result<CertificateCheck>>
  send: (pem: string) => Promise<Result<unknown>>
  onClose: () => void
  /** Whatever else the form needs before it can be sent (a name, say). */
  ready: boolean
  /** The verb of the buttons: "Add" → "Add despite 2 warnings", "Adding…". */
  verb: { base: string; running: string; submit: string }
  notice: Omit<ComponentProps<typeof LintGateNotice>, 'check'>
  /** The form's fields; `busy` while checking or sending. */
  children: (busy: boolean) => ReactNode
}) {
  const { title, value, lint, send, onClose, ready, verb, notice, children } = props
  const [gate, setGate] = useState<{ for: PemValue; check: CertificateCheck | null; error: Failure | null } | null>(null)
  const [busy, setBusy] = useState(false)
  const current = value && gate?.for === value ? gate : null
  const check = current?.check ?? null
  const { errors, warnings, askingAboutWarnings } = lintGate(check)
  /** The value to send despite its warnings, once the user has seen them. */
  const despite = askingAboutWarnings ? value : null

  const sendNow = async (chosen: PemValue, checked: CertificateCheck | null) => {
    setGate({ for: chosen, check: checked, error: null })
    setBusy(true)
    const result = await send(chosen.pem)
    setBusy(false)
    if (result.ok) onClose()
    else setGate({ for: chosen, check: checked, error: result.error })
  }
  const submit = async () => {
    if (!value) return
    setGate(null)
    setBusy(true)
    const result = await lint(value.input)
    setBusy(false)
    if (!result.ok) return setGate({ for: value, check: null, error: result.error })
    setGate({ for: value, check: result.value, error: null })
    if (findingsOf(result.value).some((f) => f.severity === 'error' || f.severity === 'warning')) return
    await sendNow(value, result.value)
  }

  return (
    <ConfirmDialog
      open
      wide
      title={title}
      onCancel={onClose}
      busy={busy}
      confirmLabel={
        despite
          ? busy
            ? verb.running
            : `${verb.base} despite ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`
          : busy
            ? 'Checking…'
            : verb.submit
      }
      confirmDisabled={!despite && (!ready || !value || errors.length > 0)}
      onConfirm={() => {
        if (despite) void sendNow(despite, check)
        else void submit()
      }}
    >
      <div className="form-stack">
        {children(busy)}
        <LintGateNotice check={check} {...notice} />
        {current?.error ? <ErrorBox error={current.error} /> : null}
      </div>
    </ConfirmDialog>
  )
}
