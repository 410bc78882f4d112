/**
 * The sync room's in-memory storage, with two things the room needs from it: a synchronous
 * lookup of a record as it stands (the write rules in roles.ts read a binding's ends and a
 * shape's parents), and quiet failures. tldraw's `InMemorySyncStorage` prints every failed
 * transaction (a record that does not validate) with `console.error` before rethrowing it;
 * the room then reports the same error through its log (refusal-log.ts), so that first print
 * is only a second stack trace per bad frame, and is dropped here.
 */
import {
  InMemorySyncStorage,
  type RoomSnapshot,
  type TLSyncStorageTransactionCallback,
  type TLSyncStorageTransactionOptions,
  type TLSyncStorageTransactionResult,
} from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import type { BoardRecords } from './roles'

interface InternalDocuments {
  documents: { get(id: string): { state: TLRecord } | undefined }
}

/** What tldraw's storage says before rethrowing a failed transaction (sync-core 5.4). */
const FAILED_TRANSACTION = 'Error in transaction'

export class RoomStorage extends InMemorySyncStorage<TLRecord> implements BoardRecords {
  constructor(snapshot: RoomSnapshot | null) {
    super({ snapshot: snapshot ?? undefined })
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
      return super.transaction(callback, opts)
    } finally {
      console.error = print
    }
  }
}
