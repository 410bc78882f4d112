import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PIECE_CHARS } from '../../src/server/core/kv'
import { LibraryStore } from '../../src/server/library/library-store'
import { parseTemplate, type Template } from '../../src/protocol/template-format'
import { MAX_VALUE_BYTES, MemoryStorage } from './memory-storage'

const retro = (() => {
  const parsed = parseTemplate(
    JSON.parse(readFileSync(new URL('../../templates/retro.json', import.meta.url), 'utf8')),
  )
  if (!parsed.ok) throw new Error('templates/retro.json does not parse')
  return parsed.template
})()

const meta = { name: 'Team', secretHash: 'a'.repeat(64), createdAt: 1 }

function withId(id: string, changes: Partial<Template> = {}): Template {
  return { ...retro, id, ...changes }
}

/** A valid template far past one storage value: notes of two-byte characters. */
function huge(id: string): Template {
  return withId(id, {
    notes: 'ü'.repeat(4000),
    steps: Array.from({ length: 30 }, (_, i) => ({
      title: `Step ${i}`,
      minutes: 5,
      instructions: 'ß'.repeat(4000),
    })),
  })
}

const keys = (kv: MemoryStorage, prefix: string) =>
  [...kv.data.keys()].filter((k) => k.startsWith(prefix))

describe('LibraryStore', () => {
  it('has no library and no templates before it is created', async () => {
    const store = new LibraryStore(new MemoryStorage())
    expect(await store.meta()).toBeUndefined()
    expect(await store.list()).toEqual([])
    expect(await store.read('retro')).toBeNull()
  })

  it('keeps the library’s name and secret hash', async () => {
    const kv = new MemoryStorage()
    await new LibraryStore(kv).create(meta)
    expect(await new LibraryStore(kv).meta()).toEqual(meta)
  })

  it('publishes, lists and reads a template back, across restarts', async () => {
    const kv = new MemoryStorage()
    const result = await new LibraryStore(kv).publish(retro, 1000)
    const summary = {
      id: 'retro',
      title: retro.title,
      summary: retro.summary,
      tags: retro.tags,
      minutes: retro.minutes,
      publishedAt: 1000,
      updatedAt: 1000,
    }
    expect(result).toEqual({ kind: 'created', summary })

    const reopened = new LibraryStore(kv)
    expect(await reopened.list()).toEqual([summary])
    expect(JSON.parse((await reopened.read('retro'))!)).toEqual(retro)
  })

  it('round-trips a template over 128 KiB in pieces, every value under the limit', async () => {
    const kv = new MemoryStorage()
    const big = huge('big-one')
    const json = JSON.stringify(big)
    expect(json.length * 2).toBeGreaterThan(MAX_VALUE_BYTES)

    await new LibraryStore(kv).publish(big, 5)
    expect(kv.largestValue).toBeLessThanOrEqual(MAX_VALUE_BYTES)
    expect(keys(kv, 'piece:big-one/')).toHaveLength(Math.ceil(json.length / PIECE_CHARS))
    expect(await new LibraryStore(kv).read('big-one')).toBe(json)
  })

  it('replaces a template: keeps when it was first published, drops the old pieces', async () => {
    const kv = new MemoryStorage()
    const store = new LibraryStore(kv)
    await store.publish(huge('retro'), 1000)
    const replaced = await store.publish(withId('retro', { title: 'Sprint retro' }), 2000)
    expect(replaced).toMatchObject({
      kind: 'replaced',
      summary: { title: 'Sprint retro', publishedAt: 1000, updatedAt: 2000 },
    })
    expect(keys(kv, 'piece:retro/')).toHaveLength(1)
    expect(keys(kv, 'entry:')).toEqual(['entry:retro'])
    expect(JSON.parse((await new LibraryStore(kv).read('retro'))!).title).toBe('Sprint retro')
  })

  it('lists newest first', async () => {
    const store = new LibraryStore(new MemoryStorage())
    await store.publish(withId('first'), 1)
    await store.publish(withId('third'), 3)
    await store.publish(withId('second'), 2)
    await store.publish(withId('first', { title: 'Updated' }), 4)
    expect((await store.list()).map((t) => t.id)).toEqual(['third', 'second', 'first'])
  })

  it('keeps the source credit in the summary', async () => {
    const store = new LibraryStore(new MemoryStorage())
    const source = { title: 'A post', url: 'https://example.com/post' }
    await store.publish(withId('credited', { source }), 1)
    expect((await store.list())[0].source).toEqual(source)
  })

  it('removes the entry and every piece', async () => {
    const kv = new MemoryStorage()
    const store = new LibraryStore(kv)
    await store.create(meta)
    await store.publish(huge('big'), 1)
    await store.publish(withId('small'), 2)
    expect(await store.remove('big')).toBe(true)
    expect(await store.remove('big')).toBe(false)
    expect(await store.read('big')).toBeNull()
    expect(keys(kv, 'piece:big/')).toEqual([])
    expect((await new LibraryStore(kv).list()).map((t) => t.id)).toEqual(['small'])
    expect(await store.meta()).toEqual(meta)
  })

  it('refuses a new template past the limit, but still replaces existing ones', async () => {
    const kv = new MemoryStorage()
    const store = new LibraryStore(kv, 2)
    await store.publish(withId('one'), 1)
    await store.publish(withId('two'), 2)
    const before = new Map(kv.data)
    expect(await store.publish(withId('three'), 3)).toEqual({ kind: 'full', limit: 2 })
    expect(kv.data).toEqual(before)
    expect((await store.publish(withId('two', { title: 'Again' }), 4)).kind).toBe('replaced')
  })

  it('a publish that dies after its pieces leaves the previous version intact', async () => {
    const kv = new MemoryStorage()
    await new LibraryStore(kv).publish(huge('retro'), 1)
    const original = await new LibraryStore(kv).read('retro')

    // The entry write fails: the new pieces are on disk, the entry still points at the old.
    const failing = new LibraryStore({
      get: kv.get.bind(kv),
      list: kv.list.bind(kv),
      delete: kv.delete.bind(kv),
      put: async (entries) => {
        if (Object.keys(entries).some((k) => k.startsWith('entry:'))) throw new Error('crash')
        await kv.put(entries)
      },
    })
    await expect(failing.publish(withId('retro', { title: 'Half' }), 2)).rejects.toThrow('crash')
    expect(await new LibraryStore(kv).read('retro')).toBe(original)

    // The next publish sweeps the leftovers of the one that failed.
    await new LibraryStore(kv).publish(withId('retro', { title: 'Whole' }), 3)
    expect(keys(kv, 'piece:retro/')).toHaveLength(1)
  })
})
