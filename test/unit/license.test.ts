import { describe, expect, it } from 'vitest'
import { licenseKeyMissing } from '../../src/app/license'

describe('licenseKeyMissing', () => {
  const at = (protocol: string, hostname: string) => ({ protocol, hostname })

  it('is true only on an https production host without a key', () => {
    expect(licenseKeyMissing(at('https:', 'switchback.example.com'), undefined)).toBe(true)
    expect(licenseKeyMissing(at('https:', 'switchback.example.com'), 'tldraw-key')).toBe(false)
    expect(licenseKeyMissing(at('http:', 'switchback.example.com'), undefined)).toBe(false)
    expect(licenseKeyMissing(at('https:', 'localhost'), undefined)).toBe(false)
    expect(licenseKeyMissing(at('https:', 'board.localhost'), undefined)).toBe(false)
  })
})
