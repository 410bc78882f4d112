/**
 * The board's store, synced with its room: our own hook in place of `@tldraw/sync`'s `useSync`,
 * built on the same pieces (tldraw's `TLSyncClient`, `createTLStore`, the presence derivation),
 * so that the store can start from the last copy on this device (board-cache.ts) and a second
 * visit paints at once.
 *
 * The rules for that copy:
 * - It is shown read-only (tldraw's collaboration mode `readonly`, and no canvas handle for the
 *   shell's features) with the state `cached`, until the server's connect arrives.
 * - It is never sent. The client's first connect asks from clock -1, so the server answers with
 *   its full state and `wipe_all`: every document record the server did not send goes, every
 *   one it sent is put (tldraw's validators keep an equal record as it is, so nothing redraws
 *   needlessly). Whatever was changed locally on the copy is dropped at that moment, not pushed.
 * - It is loaded only if it arrives before that connect; a late read is ignored.
 * - It is written (debounced, when the tab is hidden, on unmount) only while every change of
 *   this tab has been answered by the server (tldraw's client has no speculative change left),
 *   so the copy is always a state the server confirmed, never an unsaved edit shown as saved.
 * - A refusal (forbidden) or a board that is gone (not found) deletes it.
 *
 * The pending-change check reads two fields of tldraw's `TLSyncClient` that its typings hide
 * (`speculativeChanges`, `isConnectedToRoom`; @tldraw/sync-core 5.4). When they are not as
 * expected, the copy is never written and never shown: the board opens as it did before.
 */
import { TLRemoteSyncError, TLSyncClient, type TLPersistentClientSocket } from '@tldraw/sync-core'
import { useEffect, useRef, useState } from 'react'
import {
  TAB_ID,
  UserRecordType,
  atom,
  computed,
  createCachedUserResolve,
  createPresenceStateDerivation,
  createTLStore,
  createUserId,
  defaultUserPreferences,
  getDefaultUserPresence,
  getUserPreferences,
  transact,
  uniqueId,
  type Signal,
  type TLAssetStore,
  type TLPresenceStateInfo,
  type TLRecord,
  type TLStore,
  type TLUser,
} from 'tldraw'
import { deleteBoardCache, readBoardCache, writeBoardCache } from './board-cache'
import { syncFailure } from './sync-errors'

export type BoardSyncState =
  | { status: 'loading' }
  /** The last copy on this device, read-only, while the socket connects. */
  | { status: 'cached'; store: TLStore }
  | { status: 'synced-remote'; store: TLStore; connectionStatus: 'online' | 'offline' }
  | { status: 'error'; error: Error }

export interface BoardSyncOptions {
  /** Opens the board's socket (the cursor lane's, cursor-lane.ts). */
  connect(query: { sessionId: string; storeId: string }): TLPersistentClientSocket
  assets: TLAssetStore
  /** Who this tab is in the document (ours: nobody); presence falls back to the preferences. */
  users: { currentUser: Signal<TLUser | null> }
  /** This tab's presence (null: none); read when the client is made. */
  getUserPresence?: (store: TLStore, user: TLUser) => TLPresenceStateInfo | null
  onCustomMessageReceived(data: unknown): void
  /** The copy of the board on this device to start from and keep (null: none, e.g. headless). */
  cacheKey: string | null
}

/** How long the document stays quiet before the copy is written again... */
const WRITE_AFTER_MS = 1000
/** ...but a board that never stays quiet (a busy workshop) is still written this often. */
const WRITE_AT_LEAST_MS = 10_000
/** While the server has not answered this tab's edits, the write is tried again this often. */
const RETRY_MS = 1000

