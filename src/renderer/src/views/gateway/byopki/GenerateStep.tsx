/** Step 1: generate a root here (name, key type, validity), or import the corporate root and its key. */
import { useId } from 'react'
import { PemInput } from '../../../components/certificate/PemInput'
import { FileLink, RadioRow, SubmitForm } from '../../../components/Field'
import type { GatewayKeyType, StepProps } from './model'

const SOURCES = [
  ['generate', 'Generate a new root here'],
  ['import', 'Import our existing root and its key'],
] as const

export function GenerateStep({ state, set, working, formId, onSubmit }: StepProps & { formId: string; onSubmit: () => void }) {
  const ids = { source: useId(), cn: useId(), o: useId(), key: useId(), days: useId(), keyPem: useId(), keyFile: useId(), pass: useId() }
  return (
    <SubmitForm id={formId} className="wizard-grid" onSubmit={onSubmit}>
      <RadioRow
        className="span-2"
        legend="Where the root comes from"
        name={ids.source}
        value={state.source}
        choices={SOURCES}
        disabled={working}
        onChange={(source) => set({ source })}
      />
      {state.source === 'generate' ? (
        <>
          <div className="field">
            <label htmlFor={ids.cn}>Common name (CN)</label>
            <input id={ids.cn} value={state.cn} onChange={(e) => set({ cn: e.target.value })} disabled={working} aria-required />
          </div>
          <div className="field">
            <label htmlFor={ids.o}>Organization (O, optional)</label>
            <input id={ids.o} value={state.o} onChange={(e) => set({ o: e.target.value })} disabled={working} />
          </div>
          <div className="field">
            <label htmlFor={ids.key}>Key type</label>
            <select
              id={ids.key}
              value={state.keyType}
              onChange={(e) => set({ keyType: e.target.value as GatewayKeyType })}
              disabled={working}
            >
              <option value="rsa-2048">RSA 2048 (faster handshakes)</option>
              <option value="rsa-4096">RSA 4096 (stronger, slower)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.days}>Valid for (days)</label>
            <input
              id={ids.days}
              type="number"
              min={1}
              max={10950}
              value={state.days}
              onChange={(e) => set({ days: Number(e.target.value) })}
              disabled={working}
            />
          </div>
          <p className="muted small span-2">
            The root gets critical basicConstraints CA:TRUE and keyUsage keyCertSign, cRLSign, which Python 3.13+ requires. Rotating a
            deployed root disrupts every device, so pick an expiry you can live with. The private key is kept in Certdesk’s vault and sent
            only to Cloudflare.
          </p>
        </>
      ) : (
        <div className="span-2 form-stack byopki-import">
          <PemInput label="Root certificate (PEM or DER)" value={state.certificate} onChange={(certificate) => set({ certificate })} />
          <div className="field">
            <label htmlFor={ids.keyPem}>Private key of the root (PEM: PKCS#8, PKCS#1 or EC, possibly encrypted)</label>
            <textarea
              id={ids.keyPem}
              className="pem"
              rows={4}
              spellCheck={false}
              autoComplete="off"
              placeholder="-----BEGIN PRIVATE KEY-----"
              value={state.keyPem}
              onChange={(e) => set({ keyPem: e.target.value })}
              disabled={working}
            />
            <FileLink
              id={ids.keyFile}
              className="small"
              accept=".pem,.key"
              onFile={(file) => void file?.text().then((keyPem) => set({ keyPem }))}
            >
              …or choose the key file
            </FileLink>
          </div>
          <div className="field">
            <label htmlFor={ids.pass}>Passphrase (only for an encrypted key)</label>
            <input
              id={ids.pass}
              type="password"
              autoComplete="off"
              value={state.passphrase}
              onChange={(e) => set({ passphrase: e.target.value })}
              disabled={working}
            />
          </div>
          <p className="muted small">
            Certdesk checks that the key belongs to the certificate and that Gateway and Python 3.13+ accept the root, then keeps the key
            (decrypted) in its vault and sends it only to Cloudflare.
          </p>
        </div>
      )}
    </SubmitForm>
  )
}
