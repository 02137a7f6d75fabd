/** "Export for fleet…": the fleet kit of a root (MDM profile, scripts per OS, Firefox policy), into a folder main asks for. */
import { useState } from 'react'
import { useAppStore } from '../store'

export function ExportForFleetButton({ certificatePem, name }: { certificatePem: string; name: string }) {
  const exportKit = useAppStore((s) => s.exportFleetKit)
  const [busy, setBusy] = useState(false)
  return (
    <button
      type="button"
      aria-label={`Export for fleet… ${name}`}
      title="Write the files that deploy this root to every device: MDM profile, Windows/Linux/macOS scripts, Firefox policy."
      disabled={busy}
      onClick={() => {
        setBusy(true)
        void exportKit(certificatePem).finally(() => setBusy(false))
      }}
    >
      Export for fleet…
    </button>
  )
}
