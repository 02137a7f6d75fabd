import { Fragment } from 'react'

/**
 * Message text from main or Cloudflare, which may carry a little markdown (`openssl …` commands,
 * **emphasis**): rendered as code and strong text instead of showing the raw backticks and asterisks.
 */
export function Prose({ text }: { text: string }) {
  const parts = text.split(/(`[^`\n]+`|\*\*[^*\n]+\*\*)/g)
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith('`') && part.endsWith('`') && part.length > 2 ? (
          <code key={i}>{part.slice(1, -1)}</code>
        ) : part.startsWith('**') && part.endsWith('**') && part.length > 4 ? (
          <strong key={i}>{part.slice(2, -2)}</strong>
        ) : (
          <Fragment key={i}>{part.replace(/`/g, '')}</Fragment>
        ),
      )}
    </>
  )
}

/** What to do about a message, in its own block under it (`className` styles it); nothing when there is no hint. */
export function Hint({ text, className }: { text: string | undefined; className: string }) {
  return text ? (
    <div className={className}>
      <Prose text={text} />
    </div>
  ) : null
}
