/**
 * Zone rules: a zone counts the stickies whose centre lies inside it and, with a capacity,
 * warns once there are more. Every participant's browser computes the same counts from the
 * same synced shapes, so the warning needs no messages of its own and cannot disagree.
 */
import { boxContains, type Box } from './geometry'

export interface Zone {
  id: string
  bounds: Box
  /** Stickies the zone should hold at most; null only counts. */
  capacity: number | null
}

export interface ZoneCount extends Zone {
  count: number
  over: boolean
}

export function countStickiesInZones(
  zones: readonly Zone[],
  stickyCentres: readonly { x: number; y: number }[],
): ZoneCount[] {
  return zones.map((zone) => {
    const count = stickyCentres.filter((c) => boxContains(zone.bounds, c)).length
    return { ...zone, count, over: zone.capacity !== null && count > zone.capacity }
  })
}

/** "3 / 2" with a capacity, "3" without. */
export function zoneCountLabel(zone: ZoneCount): string {
  return zone.capacity === null ? String(zone.count) : `${zone.count} / ${zone.capacity}`
}

/** What a screen reader hears for the count. */
export function zoneCountDescription(zone: ZoneCount): string {
  const stickies = `${zone.count} ${zone.count === 1 ? 'sticky' : 'stickies'}`
  if (zone.capacity === null) return stickies
  return zone.over
    ? `${stickies}: over the limit of ${zone.capacity}`
    : `${stickies} of at most ${zone.capacity}`
}
