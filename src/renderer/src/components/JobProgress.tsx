import type { ReactNode } from 'react'
import { useAppStore } from '../store'
import { ProgressBar } from './ProgressBar'

/** The progress bar of one running job (if it is running), with Cancel when it may be cancelled. */
export function JobProgress({ jobId, cancellable = true }: { jobId: string | null; cancellable?: boolean }) {
  const progress = useAppStore((s) => (jobId ? s.jobs[jobId] : undefined))
  const cancel = useAppStore((s) => s.cancelJob)
  if (!jobId || !progress) return null
  return <ProgressBar progress={progress} {...(cancellable ? { onCancel: () => void cancel(jobId) } : {})} />
}

/** The line above a list: the running job's progress while `running`, else what the list shows (`children`). */
export function TableStatus({ jobId, running, children }: { jobId: string | null; running: boolean; children: ReactNode }) {
  return (
    <div className="table-status" aria-live="polite">
      {running ? <JobProgress jobId={jobId} /> : <span className="muted small">{children}</span>}
    </div>
  )
}
