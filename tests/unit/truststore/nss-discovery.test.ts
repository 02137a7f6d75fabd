import { describe, expect, it } from 'vitest'
import { firefoxRoots, parseProfilesIni } from '../../../src/main/truststore/nss-discovery'
import { parseCertutilList, sslTrusted } from '../../../src/main/truststore/nss'

describe('profiles.ini and certutil parsing', () => {
  it('resolves relative (with / separators, as Windows Firefox writes them) and absolute paths', () => {
    const ini =
      '[Profile1]\nName=default\nIsRelative=1\nPath=Profiles/x1.default\n\n[Profile0]\nName=abs\nIsRelative=0\nPath=/data/ff/abs\n[Install308046B0AF4A39CB]\nDefault=Profiles/x1.default\n'
    expect(parseProfilesIni(ini, '/home/u/.mozilla/firefox')).toEqual([
      { name: 'default', path: '/home/u/.mozilla/firefox/Profiles/x1.default' },
      { name: 'abs', path: '/data/ff/abs' },
      { path: '/home/u/.mozilla/firefox/Profiles/x1.default' },
    ])
  })

  it('knows the Firefox locations on each platform', () => {
    expect(firefoxRoots({ home: '/Users/a', platform: 'darwin', env: {} }).map((r) => r.dir)).toEqual([
      '/Users/a/Library/Application Support/Firefox',
    ])
    expect(firefoxRoots({ home: '/h', platform: 'win32', env: { APPDATA: '/h/AppData/Roaming' } })[0]?.dir).toMatch(/Mozilla.Firefox$/)
    const linux = firefoxRoots({ home: '/h', platform: 'linux', env: {} }).map((r) => r.dir)
    expect(linux).toEqual([
      '/h/.mozilla/firefox',
      '/h/.config/mozilla/firefox',
      '/h/snap/firefox/common/.mozilla/firefox',
      '/h/.var/app/org.mozilla.firefox/.mozilla/firefox',
    ])
  })

  it('parses the certutil -L table, nicknames with spaces and parentheses included', () => {
    const out =
      '\nCertificate Nickname                                         Trust Attributes\n                                                             SSL,S/MIME,JAR/XPI\n\nMy Root (certdesk 1A2B3C4D)                                  C,,  \nclient                                                       u,u,u\nDigiCert Global Root CA                                      CT,C,C\nbad                                                          p,p,p\n'
    expect(parseCertutilList(out)).toEqual([
      { nickname: 'My Root (certdesk 1A2B3C4D)', flags: 'C,,' },
      { nickname: 'client', flags: 'u,u,u' },
      { nickname: 'DigiCert Global Root CA', flags: 'CT,C,C' },
      { nickname: 'bad', flags: 'p,p,p' },
    ])
    expect([sslTrusted('C,,'), sslTrusted('CT,C,C'), sslTrusted(',C,'), sslTrusted('p,p,p'), sslTrusted('P,,')]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ])
  })
})
