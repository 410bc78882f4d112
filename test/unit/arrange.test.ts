import { describe, expect, it } from 'vitest'
import { duplicateSets, nearlySame, normalise, themes } from '../../src/arrange/text'
import {
  GAP,
  extentOf,
  freeSpotBelow,
  gridCells,
  innerArea,
  overlaps,
  shifted,
  themeColumns,
} from '../../src/arrange/layout'

const RETRO = [
  'Too many meetings',
  'too many meetings!',
  'Too  many Meetings.',
  'Meetings run over time',
  'Standup meetings too long',
  'No focus time',
  'Focus time gets interrupted',
  'Slack notifications everywhere',
  'Chat notifications distract',
  'Slow CI pipeline',
  'CI builds fail randomly',
  'Great team spirit',
  'Team lunches are fun',
  'Coffee machine broken',
]

describe('near-duplicates', () => {
  it('normalises case, punctuation, accents and spaces', () => {
    expect(normalise('  Café,  TOO many—meetings!! ')).toBe('cafe too many meetings')
  })

  it('finds the same text written differently, a typo, or another word form', () => {
    expect(nearlySame('Too many meetings', 'too many meetings!')).toBe(true)
    expect(nearlySame('Too many meetings', 'Too many meeting')).toBe(true)
    expect(nearlySame('Too many meetings', 'Too many meetnigs')).toBe(true)
    expect(nearlySame('Meetings, too many', 'too many meetings')).toBe(true)
  })

  it('keeps apart texts that differ in meaning', () => {
    expect(nearlySame('Too many meetings', 'Too few meetings')).toBe(false)
    expect(nearlySame('No focus time', 'Focus time gets interrupted')).toBe(false)
    expect(nearlySame('', '')).toBe(false)
  })

  it('gathers each set of duplicates once, in input order', () => {
    expect(duplicateSets(RETRO)).toEqual([[0, 1, 2]])
    expect(duplicateSets(['a b c', 'x', 'A. B. C.', 'x!'])).toEqual([
      [0, 2],
      [1, 3],
    ])
  })
})

describe('themes', () => {
  it('clusters texts by shared terms, singletons in Other', () => {
    const found = themes(RETRO)
    const byName = new Map(found.map((t) => [t.name, t.members.map((i) => RETRO[i])]))
    expect(byName.get('Meetings')).toEqual(RETRO.slice(0, 5))
    expect([...byName.keys()]).toContain('Notifications')
    expect(byName.get('Other')).toEqual(['Coffee machine broken'])
    expect(found.at(-1)!.name).toBe('Other')
    // Every sticky is in exactly one theme.
    const all = found.flatMap((t) => t.members).sort((a, b) => a - b)
    expect(all).toEqual(RETRO.map((_, i) => i))
  })

  it('names a theme with the words people wrote, acronyms in capitals', () => {
    const names = themes(RETRO).map((t) => t.name)
    expect(names).toContain('CI')
    expect(names).toContain('Team')
    expect(names.some((n) => n.includes('focus') || n.includes('Focus'))).toBe(true)
    expect(new Set(names).size).toBe(names.length)
    // Mixed-case acronyms keep their capitals too.
    const okrs = themes(['OKRs set every quarter', 'Quarterly OKRs planning'])
    expect(okrs[0].name).toMatch(/^OKRs/)
  })

  it('is deterministic', () => {
    expect(themes(RETRO)).toEqual(themes([...RETRO]))
    expect(JSON.stringify(themes(RETRO))).toBe(JSON.stringify(themes(RETRO)))
  })

  it('puts everything in Other when nothing is shared', () => {
    expect(themes(['apples', 'rockets', 'violins'])).toEqual([
      { name: 'Other', members: [0, 1, 2] },
    ])
  })
})

describe('layout', () => {
  const cell = { w: 200, h: 200 }
  const container = { x: 100, y: 100, w: 1000, h: 800 }

  it('lays a grid inside the container without overlaps', () => {
    const area = innerArea(container)
    const cells = gridCells(area, cell, 9)
    expect(cells).toHaveLength(9)
    const boxes = cells.map((c) => ({ ...c, ...cell }))
    for (const [i, a] of boxes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(area.x)
      expect(a.x + a.w).toBeLessThanOrEqual(area.x + area.w)
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false)
    }
    // Reading order: four a row in 920 units, then the next row.
    expect(cells[4]).toEqual({ x: area.x, y: area.y + cell.h + GAP })
  })

  it('steps around what stays put', () => {
    const area = innerArea(container)
    const obstacle = { x: area.x + 10, y: area.y + 10, w: 50, h: 50 }
    const cells = gridCells(area, cell, 5, [obstacle])
    expect(cells).toHaveLength(5)
    for (const c of cells) expect(overlaps(obstacle, { ...c, ...cell })).toBe(false)
  })

  it('puts the themes inside when they fit, beside when not', () => {
    const big = { x: 0, y: 0, w: 3000, h: 1200 }
    const fit = themeColumns(innerArea(big), cell, [5, 3, 2])
    expect(fit.inside).toBe(true)
    const boxes = fit.columns.flatMap((c) => [c.header, ...c.cells.map((p) => ({ ...p, ...cell }))])
    for (const [i, a] of boxes.entries()) {
      expect(a.x + a.w).toBeLessThanOrEqual(big.w)
      expect(a.y + a.h).toBeLessThanOrEqual(big.h)
      for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false)
    }
    const small = { x: 0, y: 0, w: 500, h: 500 }
    const beside = themeColumns(innerArea(small), cell, [5, 3, 2])
    expect(beside.inside).toBe(false)
    // Laid from 0,0 for the caller to place: below the container, clear of what is there.
    const taken = [small, { x: 0, y: 600, w: 100, h: 100 }]
    const spot = freeSpotBelow(small, extentOf(beside, cell), taken)
    expect(spot.y).toBeGreaterThanOrEqual(700)
    const placed = shifted(beside, spot.x, spot.y)
    for (const c of placed.columns) for (const t of taken) expect(overlaps(c.header, t)).toBe(false)
  })
})
