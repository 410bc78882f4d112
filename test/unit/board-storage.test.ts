import { describe, expect, it } from 'vitest'
import { createTLSchema } from '@tldraw/tlschema'
import { BoardStorage } from '../../src/server/board-storage'
import { PIECE_CHARS } from '../../src/server/kv'
import { MAX_VALUE_BYTES, MemoryStorage } from './memory-storage'

const schema = createTLSchema().serialize()

function shape(i: number, text = `sticky ${i}`) {
  return {
    state: {
      id: `shape:s${i}`,
      typeName: 'shape',
      type: 'note',
      x: i * 10,
      y: 0,
      props: { text },
    },
    lastChangedClock: 1,
  } as never
}

describe('BoardStorage', () => {
  it('returns null for a board that was never saved', async () => {
    expect(await new BoardStorage(new MemoryStorage()).load()).toBeNull()
  })

  it('round-trips a 4,000-shape board far past one 128 KiB value', async () => {
    const kv = new MemoryStorage()
    const puts = Array.from({ length: 4000 }, (_, i) => shape(i))
    await new BoardStorage(kv).save({ documentClock: 7, schema, puts, deletes: [] })

    const totalBytes = JSON.stringify(puts).length
    expect(totalBytes).toBeGreaterThan(4 * MAX_VALUE_BYTES)
    const loaded = await new BoardStorage(kv).load()
    expect(loaded?.documentClock).toBe(7)
    expect(loaded?.documents).toHaveLength(4000)
    expect(new Set(loaded?.documents.map((d) => d.state.id))).toEqual(
      new Set(puts.map((p: { state: { id: string } }) => p.state.id)),
    )
  })

  it('splits a record bigger than one value into pieces and joins them back', async () => {
    const kv = new MemoryStorage()
    const huge = 'ü'.repeat(300_000) // two bytes a character: 600 KB
    await new BoardStorage(kv).save({
      documentClock: 2,
      schema,
      puts: [shape(1, huge)],
      deletes: [],
    })

    expect(kv.largestValue).toBeLessThanOrEqual(MAX_VALUE_BYTES)
    expect([...kv.data.keys()].filter((k) => k.startsWith('piece:')).length).toBe(
      Math.ceil(JSON.stringify(shape(1, huge)).length / PIECE_CHARS),
    )
    const loaded = await new BoardStorage(kv).load()
    expect((loaded?.documents[0].state as unknown as { props: { text: string } }).props.text).toBe(
      huge,
    )
  })

  it('clears stale pieces when a big record shrinks or is deleted', async () => {
    const kv = new MemoryStorage()
    const storage = new BoardStorage(kv)
    await storage.save({
      documentClock: 1,
      schema,
      puts: [shape(1, 'x'.repeat(100_000))],
      deletes: [],
    })
    await storage.save({ documentClock: 2, schema, puts: [shape(1, 'small')], deletes: [] })
    expect([...kv.data.keys()].some((k) => k.startsWith('piece:'))).toBe(false)

    await storage.save({
      documentClock: 3,
      schema,
      puts: [shape(2, 'y'.repeat(100_000))],
      deletes: [],
    })
    // A fresh instance (a restarted server) learns the pieces from disk before deleting.
    const restarted = new BoardStorage(kv)
    await restarted.load()
    await restarted.save({ documentClock: 4, schema, puts: [], deletes: ['shape:s2'] })
    expect([...kv.data.keys()].sort()).toEqual(['meta', 'rec:shape:s1'])
  })

  it('replaceAll removes every record not in the new set', async () => {
    const kv = new MemoryStorage()
    const storage = new BoardStorage(kv)
    await storage.save({ documentClock: 1, schema, puts: [shape(1), shape(2)], deletes: [] })
    await storage.save({
      documentClock: 2,
      schema,
      puts: [shape(3)],
      deletes: [],
      replaceAll: true,
    })
    const loaded = await new BoardStorage(kv).load()
    expect(loaded?.documents.map((d) => d.state.id)).toEqual(['shape:s3'])
  })

  it('skips a record whose pieces were never all written', async () => {
    const kv = new MemoryStorage()
    await new BoardStorage(kv).save({
      documentClock: 1,
      schema,
      puts: [shape(1), shape(2, 'z'.repeat(100_000))],
      deletes: [],
    })
    kv.data.delete('piece:shape:s2#1')
    const loaded = await new BoardStorage(kv).load()
    expect(loaded?.documents.map((d) => d.state.id)).toEqual(['shape:s1'])
  })
})
