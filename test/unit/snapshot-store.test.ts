import { describe, expect, it } from 'vitest'
import { snapshotIdSchema } from '../../src/protocol'
import { BoardStorage } from '../../src/server/room/board-storage'
import { PIECE_CHARS } from '../../src/server/core/kv'
import {
  IMAGE_PIECE_BYTES,
  SnapshotStore,
  newSnapshotId,
  type NewSnapshot,
} from '../../src/server/snapshots/snapshot-store'
import { MAX_VALUE_BYTES } from './memory-storage'
import { SnapshotTestStorage } from './snapshot-storage'

function noise(bytes: number, seed = 1) {
  const out = new Uint8Array(bytes)
  let x = seed
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

function snapshot(changes: Partial<NewSnapshot> = {}): NewSnapshot {
  return {
    width: 1600,
    height: 900,
    image: noise(1000),
    board: JSON.stringify({ schema: { schemaVersion: 2 }, store: {} }),
    ...changes,
  }
}

async function added(store: SnapshotStore, s: NewSnapshot, now?: number) {
  const result = await store.add(s, now)
  if (result.kind !== 'added') throw new Error('expected the snapshot to be added')
  return result.entry
}

describe('SnapshotStore', () => {
  it('round-trips an image and a board far past one storage value, across restarts', async () => {
    const kv = new SnapshotTestStorage()
    const image = noise(3 * 1024 * 1024 + 17)
    // Two-byte characters: V8 stores the text as UTF-16, twice its length in bytes.
    const board = JSON.stringify({ store: { 'shape:a': { text: 'ü'.repeat(400_000) } } })
    expect(image.byteLength).toBeGreaterThan(MAX_VALUE_BYTES)
    expect(board.length * 2).toBeGreaterThan(MAX_VALUE_BYTES)

    const entry = await added(new SnapshotStore(kv), snapshot({ image, board, title: 'Step 1' }), 5)
    expect(entry).toMatchObject({ title: 'Step 1', createdAt: 5, width: 1600, height: 900 })
    expect(kv.largestValue).toBeLessThanOrEqual(MAX_VALUE_BYTES)
    expect(kv.keys(`snap-piece:${entry.id}/i/`)).toHaveLength(
      Math.ceil(image.byteLength / IMAGE_PIECE_BYTES),
    )
    expect(kv.keys(`snap-piece:${entry.id}/b/`)).toHaveLength(Math.ceil(board.length / PIECE_CHARS))

    const reopened = new SnapshotStore(kv)
    expect(await reopened.list()).toEqual([entry])
    const read = await reopened.readImage(entry.id)
    expect(read?.byteLength).toBe(image.byteLength)
    expect(Buffer.from(read!).equals(Buffer.from(image))).toBe(true)
    expect(await reopened.readBoard(entry.id)).toBe(board)
  })

  it('stores the largest image the protocol allows in one put', async () => {
    const kv = new SnapshotTestStorage()
    const image = noise(12 * 1024 * 1024)
    const entry = await added(new SnapshotStore(kv), snapshot({ image }))
    const pieceWrites = kv.writes.filter((w) => w.keys.some((k) => k.includes('/i/')))
    expect(pieceWrites).toHaveLength(1)
    expect(kv.keys(`snap-piece:${entry.id}/i/`)).toHaveLength(128)
    expect(kv.largestValue).toBeLessThanOrEqual(MAX_VALUE_BYTES)
  })

  it('names untitled snapshots in order, and lists newest first', async () => {
    const store = new SnapshotStore(new SnapshotTestStorage())
    const first = await added(store, snapshot(), 1000)
    const second = await added(store, snapshot({ title: 'Ideas' }), 3000)
    const third = await added(store, snapshot(), 2000)
    // Same millisecond as the second: the later one is listed first.
    const fourth = await added(store, snapshot(), 3000)
    expect([first.title, second.title, third.title, fourth.title]).toEqual([
      'Snapshot 1',
      'Ideas',
      'Snapshot 3',
      'Snapshot 4',
    ])
    expect((await store.list()).map((e) => e.id)).toEqual([
      fourth.id,
      second.id,
      third.id,
      first.id,
    ])
  })

  it('removes a snapshot with every one of its pieces, and nothing else', async () => {
    const kv = new SnapshotTestStorage()
    kv.data.set('rec:shape:a', { json: '{}' })
    kv.data.set('auth', { facilitatorHash: 'x' })
    const store = new SnapshotStore(kv)
    const keep = await added(store, snapshot({ image: noise(300_000, 2) }))
    const before = [...kv.data.keys()].sort()
    const drop = await added(
      store,
      snapshot({ image: noise(500_000, 3), board: 'x'.repeat(PIECE_CHARS * 3) }),
    )
    expect(kv.keys(`snap-piece:${drop.id}/`).length).toBe(
      Math.ceil(500_000 / IMAGE_PIECE_BYTES) + 3,
    )

    expect(await store.remove(drop.id)).toBe(true)
    expect([...kv.data.keys()].sort()).toEqual(before)
    expect(await store.remove(drop.id)).toBe(false)
    expect(await store.readImage(drop.id)).toBeNull()
    expect(await store.readBoard(drop.id)).toBeNull()
    expect((await new SnapshotStore(kv).list()).map((e) => e.id)).toEqual([keep.id])
  })

  it('refuses a snapshot past the limit, counting those still being written', async () => {
    const kv = new SnapshotTestStorage()
    const store = new SnapshotStore(kv, 2)
    await added(store, snapshot())
    const [a, b] = await Promise.all([store.add(snapshot()), store.add(snapshot())])
    expect([a.kind, b.kind].sort()).toEqual(['added', 'full'])
    expect(await store.isFull()).toBe(true)
    expect(await store.add(snapshot())).toEqual({ kind: 'full', limit: 2 })
    expect(await store.list()).toHaveLength(2)
    const [oldest] = (await store.list()).slice(-1)
    await store.remove(oldest.id)
    expect(await store.isFull()).toBe(false)
    expect((await store.add(snapshot())).kind).toBe('added')
  })

  it('keeps a snapshot without a picture: its board only, listed with no size', async () => {
    const kv = new SnapshotTestStorage()
    const store = new SnapshotStore(kv)
    const board = JSON.stringify({ store: { 'shape:a': { text: 'kept' } } })
    const entry = await added(store, { title: 'Before restoring “X”', board, image: null }, 7)
    expect(entry).toMatchObject({ width: null, height: null, imagePieces: 0, imageBytes: 0 })
    expect(kv.keys(`snap-piece:${entry.id}/i/`)).toEqual([])
    const reopened = new SnapshotStore(kv)
    expect(await reopened.list()).toEqual([entry])
    expect(await reopened.readImage(entry.id)).toBeNull()
    expect(await reopened.readBoard(entry.id)).toBe(board)
    expect(await reopened.remove(entry.id)).toBe(true)
    expect(kv.keys('snap')).toEqual([])
  })

  it('holds a reserved place until it is written or released', async () => {
    const store = new SnapshotStore(new SnapshotTestStorage(), 2)
    const first = await store.reserve()
    const second = await store.reserve()
    expect(first && second).toBeTruthy()
    expect(await store.reserve()).toBeNull()
    expect(await store.isFull()).toBe(true)
    second!.release()
    second!.release() // twice is once
    expect(await store.isFull()).toBe(false)
    await first!.write(snapshot())
    await expect(second!.write(snapshot())).rejects.toThrow(/released/)
    expect((await store.list()).length).toBe(1)
    expect(await store.reserve()).not.toBeNull()
    expect(await store.reserve()).toBeNull()
  })

  it('writes every piece before the entry that lists the snapshot', async () => {
    const kv = new SnapshotTestStorage()
    const entry = await added(
      new SnapshotStore(kv),
      snapshot({ image: noise(400_000), board: 'y'.repeat(PIECE_CHARS * 2 + 1) }),
    )
    const order = kv.writes.flatMap((w) => w.keys.map((key) => `${w.op} ${key}`))
    const listed = order.indexOf(`put snap:${entry.id}`)
    const pieces = order.filter((line) => line.startsWith('put snap-piece:'))
    expect(pieces).toHaveLength(Math.ceil(400_000 / IMAGE_PIECE_BYTES) + 3)
    for (const piece of pieces) expect(order.indexOf(piece)).toBeLessThan(listed)
    // The marker that lets a restart clear an interrupted write goes first, and last.
    expect(order[0]).toBe(`put snap-pending:${entry.id}`)
    expect(order.at(-1)).toBe(`delete snap-pending:${entry.id}`)
  })

  it('a crash at any point of a write or a removal never lists a broken snapshot or leaks pieces', async () => {
    const image = noise(300_000)
    const board = 'z'.repeat(PIECE_CHARS + 5)
    // How many storage calls a whole add and a whole remove take.
    const probe = new SnapshotTestStorage()
    const probeStore = new SnapshotStore(probe)
    await probeStore.list()
    await added(probeStore, snapshot({ image, board }))
    const addWrites = probe.writes.length
    expect(addWrites).toBeGreaterThan(3)
    const outcomes = { listed: 0, gone: 0 }

    for (let crashAfter = 0; crashAfter <= addWrites + 2; crashAfter++) {
      const kv = new SnapshotTestStorage()
      const store = new SnapshotStore(kv)
      await store.list()
      kv.callsLeft = crashAfter
      await store.add(snapshot({ image, board })).catch(() => undefined)
      kv.callsLeft = Infinity

      const restarted = new SnapshotStore(kv)
      const listed = await restarted.list()
      if (listed.length === 1) {
        expect(Buffer.from((await restarted.readImage(listed[0].id))!).equals(image)).toBe(true)
        expect(await restarted.readBoard(listed[0].id)).toBe(board)
        expect(kv.keys('snap-pending:')).toEqual([])
        outcomes.listed++
      } else {
        expect(listed).toEqual([])
        expect(kv.keys('snap-'), `crash after ${crashAfter} calls`).toEqual([])
        outcomes.gone++
      }
    }
    // Both outcomes happened: crashes before and after the snapshot was listed.
    expect(outcomes.listed).toBeGreaterThan(0)
    expect(outcomes.gone).toBeGreaterThan(0)

    const removals = { kept: 0, gone: 0 }
    for (let crashAfter = 0; crashAfter <= 6; crashAfter++) {
      const kv = new SnapshotTestStorage()
      const store = new SnapshotStore(kv)
      const { id } = await added(store, snapshot({ image, board }))
      kv.callsLeft = crashAfter
      await store.remove(id).catch(() => undefined)
      kv.callsLeft = Infinity

      const listed = await new SnapshotStore(kv).list()
      if (listed.length === 1) {
        expect(await new SnapshotStore(kv).readBoard(id)).toBe(board)
        removals.kept++
      } else {
        expect(listed).toEqual([])
        expect(kv.keys('snap'), `crash after ${crashAfter} calls`).toEqual([])
        removals.gone++
      }
    }
    expect(removals.gone).toBeGreaterThan(0)
    expect(removals.kept).toBeGreaterThan(0)
  })

  it('keeps clear of the board’s own keys: a board still loads with snapshots beside it', async () => {
    const kv = new SnapshotTestStorage()
    const board = new BoardStorage(kv)
    await board.save({
      documentClock: 3,
      schema: { schemaVersion: 2, sequences: {} },
      puts: [{ state: { id: 'shape:a', typeName: 'shape' } as never, lastChangedClock: 3 }],
      deletes: [],
    })
    await added(
      new SnapshotStore(kv),
      snapshot({ image: noise(400_000), board: 'q'.repeat(80_000) }),
    )
    const loaded = await new BoardStorage(kv).load()
    expect(loaded?.documents.map((d) => d.state.id)).toEqual(['shape:a'])
    for (const key of kv.keys('snap')) {
      expect(key).not.toMatch(/^(rec:|piece:|meta$|auth$|person:)/)
    }
  })
})

describe('newSnapshotId', () => {
  it('is a valid snapshot id that sorts by time, and differs every time', () => {
    const ids = [1, 1000, Date.UTC(2026, 0, 1), Date.UTC(2100, 0, 1)].map((t) => newSnapshotId(t))
    for (const id of ids) expect(snapshotIdSchema.safeParse(id).success).toBe(true)
    expect([...ids].sort()).toEqual(ids)
    const many = new Set(Array.from({ length: 1000 }, () => newSnapshotId(42)))
    expect(many.size).toBe(1000)
  })
})
