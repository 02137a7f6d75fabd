import { describe, expect, it } from 'vitest'
import { downloadDefaultPath, isAllowedDownload } from '../../../src/main/downloads'

describe('downloads', () => {
  const origins = ['app://certdesk']

  it('allows only blobs made by the app’s own pages', () => {
    expect(isAllowedDownload('blob:app://certdesk/0b7d8f4e-2c1a-4c1e-9a57-5d3b8e1f2a90', origins)).toBe(true)
    expect(isAllowedDownload('blob:http://localhost:5173/0b7d8f4e', ['app://certdesk', 'http://localhost:5173'])).toBe(true)
    expect(isAllowedDownload('blob:http://localhost:5173/0b7d8f4e', origins)).toBe(false)
    expect(isAllowedDownload('https://evil.example/payload.exe', origins)).toBe(false)
    expect(isAllowedDownload('app://certdesk/index.html', origins)).toBe(false)
    expect(isAllowedDownload('blob:https://certdesk.evil.example/x', origins)).toBe(false)
    expect(isAllowedDownload('blob:not a url', origins)).toBe(false)
    expect(isAllowedDownload('data:text/plain,hello', origins)).toBe(false)
  })

  it('keeps the suggested name and drops any folder in it', () => {
    expect(downloadDefaultPath('/home/a/Downloads', 'certdesk-activity.csv')).toBe('/home/a/Downloads/certdesk-activity.csv')
    expect(downloadDefaultPath('/home/a/Downloads', '../../.bashrc')).toBe('/home/a/Downloads/bashrc')
    expect(downloadDefaultPath('/home/a/Downloads', 'C:\\Windows\\System32\\evil.dll')).toBe('/home/a/Downloads/evil.dll')
    expect(downloadDefaultPath('/home/a/Downloads', 'a<b>:c.json')).toBe('/home/a/Downloads/a_b__c.json')
    expect(downloadDefaultPath('/home/a/Downloads', '')).toBe('/home/a/Downloads/certdesk-export')
  })
})
