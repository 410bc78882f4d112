/**
 * The sync room's in-memory storage, with two things the room needs from it: a synchronous
 * lookup of a record as it stands (the write rules in roles.ts read a binding's ends and a
 * shape's parents), and quiet failures. tldraw's `InMemorySyncStorage` prints every failed
 * transaction (a record that does not validate) with `console.error` before rethrowing it;
 * the room then reports the same error through its log (refusal-log.ts), so that first print
 * is only a second stack trace per bad frame, and is dropped here.
 *
 * It also keeps the ids of the board's frozen shapes, so that the frozen-frame rule reads a
 * handful of frames per write instead of scanning the board: every write goes through a
 * transaction, whose sets and deletes update the index (a failed one rebuilds it).
 */
import {
  InMemorySyncStorage,
  type RoomSnapshot,
  type TLSyncStorageTransactionCallback,
  type TLSyncStorageTransactionOptions,
  type TLSyncStorageTransactionResult,
} from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import { isFrozen } from '../board/shape-meta'
import type { BoardRecords } from './roles'

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

  constructor(snapshot: RoomSnapshot | null) {
    super({ snapshot: snapshot ?? undefined })
    this.rebuildFrozen()
  }

  frozenShapeIds(): Iterable<string> {
    return this.frozen
  }

  private rebuildFrozen() {
    this.frozen = new Set()
    for (const { state } of (this as unknown as InternalDocuments).documents.values()) {
      if (state.typeName === 'shape' && isFrozen(state)) this.frozen.add(state.id)
    }
  }

  /** The transaction as tldraw hands it to the room, with its writes kept in the index. */
  private tracking(txn: Transaction): Transaction {
    const track = (id: string, record: TLRecord | null) => {
      if (record?.typeName === 'shape' && isFrozen(record)) this.frozen.add(id)
      else this.frozen.delete(id)
    }
    return new Proxy(txn, {
      get(target, key) {
        if (key === 'set') {
          return (id: string, record: TLRecord) => {
            target.set(id, record)
            track(id, record)
          }
        }
        if (key === 'delete') {
          return (id: string) => {
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
      // Rolled back: the index may hold writes that never happened.
      this.rebuildFrozen()
      throw error
    } finally {
      console.error = print
    }
  }
}