export function useBoardSync(options: BoardSyncOptions): BoardSyncState {
  const { connect, assets, users, cacheKey } = options
  const [state, setState] = useState<BoardSyncState>({ status: 'loading' })
  // Read as each message comes (the caller passes a new function every render).
  const onCustom = useRef(options.onCustomMessageReceived)
  onCustom.current = options.onCustomMessageReceived
  const getUserPresence = useRef(options.getUserPresence)
  getUserPresence.current = options.getUserPresence

  useEffect(() => {
    let cancelled = false
    const storeId = uniqueId()
    const socket = connect({ sessionId: TAB_ID, storeId })
    const online = () => (socket.connectionStatus === 'online' ? 'online' : 'offline')
    const status = atom<'online' | 'offline'>('board connection', online())
    // Read-only until the server says what this session may do.
    const mode = atom<'readonly' | 'readwrite'>('board sync mode', 'readonly')
    const store = createTLStore({
      id: storeId,
      assets,
      users: {
        currentUser: users.currentUser,
        resolve: createCachedUserResolve((id) => {
          const user = users.currentUser.get()
          return user && user.id === createUserId(id) ? user : null
        }),
      },
      collaboration: { status, mode },
    })
    const schema = JSON.stringify(store.schema.serialize())
    // Presence shows the name and colour of the preferences when there is no user record.
    const presenceUser = computed('presence user', () => {
      const user = users.currentUser.get()
      if (user) return user
      const prefs = getUserPreferences()
      return UserRecordType.create({
        id: createUserId(prefs.id),
        name: prefs.name ?? '',
        color: prefs.color ?? defaultUserPreferences.color,
      })
    })
    const presence = createPresenceStateDerivation(presenceUser, {
      getUserPresence: (s, user) => (getUserPresence.current ?? getDefaultUserPresence)(s, user),
    })(store)
    const others = store.query.ids('instance_presence')
    const presenceMode = computed('presence mode', () =>
      others.get().size === 0 ? 'solo' : 'full',
    )

    let connectedOnce = false
    let stopWriting: (() => void) | null = null
    // Before the client's own listener: the first connect ends the copy's time on screen.
    const stopWatching = socket.onReceiveMessage((message) => {
      if ((message as { type?: unknown }).type !== 'connect' || connectedOnce) return
      connectedOnce = true
      dropLocalChanges(client)
    })
    const unsubscribeStatus = socket.onStatusChange(() => {
      status.set(online())
      setState((s) => (s.status === 'synced-remote' ? { ...s, connectionStatus: online() } : s))
    })

    const client = new TLSyncClient<TLRecord, TLStore>({
      store,
      socket,
      didCancel: () => cancelled,
      onLoad() {},
      onSyncError(reason) {
        const error = new TLRemoteSyncError(reason)
        const failure = syncFailure(error)
        if (cacheKey && (failure.reason === 'forbidden' || failure.reason === 'not-found')) {
          void deleteBoardCache(cacheKey)
        }
        setState({ status: 'error', error })
        socket.close()
      },
      onAfterConnect(_, { isReadonly }) {
        transact(() => {
          mode.set(isReadonly ? 'readonly' : 'readwrite')
          // As useSync does: the wipe may have left the store without what the editor needs.
          integrity(store)?.ensureStoreIsUsable()
        })
        setState({ status: 'synced-remote', store, connectionStatus: online() })
        if (cacheKey && !stopWriting) stopWriting = keepCopyWritten(store, client, cacheKey, schema)
      },
      onCustomMessageReceived: (data) => onCustom.current(data),
      presence,
      presenceMode,
    })

    if (cacheKey && readInternals(client)) {
      void readBoardCache(cacheKey, schema).then((read) => {
        if (cancelled || connectedOnce || !read.ok) return
        if (!showCopy(store, read.records)) {
          void deleteBoardCache(cacheKey)
          return
        }
        setState({ status: 'cached', store })
      })
    }

    return () => {
      cancelled = true
      stopWriting?.()
      stopWatching()
      unsubscribeStatus()
      client.close()
      socket.close()
    }
  }, [connect, assets, users, cacheKey])

  return state
}

/**
 * Puts the cached records in the store as if the server had sent them (so the client sends
 * nothing for them). False when tldraw's validators refuse any of them: nothing is put then.
 */
function showCopy(store: TLStore, records: unknown[]): boolean {
  const valid: TLRecord[] = []
  try {
    for (const record of records) {
      valid.push(store.schema.validateRecord(store, record as TLRecord, 'initialize', null))
    }
  } catch {
    return false
  }
  // A copy without its document and page is not one the server confirmed.
  if (!valid.some((r) => r.typeName === 'document') || !valid.some((r) => r.typeName === 'page')) {
    return false
  }
  store.mergeRemoteChanges(() => store.put(valid))
  return true
}

