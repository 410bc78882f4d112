import { describe, expect, it, vi } from 'vitest'
import { createTLSchema } from '@tldraw/tlschema'
import { BoardStorage } from '../../src/server/room/board-storage'
import { PIECE_CHARS } from '../../src/server/core/kv'
import { MAX_VALUE_BYTES, MemoryStorage } from './memory-storage'
import { SnapshotTestStorage } from './snapshot-storage'

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
    const pieces = [...kv.data.keys()].filter((k) => k.startsWith('piece:shape:s2/'))
    expect(pieces.length).toBeGreaterThan(1)
    kv.data.delete(pieces[1])
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const loaded = await new BoardStorage(kv).load()
    expect(loaded?.documents.map((d) => d.state.id)).toEqual(['shape:s1'])
    expect(errors).toHaveBeenCalledOnce()
    expect(String(errors.mock.calls[0][0])).toMatch(/shape:s2 is missing piece 2 of \d+; left out/)
    errors.mockRestore()
  })

  it('a small edit is one storage call; a big record is written in three steps', async () => {
    const kv = new SnapshotTestStorage()
    const storage = new BoardStorage(kv)
    await storage.save({ documentClock: 1, schema, puts: [shape(1)], deletes: [] })
    expect(kv.writes).toEqual([{ op: 'put', keys: ['rec:shape:s1', 'meta'] }])

    kv.writes.length = 0
    await storage.save({ documentClock: 2, schema, puts: [shape(2, big('a'))], deletes: [] })
    await storage.save({ documentClock: 3, schema, puts: [shape(2, big('b'))], deletes: [] })
    // Pieces, then the entry that points at them, then (second write) the old pieces go.
    expect(kv.writes.map((w) => [w.op, w.keys.map((k) => k.replace(/\/[^/]+\/\d+$/, ''))])).toEqual(
      [
        ['put', ['piece:shape:s2', 'piece:shape:s2', 'piece:shape:s2', 'piece:shape:s2']],
        ['put', ['rec:shape:s2', 'meta']],
        ['put', ['piece:shape:s2', 'piece:shape:s2', 'piece:shape:s2', 'piece:shape:s2']],
        ['put', ['rec:shape:s2', 'meta']],
        ['delete', ['piece:shape:s2', 'piece:shape:s2', 'piece:shape:s2', 'piece:shape:s2']],
      ],
    )
    expect(textOf(await new BoardStorage(kv).load(), 'shape:s2')).toBe(big('b'))
  })

  it('a crash at any storage call of a write leaves every record old or new, never torn', async () => {
    const outcomes = new Set<string>()
    for (let crashAfter = 0; ; crashAfter++) {
      const kv = new SnapshotTestStorage()
      const storage = new BoardStorage(kv)
      await storage.save({
        documentClock: 1,
        schema,
        puts: [shape(1, big('old')), shape(2, 'old'), shape(3, 'old')],
        deletes: [],
      })
      kv.callsLeft = crashAfter
      const write = storage.save({
        documentClock: 2,
        schema,
        puts: [shape(1, big('new')), shape(2, 'new')],
        deletes: ['shape:s3'],
      })
      const crashed = await write.then(
        () => false,
        () => true,
      )
      kv.callsLeft = Infinity

      const loaded = await new BoardStorage(kv).load()
      const label = (text: string | undefined) =>
        text === undefined ? 'gone' : text.length > PIECE_CHARS ? `big ${text.slice(0, 3)}` : text
      const [s1, s2, s3] = ['shape:s1', 'shape:s2', 'shape:s3'].map((id) =>
        label(textOf(loaded, id)),
      )
      // Each record is its old or its new version, whole. (Entries put and deleted in one
      // step are one atomic write on Durable Objects; the in-memory storage makes them two.)
      const where = `crash after ${crashAfter} calls`
      expect(['big old', 'big new'], where).toContain(s1)
      expect(['old', 'new'], where).toContain(s2)
      expect(['old', 'gone'], where).toContain(s3)
      // The meta and the entries it is written with are one put.
      expect([s2, loaded?.documentClock], where).toEqual(s2 === 'new' ? ['new', 2] : ['old', 1])
      expect(s1 === 'big new', where).toBe(s2 === 'new')
      // Whatever the crash left behind is gone after the load.
      const referenced = new Set(
        [...kv.data]
          .filter(([k]) => k.startsWith('rec:'))
          .flatMap(([k, head]) => {
            const h = head as { rev?: string; pieces?: number }
            const id = k.slice(4)
            return h.rev
              ? Array.from({ length: h.pieces! }, (_, n) => `piece:${id}/${h.rev}/${n}`)
              : []
          }),
      )
      expect(kv.keys('piece:'), `crash after ${crashAfter} calls`).toEqual([...referenced].sort())
      outcomes.add(s2)
      if (!crashed) break
    }
    expect([...outcomes].sort()).toEqual(['new', 'old'])
  })

  it('saves run one after another, each after what it must follow', async () => {
    const kv = new SnapshotTestStorage()
    const storage = new BoardStorage(kv)
    let release = () => {}
    const safetyCopy = new Promise<void>((resolve) => (release = resolve))
    const first = storage.save(
      { documentClock: 1, schema, puts: [shape(1)], deletes: [] },
      safetyCopy,
    )
    const second = storage.save({ documentClock: 2, schema, puts: [shape(2)], deletes: [] })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(kv.writes).toEqual([])
    release()
    await Promise.all([first, second])
    expect(kv.writes.map((w) => w.keys[0])).toEqual(['rec:shape:s1', 'rec:shape:s2'])

    // A save that cannot follow (its safety copy failed) writes nothing, nor does the next.
    kv.writes.length = 0
    const failed = storage.save(
      { documentClock: 3, schema, puts: [shape(3)], deletes: [] },
      Promise.reject(new Error('no safety copy')),
    )
    const next = storage.save({ documentClock: 4, schema, puts: [shape(4)], deletes: [] })
    await expect(failed).rejects.toThrow('no safety copy')
    await expect(next).rejects.toThrow('no safety copy')
    expect(kv.writes).toEqual([])
  })

  it('loads a board stored before revisions, and clears its old pieces on the next write', async () => {
    const kv = new SnapshotTestStorage()
    const json = JSON.stringify(shape(1, big('legacy')))
    const parts = [
      json.slice(0, PIECE_CHARS),
      json.slice(PIECE_CHARS, 2 * PIECE_CHARS),
      json.slice(2 * PIECE_CHARS),
    ]
    kv.data.set('meta', { documentClock: 5, schema })
    kv.data.set('rec:shape:s1', { pieces: 3 })
    parts.forEach((part, n) => kv.data.set(`piece:shape:s1#${n}`, part))
    kv.data.set('rec:shape:s2', { json: JSON.stringify(shape(2)) })

    const storage = new BoardStorage(kv)
    expect(textOf(await storage.load(), 'shape:s1')).toBe(big('legacy'))
    await storage.save({ documentClock: 6, schema, puts: [shape(1, big('now'))], deletes: [] })
    expect(kv.keys('piece:shape:s1#')).toEqual([])
    expect(textOf(await new BoardStorage(kv).load(), 'shape:s1')).toBe(big('now'))
  })

  it('reports and skips a torn or unreadable record; the rest of the board opens', async () => {
    const kv = new SnapshotTestStorage()
    // Pieces overwritten in place by two versions (the old layout): the JSON does not parse.
    const a = JSON.stringify(shape(1, big('aaaa')))
    const b = JSON.stringify(shape(1, big('bb')))
    kv.data.set('meta', { documentClock: 5, schema })
    kv.data.set('rec:shape:s1', { pieces: 2 })
    kv.data.set('piece:shape:s1#0', a.slice(0, PIECE_CHARS))
    kv.data.set('piece:shape:s1#1', b.slice(PIECE_CHARS, 2 * PIECE_CHARS))
    kv.data.set('rec:shape:s2', { json: '{"state":{"id":"shape:s2"' })
    kv.data.set('rec:shape:s3', { json: JSON.stringify(shape(3)) })

    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const storage = new BoardStorage(kv)
    const loaded = await storage.load()
    expect(loaded?.documents.map((d) => d.state.id)).toEqual(['shape:s3'])
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      'board storage: record shape:s1 is not readable JSON; left out of the board',
      'board storage: record shape:s2 is not readable JSON; left out of the board',
    ])
    errors.mockRestore()
    // Left on disk for a person to look at, until a restore replaces the board.
    expect(kv.keys('piece:shape:s1#')).toHaveLength(2)
    await storage.save({
      documentClock: 6,
      schema,
      puts: [shape(4)],
      deletes: [],
      replaceAll: true,
    })
    expect([...kv.data.keys()].sort()).toEqual(['meta', 'rec:shape:s4'])
  })

  it('keeps the last good version of a record whose newest revision lost a piece', async () => {
    const kv = new SnapshotTestStorage()
    const storage = new BoardStorage(kv)
    await storage.save({ documentClock: 1, schema, puts: [shape(1, big('good'))], deletes: [] })
    const good = kv.keys('piece:')
    // The next write crashed between the entry's switch and the old pieces' cleanup...
    kv.callsLeft = 2
    await storage
      .save({ documentClock: 2, schema, puts: [shape(1, big('newer'))], deletes: [] })
      .catch(() => {})
    kv.callsLeft = Infinity
    expect(kv.keys('piece:')).toEqual(expect.arrayContaining(good))
    // ...and the new revision then lost a piece.
    const newer = kv.keys('piece:').filter((k) => !good.includes(k))
    kv.data.delete(newer[0])

    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const reloaded = new BoardStorage(kv)
    expect(textOf(await reloaded.load(), 'shape:s1')).toBe(big('good'))
    expect(errors).toHaveBeenCalledOnce()
    expect(String(errors.mock.calls[0][0])).toMatch(
      /shape:s1 is missing piece 1 of \d+; loaded its previous version/,
    )
    errors.mockRestore()
    // The entry points at the good revision again; the next load is quiet.
    const quiet = vi.spyOn(console, 'error')
    expect(textOf(await new BoardStorage(kv).load(), 'shape:s1')).toBe(big('good'))
    expect(quiet).not.toHaveBeenCalled()
    quiet.mockRestore()
  })
})

/** Text several pieces long, different for each seed. */
function big(seed: string) {
  return seed.repeat(Math.ceil((PIECE_CHARS * 3.5) / seed.length))
}

function textOf(board: Awaited<ReturnType<BoardStorage['load']>>, id: string) {
  const doc = board?.documents.find((d) => d.state.id === id)
  return (doc?.state as { props?: { text?: string } } | undefined)?.props?.text
}
