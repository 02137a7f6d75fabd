/** The start tags Python's html.parser sees in a page: an independent referee for the elements a browser would build. */
import { execFileSync } from 'node:child_process'

export function startTags(html: string): string[] {
  const script = [
    'import sys, json',
    'from html.parser import HTMLParser',
    'tags = []',
    'class P(HTMLParser):',
    '    def handle_starttag(self, tag, attrs): tags.append(tag)',
    'P().feed(sys.stdin.read())',
    'print(json.dumps(tags))',
  ].join('\n')
  return JSON.parse(execFileSync('python3', ['-c', script], { input: html }).toString()) as string[]
}