/** The two fields of tldraw's client this module reads (see the header). */
interface ClientInternals {
  speculativeChanges: { added: object; updated: object; removed: object }
  isConnectedToRoom: boolean
}

function readInternals(client: unknown): ClientInternals | null {
  const c = client as Partial<ClientInternals> | null
  const s = c?.speculativeChanges
  if (typeof c?.isConnectedToRoom !== 'boolean' || !s) return null
  if (typeof s.added !== 'object' || typeof s.updated !== 'object') return null
  if (typeof s.removed !== 'object') return null
  return c as ClientInternals
}

/** The store's integrity check (tldraw-internal, as useSync uses it); null if not there. */
interface StoreIntegrity {
  ensureStoreIsUsable(): void
  isPossiblyCorrupted(): boolean
}

function integrity(store: TLStore): StoreIntegrity | null {
  const s = store as unknown as Partial<StoreIntegrity>
  return typeof s.ensureStoreIsUsable === 'function' && typeof s.isPossiblyCorrupted === 'function'
    ? (s as StoreIntegrity)
    : null
}

const isEmpty = (o: object) => Object.keys(o).length === 0

/** Nothing of this tab's is waiting for the server: the store is a state the server confirmed. */
function allConfirmed(store: TLStore, client: TLSyncClient<TLRecord, TLStore>): boolean {
  // The store tells its listeners (the client) of changes a frame late; tell them now.
  store._flushHistory()
  const internals = readInternals(client)
  if (!internals?.isConnectedToRoom || integrity(store)?.isPossiblyCorrupted() !== false) {
    return false
  }
  const pending = internals.speculativeChanges
  return isEmpty(pending.added) && isEmpty(pending.updated) && isEmpty(pending.removed)
}

/**
 * At the first connect, before the client rebases: a change made on the cached copy (nothing
 * should make one, it is read-only) is forgotten rather than pushed over the server's board.
 */
function dropLocalChanges(client: unknown) {
  const internals = readInternals(client)
  if (!internals) return
  const pending = internals.speculativeChanges
  if (isEmpty(pending.added) && isEmpty(pending.updated) && isEmpty(pending.removed)) return
  console.warn('A change made on the cached copy of the board was not sent.')
  internals.speculativeChanges = { added: {}, updated: {}, removed: {} }
}

/**
 * What became of a write of the copy, as a window event (for the browser tests and the
 * console): `waiting` while the server has not answered this tab's edits.
 */
export const BOARD_COPY_EVENT = 'switchback:board-copy'
function tell(outcome: 'written' | 'waiting' | 'failed') {
  window.dispatchEvent(new CustomEvent(BOARD_COPY_EVENT, { detail: outcome }))
}

/** Writes the copy after the document changes, on pagehide and at the end; returns the stop. */
function keepCopyWritten(
  store: TLStore,
  client: TLSyncClient<TLRecord, TLStore>,
  key: string,
  schema: string,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let dirty = true // the first sync: written once, which also marks the board as used
  let firstChange = Date.now()
  const write = () => {
    clearTimeout(timer)
    timer = undefined
    if (!dirty) return
    if (!allConfirmed(store, client)) {
      tell('waiting')
      timer = setTimeout(write, RETRY_MS)
      return
    }
    dirty = false
    void writeBoardCache(key, schema, Object.values(store.serialize('document'))).then((written) =>
      tell(written ? 'written' : 'failed'),
    )
  }
  const soon = () => {
    if (!dirty) firstChange = Date.now()
    dirty = true
    clearTimeout(timer)
    const latest = firstChange + WRITE_AT_LEAST_MS - Date.now()
    timer = setTimeout(write, Math.max(0, Math.min(WRITE_AFTER_MS, latest)))
  }
  // Leaving: `visibilitychange` comes early enough for the write to land, `pagehide` may not.
  const hidden = () => {
    if (document.visibilityState === 'hidden') write()
  }
  const stopListening = store.listen(soon, { scope: 'document' })
  window.addEventListener('pagehide', write)
  document.addEventListener('visibilitychange', hidden)
  soon()
  return () => {
    stopListening()
    window.removeEventListener('pagehide', write)
    document.removeEventListener('visibilitychange', hidden)
    write()
    clearTimeout(timer)
  }
}
