import { describe, expect, it } from 'vitest'
import { People } from '../../src/server/workshop/people'
import { SnapshotTestStorage } from './snapshot-storage'

describe('People', () => {
  it('counts each person once, and remembers them across restarts', async () => {
    const kv = new SnapshotTestStorage()
    const people = new People(kv)
    expect(await people.count()).toBe(0)
    await people.remember('alice-123456')
    await people.remember('alice-123456')
    await Promise.all([people.remember('bob_98765432'), people.remember('bob_98765432')])
    expect(await people.count()).toBe(2)
    // Written once each, however often they connect.
    expect(kv.writes).toEqual([
      { op: 'put', keys: ['person:alice-123456'] },
      { op: 'put', keys: ['person:bob_98765432'] },
    ])

    const restarted = new People(kv)
    expect(await restarted.count()).toBe(2)
  })

  it('ignores a missing or malformed person id', async () => {
    const kv = new SnapshotTestStorage()
    const people = new People(kv)
    for (const id of [null, '', 'short', 'has space 123', 'x'.repeat(65), 'emoji🙂1234']) {
      await people.remember(id)
    }
    expect(await people.count()).toBe(0)
    expect(kv.data.size).toBe(0)
  })

  it('counts a person only once they are on disk', async () => {
    const kv = new SnapshotTestStorage()
    const people = new People(kv)
    // Read what is stored first, so that only the write below fails.
    await people.count()
    kv.callsLeft = 0
    await expect(people.remember('carol-12345678')).rejects.toThrow(/storage is gone/)
    expect(await people.count()).toBe(0)
    kv.callsLeft = Infinity
    await people.remember('carol-12345678')
    expect(await people.count()).toBe(1)
  })
})
