/** Breakouts' arithmetic: how many groups a choice makes, and where the copies go. */
import { describe, expect, it } from 'vitest'
import {
  GAP,
  gridBeside,
  groupCount,
  groupSummary,
  rowAfter,
  union,
} from '../../src/breakouts/plan'
import type { Box } from '../../src/board/geometry'

const touches = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('groupCount and groupSummary', () => {
  it('makes groups by number or by size, within the server’s limits', () => {
    expect(groupCount({ by: 'count', groups: 3 }, 12)).toBe(3)
    expect(groupCount({ by: 'size', size: 4 }, 12)).toBe(3)
    expect(groupCount({ by: 'size', size: 4 }, 13)).toBe(4)
    expect(groupCount({ by: 'size', size: 4 }, 0)).toBe(2)
    expect(groupCount({ by: 'count', groups: 1 }, 12)).toBe(2)
    expect(groupCount({ by: 'count', groups: 99 }, 12)).toBe(20)
    expect(groupCount({ by: 'count', groups: NaN }, 12)).toBe(2)
  })

  it('says what a choice makes', () => {
    expect(groupSummary(3, 12)).toBe('12 people → 3 groups of 4')
    expect(groupSummary(3, 13)).toBe('13 people → 3 groups of 4 or 5')
    expect(groupSummary(3, 2)).toBe('2 people → 3 groups, some of them empty')
    expect(groupSummary(2, 0)).toBe('Nobody here yet → 2 groups')
  })
})

describe('gridBeside', () => {
  const frame = { x: 0, y: 0, w: 1000, h: 500 }

  it('puts the copies in a grid right of the frame, apart from each other', () => {
    const boxes = gridBeside(frame, 3, [frame])
    expect(boxes).toEqual([
      { x: 1000 + GAP, y: 0, w: 1000, h: 500 },
      { x: 2000 + 2 * GAP, y: 0, w: 1000, h: 500 },
      { x: 1000 + GAP, y: 500 + GAP, w: 1000, h: 500 },
    ])
  })

  it('lands on nothing already on the board', () => {
    const taken = [frame, { x: 1500, y: 600, w: 300, h: 300 }, { x: 2900, y: -100, w: 50, h: 50 }]
    const boxes = gridBeside(frame, 4, taken)
    for (const box of boxes) for (const t of taken) expect(touches(box, t)).toBe(false)
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) expect(touches(a, b)).toBe(false)
  })
})

describe('rowAfter', () => {
  it('lays the groups side by side in one row, in order, clear of the rest', () => {
    const source = { x: 0, y: 0, w: 1000, h: 500 }
    const units = [
      { x: 5000, y: 5000, w: 1000, h: 500 },
      { x: -3000, y: 200, w: 1200, h: 600 },
    ]
    const other = { x: 1300, y: 100, w: 100, h: 100 }
    const row = rowAfter(source, units, [source, other])
    expect(row.map((b) => b.y)).toEqual([0, 0])
    expect(row[0].x).toBe(1400 + GAP)
    expect(row[1].x).toBe(row[0].x + 1000 + GAP)
    expect(row.map((b) => [b.w, b.h])).toEqual([
      [1000, 500],
      [1200, 600],
    ])
    expect(union(row)).toEqual({ x: row[0].x, y: 0, w: 2200 + GAP, h: 600 })
  })
})
