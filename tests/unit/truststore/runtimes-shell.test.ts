/**
 * The runtime fixer's shell pieces: the marked block goes in once and comes out leaving the user's text as it was,
 * and the env file's quoting survives awkward paths — checked against /bin/sh itself, the shell that sources it.
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { exportLine, parseEnvFile, profileBlock, withBlock, withoutBlock } from '../../../src/main/runtimes/shell'

const ENV = '/home/u/.config/Certdesk/runtimes/env.sh'

describe('profile block', () => {
  it.each([
    ['an empty file', ''],
    ['a file ending in a newline', '# mine\nexport A=1\n'],
    ['a file without a final newline', '# mine\nalias ll="ls -l"'],
  ])('in %s: added once, replaced in place, and taken out to the original text', (_what, text) => {
    const once = withBlock(text, ENV)
    expect(once).toContain(profileBlock(ENV))
    expect(withBlock(once, ENV)).toBe(once)
    const untouched = withoutBlock(once)
    expect(untouched === text || untouched === `${text}\n`).toBe(true)
  })

  it('keeps what the user wrote after the block when taking it out', () => {
    const later = `${withBlock('# mine\n', ENV)}export MINE=1\n`
    expect(withoutBlock(later)).toBe('# mine\nexport MINE=1\n')
  })

  it('a moved env file replaces the old block instead of adding a second', () => {
    const moved = withBlock(withBlock('# mine\n', ENV), '/elsewhere/env.sh')
    expect(moved.match(/>>> certdesk runtimes >>>/g)).toHaveLength(1)
    expect(moved).toContain("'/elsewhere/env.sh'")
  })
})

describe('env file quoting', () => {
  it.each(["/tmp/it's here/ca bundle.pem", '/tmp/$HOME/`x`/"q"/ca.pem'])('sh reads %s back exactly, and so does the parser', (path) => {
    const text = `${exportLine('NODE_EXTRA_CA_CERTS', path)}\n`
    expect(parseEnvFile(text)).toEqual({ NODE_EXTRA_CA_CERTS: path })
    const seen = execFileSync('/bin/sh', ['-c', `${text}printf %s "$NODE_EXTRA_CA_CERTS"`], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin' },
    })
    expect(seen).toBe(path)
  })
})
