import { describe, expect, it } from 'vitest'
import { CURSOR_COLORS } from '../../src/app/identity'
import { contrastRatio, readableTextOn } from '../../src/shared/contrast'

describe('readableTextOn', () => {
  it('matches the WCAG figures for known pairs', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5)
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5)
  })

  it('gives every cursor colour an initial with at least 4.5:1', () => {
    for (const color of CURSOR_COLORS) {
      expect(contrastRatio(readableTextOn(color), color)).toBeGreaterThanOrEqual(4.5)
    }
  })

  it('keeps white where it reads, and falls back to black for a malformed colour', () => {
    expect(readableTextOn('#1971c2')).toBe('#ffffff')
    expect(readableTextOn('#f08c00')).not.toBe('#ffffff')
    expect(readableTextOn('red')).not.toBe('#ffffff')
  })
})
