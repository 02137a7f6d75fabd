/**
 * A small reader for XML property lists, enough for `security trust-settings-export` output
 * (dict, array, key, string, integer, real, data, date, true, false). Binary plists are not
 * produced by that command.
 */
export type PlistValue = string | number | boolean | Date | Buffer | PlistValue[] | { [key: string]: PlistValue }

const TOKEN = /<(\/?)([A-Za-z]+)(?:\s[^>]*?)?\s*(\/?)>|<\?[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->|([^<]+)/g

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10))
    return ENTITIES[name] ?? whole
  })
}

interface Token {
  close: boolean
  name: string
  selfClosing: boolean
  text?: string
}

function tokenize(xml: string): Token[] {
  const out: Token[] = []
  for (const m of xml.matchAll(TOKEN)) {
    if (m[2]) out.push({ close: m[1] === '/', name: m[2], selfClosing: m[3] === '/' })
    else if (m[4] !== undefined && m[4].trim()) out.push({ close: false, name: '#text', selfClosing: false, text: decodeText(m[4]) })
  }
  return out
}

export function parsePlist(xml: string): PlistValue {
  const tokens = tokenize(xml)
  let i = 0
  const fail = (why: string): never => {
    throw new Error(`Not a valid XML property list: ${why}`)
  }
  const next = (): Token => tokens[i++] ?? fail('unexpected end')
  const textUntil = (name: string): string => {
    let text = ''
    for (let t = next(); !(t.close && t.name === name); t = next()) text += t.text ?? ''
    return text
  }
  const value = (open: Token): PlistValue => {
    if (open.selfClosing) {
      if (open.name === 'true') return true
      if (open.name === 'false') return false
      if (open.name === 'dict') return {}
      if (open.name === 'array') return []
      if (open.name === 'string' || open.name === 'key') return ''
      if (open.name === 'data') return Buffer.alloc(0)
      return fail(`empty <${open.name}/>`)
    }
    switch (open.name) {
      case 'dict': {
        const dict: Record<string, PlistValue> = {}
        for (;;) {
          const t = next()
          if (t.close && t.name === 'dict') return dict
          if (t.name !== 'key' || t.close) fail(`expected <key>, got <${t.name}>`)
          const key = t.selfClosing ? '' : textUntil('key')
          dict[key] = value(next())
        }
      }
      case 'array': {
        const arr: PlistValue[] = []
        for (;;) {
          const t = next()
          if (t.close && t.name === 'array') return arr
          arr.push(value(t))
        }
      }
      case 'string':
        return textUntil('string')
      case 'integer':
      case 'real':
        return Number(textUntil(open.name).trim())
      case 'data':
        return Buffer.from(textUntil('data').replace(/\s+/g, ''), 'base64')
      case 'date':
        return new Date(textUntil('date').trim())
      case 'true':
      case 'false': {
        next()
        return open.name === 'true'
      }
      default:
        return fail(`unexpected <${open.name}>`)
    }
  }
  const start = next()
  if (start.name !== 'plist') fail('no <plist> root')
  if (start.selfClosing) return {}
  return value(next())
}
