/**
 * The last copy of a board on this device (IndexedDB), so a second visit paints at once while
 * the socket connects (board-sync.ts). One entry per board and per view of it: a participant,
 * a facilitator and a viewer of the same board read different things (a private brainstorm
 * hides everyone's stickies but their own), so each view keeps its own copy, holding only what
 * that view's socket received. An entry carries the store schema it was written with; one of
 * another schema, or one that does not parse, is dropped. Only the newest `MAX_BOARDS` entries
 * are kept.
 *
 * This module only stores and fetches: what goes in (records the server confirmed) and what
 * the copy may do (be shown read-only, never be pushed) is board-sync's. Every call answers a
 * result and never throws: a browser without IndexedDB (or with it refused) just has no cache.
 *
 * `idb` (Jake Archibald's promise wrapper, 1 kB) because tldraw already ships it: no new bytes
 * in the bundle, and it gives the index by time that the LRU needs.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { z } from 'zod'
import type { Role } from '../protocol'

/** How many boards (views) this device keeps; the least recently written go first. */
export const MAX_BOARDS = 20

const DB_NAME = 'switchback-board-cache'
const STORE = 'boards'

/** One record as the cache gives it back: tldraw's validators check the rest (board-sync.ts). */
const cachedRecordSchema = z.looseObject({ id: z.string().min(1), typeName: z.string().min(1) })
export type CachedRecord = z.infer<typeof cachedRecordSchema>

const entrySchema = z.object({
  key: z.string(),
  /** The store schema the records were written with (JSON of `store.schema.serialize()`). */
  schema: z.string(),
  savedAt: z.number(),
  records: z.array(cachedRecordSchema),
})
type Entry = z.infer<typeof entrySchema>

interface CacheDb extends DBSchema {
  boards: { key: string; value: Entry; indexes: { savedAt: number } }
}

/**
 * Which copy: the board, and what this link may read of it (the role, and who reads, for a
 * participant), and the link's key: a copy is only shown again to the link that received it,
 * so a wrong or outdated key never sees it before the server refuses it. The key is kept as a
 * digest (FNV-1a), only to tell links apart: the secrets themselves stay in localStorage.
 */
export function boardCacheKey(
  roomId: string,
  role: Role,
  personId: string | null,
  secret: string | null,
): string {
  return JSON.stringify([roomId, role, role === 'participant' ? personId : null, digest(secret)])
}

function digest(secret: string | null): string | null {
  if (secret === null) return null
  let hash = 0x811c9dc5
  for (let i = 0; i < secret.length; i++) {
    hash = Math.imul(hash ^ secret.charCodeAt(i), 0x01000193) >>> 0
  }
  return hash.toString(36)
}

export type CacheRead =
  { ok: true; records: CachedRecord[] } | { ok: false; reason: 'none' | 'unavailable' | 'dropped' }

let opened: Promise<IDBPDatabase<CacheDb> | null> | null = null

function db(): Promise<IDBPDatabase<CacheDb> | null> {
  opened ??= (async () => {
    try {
      if (typeof indexedDB === 'undefined') return null
      return await openDB<CacheDb>(DB_NAME, 1, {
        upgrade(database) {
          database.createObjectStore(STORE, { keyPath: 'key' }).createIndex('savedAt', 'savedAt')
        },
        // Another tab holds an older version open: this tab goes without a cache meanwhile.
        blocked() {},
      })
    } catch {
      return null
    }
  })()
  return opened
}

/** The copy of `key` written with `schema`; any other copy there is deleted. */
export async function readBoardCache(key: string, schema: string): Promise<CacheRead> {
  const database = await db()
  if (!database) return { ok: false, reason: 'unavailable' }
  try {
    const raw: unknown = await database.get(STORE, key)
    if (raw === undefined) return { ok: false, reason: 'none' }
    const entry = entrySchema.safeParse(raw)
    if (!entry.success || entry.data.schema !== schema || entry.data.key !== key) {
      await deleteBoardCache(key)
      return { ok: false, reason: 'dropped' }
    }
    return { ok: true, records: entry.data.records }
  } catch {
    return { ok: false, reason: 'unavailable' }
  }
}

/** Stores `records` as the copy of `key`, then drops the oldest copies past `MAX_BOARDS`. */
export async function writeBoardCache(
  key: string,
  schema: string,
  records: readonly { id: string; typeName: string }[],
): Promise<boolean> {
  const database = await db()
  if (!database) return false
  try {
    const tx = database.transaction(STORE, 'readwrite')
    // Records are plain JSON (tldraw's store holds nothing else), so they clone as they are.
    await tx.store.put({ key, schema, savedAt: Date.now(), records: records as CachedRecord[] })
    const keys = await tx.store.index('savedAt').getAllKeys()
    // Oldest first (the index is ordered by time): all but the newest MAX_BOARDS go.
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_BOARDS))) {
      await tx.store.delete(old)
    }
    await tx.done
    return true
  } catch {
    return false
  }
}

/** Forgets the copy of `key` (the server refused this link, or the board is gone). */
export async function deleteBoardCache(key: string): Promise<boolean> {
  const database = await db()
  if (!database) return false
  try {
    await database.delete(STORE, key)
    return true
  } catch {
    return false
  }
}
