import { describe, expect, it } from 'vitest'
import { countStickiesInZones, zoneCountDescription, zoneCountLabel } from '../../src/board/zones'

const drivers = { id: 'drivers', bounds: { x: 0, y: 0, w: 100, h: 100 }, capacity: 2 }
const stage = { id: 'stage', bounds: { x: 200, y: 0, w: 100, h: 100 }, capacity: null }

describe('zone rules', () => {
  it('counts the stickies whose centre is inside, and warns only past the capacity', () => {
    const inDrivers = [
      { x: 10, y: 10 },
      { x: 100, y: 100 }, // on the edge: inside
    ]
    const [atLimit, counted] = countStickiesInZones(
      [drivers, stage],
      [
        ...inDrivers,
        { x: 250, y: 50 },
        { x: 150, y: 50 }, // between the zones: in neither
      ],
    )
    expect(atLimit).toMatchObject({ count: 2, over: false })
    expect(counted).toMatchObject({ count: 1, over: false })
    const [over] = countStickiesInZones([drivers], [...inDrivers, { x: 50, y: 50 }])
    expect(over).toMatchObject({ count: 3, over: true })
    expect(zoneCountLabel(over)).toBe('3 / 2')
    expect(zoneCountDescription(over)).toBe('3 stickies: over the limit of 2')
  })

  it('labels a zone without a limit with its count alone', () => {
    const [zone] = countStickiesInZones([stage], [{ x: 250, y: 50 }])
    expect(zoneCountLabel(zone)).toBe('1')
    expect(zoneCountDescription(zone)).toBe('1 sticky')
  })
})
