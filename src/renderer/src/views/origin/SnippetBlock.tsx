import { useState } from 'react'
import { ORIGIN_SERVERS, originSnippet, type OriginServer, type SnippetPaths } from '../../../../shared/origin-snippets'
import { InlineChoice } from '../../components/ChoiceSelect'
import { PemBlock } from '../../components/certificate/KeyExports'

const SERVER_CHOICES = ORIGIN_SERVERS.map((value) => ({
  value,
  label: { nginx: 'nginx', apache: 'Apache', caddy: 'Caddy', haproxy: 'HAProxy' }[value],
}))

/** The origin server's configuration for the chosen server, to copy (Cloudflare docs: "Authenticated Origin Pulls"). */
export function SnippetBlock({ paths }: { paths?: SnippetPaths }) {
  const [server, setServer] = useState<OriginServer>('nginx')
  const label = SERVER_CHOICES.find((c) => c.value === server)!.label
  return (
    <div className="form-stack">
      <InlineChoice label="Origin server" value={server} choices={SERVER_CHOICES} onChange={setServer} />
      <PemBlock label={`${label} configuration`} pem={originSnippet(server, paths)} copyLabel="Copy configuration" />
    </div>
  )
}
