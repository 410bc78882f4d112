/**
 * The ids of deleted shapes the private brainstorm never hides: remembered durably, shapes
 * only, bounded (the oldest go first), and in order across a reload.
 */
import { describe, expect, it } from 'vitest'
import { ShapeTombstones } from '../../src/server/private-brainstorm/shape-tombstones'
import { MemoryStorage } from './memory-storage'

describe('shape tombstones', () => {
  it('remembers deleted shape ids durably, at most `max`, dropping the oldest', async () => {
    const storage = new MemoryStorage()
    const gone = new ShapeTombstones(storage, 3)
    expect(gone.deleted(['page:other', 'binding:x'])).toBeNull()
    await gone.deleted(['shape:a', 'shape:b'])
    await gone.deleted(['shape:c', 'shape:d'])
    expect(['shape:a', 'shape:b', 'shape:c', 'shape:d'].map((id) => gone.had(id))).toEqual([
      false,
      true,
      true,
      true,
    ])
    expect([...storage.data.keys()].filter((k) => k.startsWith('gone:')).sort()).toEqual([
      'gone:shape:b',
      'gone:shape:c',
      'gone:shape:d',
    ])
    // Deleted again (an undo, then a delete): it is the newest now, so b goes first.
    await gone.deleted(['shape:b'])
    await gone.deleted(['shape:e'])
    const again = new ShapeTombstones(storage, 3)
    await again.load()
    expect(['shape:b', 'shape:c', 'shape:d', 'shape:e'].map((id) => again.had(id))).toEqual([
      true,
      false,
      true,
      true,
    ])
    await again.deleted(['shape:f'])
    expect(again.had('shape:d')).toBe(false)
    expect(again.had('page:other')).toBe(false)
  })
})
