import { describe, expect, it } from 'vitest'
import { chooseFamily, parseOsRelease } from '../../../src/main/truststore/linux-distro'

const tools =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name)

describe('Linux family detection from os-release plus the tool on disk', () => {
  it('parses quoted and unquoted values', () => {
    expect(parseOsRelease('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n# c\nPRETTY_NAME=\'x y\'\n')).toEqual({
      NAME: 'Ubuntu',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
      PRETTY_NAME: 'x y',
    })
  })

  it.each([
    ['ID=ubuntu\nID_LIKE=debian', ['update-ca-certificates', 'trust'], 'debian'],
    ['ID=fedora', ['update-ca-trust', 'trust'], 'rhel'],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"', ['update-ca-trust'], 'rhel'],
    ['ID=almalinux\nID_LIKE="rhel centos fedora"', ['update-ca-trust'], 'rhel'],
    ['ID=arch', ['trust'], 'arch'],
    ['ID=manjaro\nID_LIKE=arch', ['trust'], 'arch'],
    ['ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"', ['update-ca-certificates'], 'suse'],
    ['ID=sles', ['update-ca-certificates'], 'suse'],
    ['ID=pop\nID_LIKE="ubuntu debian"', ['update-ca-certificates'], 'debian'],
  ])('%s with %j → %s', (osRelease, present, family) => {
    expect(chooseFamily(parseOsRelease(osRelease), tools(...present))?.family).toBe(family)
  })

  it('an Ubuntu host with a stray RHEL folder stays Debian (the folder is not evidence, the tool is)', () => {
    expect(chooseFamily(parseOsRelease('ID=ubuntu\nID_LIKE=debian'), tools('update-ca-certificates', 'trust'))?.family).toBe('debian')
  })

  it('falls back to the tool when os-release is unknown or missing, and says so', () => {
    const choice = chooseFamily({}, tools('update-ca-trust', 'trust'))
    expect(choice?.family).toBe('rhel')
    expect(choice?.reason).toMatch(/inconclusive/)
    expect(chooseFamily(parseOsRelease('ID=gentoo'), tools('trust'))?.family).toBe('arch')
  })

  it('names the family but reports the missing tool, or gives up with nothing to go on', () => {
    expect(chooseFamily(parseOsRelease('ID=debian'), tools())).toMatchObject({ family: 'debian', reason: expect.stringMatching(/missing/) })
    expect(chooseFamily(parseOsRelease('ID=gentoo'), tools())).toBeNull()
  })
})
