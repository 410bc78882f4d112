/**
 * The sync room's in-memory storage, with two things the room needs from it: a synchronous
 * lookup of a record as it stands (the write rules in roles.ts read a binding's ends and a
 * shape's parents), and quiet failures. tldraw's `InMemorySyncStorage` prints every failed
 * transaction (a record that does not validate) with `console.error` before rethrowing it;
 * the room then reports the same error through its log (refusal-log.ts), so that first print
 * is only a second stack trace per bad frame, and is dropped here.
 *
 * It also keeps two indexes the write rules read instead of scanning the board: the ids of the
 * board's frozen shapes (the frozen-frame rule reads a handful of frames per write) and, for
 * each record, the records that point at it: the shapes under it and the bindings to it (a
 * write is judged with every shape it carries, and a delete may not leave one behind). Every
 * write goes through a transaction, whose sets and deletes update both (a failed one rebuilds
 * them).
 */
import {
  InMemorySyncStorage,
  type RoomSnapshot,
  type TLSyncStorageTransactionCallback,
  type TLSyncStorageTransactionOptions,
  type TLSyncStorageTransactionResult,
} from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import { isFrozen } from '../../board/shape-meta'
import type { BoardRecords } from './board-records'

interface InternalDocuments {
  documents: {
    get(id: string): { state: TLRecord } | undefined
    values(): Iterable<{ state: TLRecord }>
  }
}

type Transaction = Parameters<TLSyncStorageTransactionCallback<TLRecord, unknown>>[0]

/** What tldraw's storage says before rethrowing a failed transaction (sync-core 5.4). */
const FAILED_TRANSACTION = 'Error in transaction'

export class RoomStorage extends InMemorySyncStorage<TLRecord> implements BoardRecords {
  /** The ids of the shapes marked frozen now (frames and others): read by the write rules. */
  private frozen = new Set<string>()
  /** For each record id, the ids of the records pointing at it now (`targetsOf`). */
  private referrers = new Map<string, Set<string>>()

  constructor(snapshot: RoomSnapshot | null) {
    super({ snapshot: snapshot ?? undefined })
    this.rebuildIndexes()
  }

  frozenShapeIds(): Iterable<string> {
    return this.frozen
  }

  referrerIds(id: string): Iterable<string> {
    return this.referrers.get(id) ?? []
  }

  private rebuildIndexes() {
    this.frozen = new Set()
    this.referrers = new Map()
    for (const { state } of (this as unknown as InternalDocuments).documents.values()) {
      if (state.typeName === 'shape' && isFrozen(state)) this.frozen.add(state.id)
      this.adopt(state)
    }
  }

  /** Files the record under each record it points at. */
  private adopt(record: TLRecord) {
    for (const target of targetsOf(record)) {
      const set = this.referrers.get(target) ?? new Set<string>()
      set.add(record.id)
      this.referrers.set(target, set)
    }
  }

  private disown(record: TLRecord | undefined) {
    if (!record) return
    for (const target of targetsOf(record)) {
      const set = this.referrers.get(target)
      set?.delete(record.id)
      if (set?.size === 0) this.referrers.delete(target)
    }
  }

  /** The transaction as tldraw hands it to the room, with its writes kept in the index. */
  private tracking(txn: Transaction): Transaction {
    const track = (id: string, record: TLRecord | null) => {
      if (record?.typeName === 'shape' && isFrozen(record)) this.frozen.add(id)
      else this.frozen.delete(id)
    }
    // Read before the write: the map is written in place.
    const reparent = (id: string, record: TLRecord | null) => {
      this.disown(this.get(id))
      if (record) this.adopt(record)
    }
    return new Proxy(txn, {
      get(target, key) {
        if (key === 'set') {
          return (id: string, record: TLRecord) => {
            reparent(id, record)
            target.set(id, record)
            track(id, record)
          }
        }
        if (key === 'delete') {
          return (id: string) => {
            reparent(id, null)
            target.delete(id)
            track(id, null)
          }
        }
        const value: unknown = Reflect.get(target, key, target)
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    })
  }

  /**
   * The record with this id now, mid-transaction included: a transaction writes the map in
   * place (and rolls it back if it fails). `documents` is public at run time but marked
   * internal in tldraw's published types; the unit tests of the binding rules would fail if
   * it went away.
   */
  get(id: string): TLRecord | undefined {
    return (this as unknown as InternalDocuments).documents.get(id)?.state
  }

  override transaction<T>(
    callback: TLSyncStorageTransactionCallback<TLRecord, T>,
    opts?: TLSyncStorageTransactionOptions,
  ): TLSyncStorageTransactionResult<T, TLRecord> {
    // Synchronous, so nothing else runs while the console is redirected.
    const print = console.error
    console.error = (...args: unknown[]) => {
      if (args[0] !== FAILED_TRANSACTION) print(...args)
    }
    try {
      return super.transaction((txn) => callback(this.tracking(txn)), opts)
    } catch (error) {
      // Rolled back: the indexes may hold writes that never happened.
      this.rebuildIndexes()
      throw error
    } finally {
      console.error = print
    }
  }
}

/** The records this one points at: a shape its parent, a binding its two ends. */
export function targetsOf(record: TLRecord): string[] {
  if (record.typeName === 'shape') return [String(record.parentId)]
  if (record.typeName === 'binding')
    return [...new Set([String(record.fromId), String(record.toId)])]
  return []
}
