/**
 * A headless tldraw sync client for Node: the same `TLSyncClient` + `ClientWebSocketAdapter` a
 * browser tab runs, on a bare tldraw store (no editor, no DOM).
 */
import { atom } from '@tldraw/state'
import { Store } from '@tldraw/store'
import * as syncCore from '@tldraw/sync-core'
import { TLSyncClient, type TLPersistentClientSocket } from '@tldraw/sync-core'
import { createTLSchema, type TLRecord, type TLStore, type TLStoreProps } from '@tldraw/tlschema'
import { setMaxListeners } from 'node:events'
import { WebSocket as NodeWebSocket } from 'ws'

export interface HeadlessClient {
  store: TLStore
  /**
   * Calls `listener` with every message from the server, as it arrives (before the client
   * applies it). Returns the function that stops listening.
   */
  onServerMessage(listener: (message: ServerMessage) => void): () => void
  /** How many times the socket dropped and the client joined again (0 in a clean run). */
  reconnects(): number
  close(): void
}

/** The parts of tldraw's (internal) server message type that the benchmarks look at. */
export interface ServerMessage {
  type: string
  /** `push_result` */
  action?: unknown
  /** `data`: a batch of `patch` and `push_result` messages. */
  data?: ServerMessage[]
}

// Exported at runtime, but marked @internal, so the published typings leave it out.
const { ClientWebSocketAdapter } = syncCore as unknown as {
  ClientWebSocketAdapter: new (getUri: () => string) => TLPersistentClientSocket & { close(): void }
}

const schema = createTLSchema()

/** What `createTLStore` would fill in; nothing here uses assets or users. */
const storeProps: TLStoreProps = {
  defaultName: '',
  assets: { upload: async () => ({ src: '' }), resolve: () => null, remove: async () => {} },
  users: { currentUser: atom('currentUser', null), resolve: () => atom('user', null) },
  onMount: () => {},
}

let shimsInstalled = false

/**
 * The browser globals the client touches. `ClientWebSocketAdapter` builds `new WebSocket(url)`
 * and listens to `window` online/offline and `document` visibility events; the store's new
 * instance record reads `window.devicePixelRatio`; client and store schedule work with
 * `requestAnimationFrame`. Installed lazily, after all imports, so no library mistakes Node for a
 * browser at load time.
 */
function installBrowserShims() {
  if (shimsInstalled) return
  shimsInstalled = true
  const g = globalThis as Record<string, unknown>
  g.WebSocket = NodeWebSocket
  // As in a browser, `window` is the global object (so `window.setTimeout` etc. exist).
  const events = new EventTarget()
  const documentEvents = new EventTarget()
  // Every client listens to these; 100 listeners is expected, not a leak.
  setMaxListeners(0, events, documentEvents)
  g.addEventListener ??= events.addEventListener.bind(events)
  g.removeEventListener ??= events.removeEventListener.bind(events)
  g.devicePixelRatio ??= 1
  g.window ??= globalThis
  g.document ??= Object.assign(documentEvents, { hidden: false })
  g.navigator ??= {}
  // "Next frame" = next macrotask: no 16 ms vsync wait, so the bench measures network and server,
  // not frame pacing. tldraw's own 30 fps send/receive throttle still applies (see sync.ts).
  g.requestAnimationFrame = (cb: (time: number) => void) =>
    setTimeout(() => cb(performance.now()), 0)
  g.cancelAnimationFrame = (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)
}

/**
 * Connects to `uri` and resolves once the client has joined the room and its store holds the
 * server's document. Rejects on a sync error, a read-only session, or after `timeoutMs`.
 */
export function connectClient(uri: string, timeoutMs = 20_000): Promise<HeadlessClient> {
  installBrowserShims()
  const store: TLStore = new Store({ schema, props: storeProps })
  const socket = new ClientWebSocketAdapter(() => uri)
  let client: TLSyncClient<TLRecord, TLStore> | undefined
  let joins = 0
  const close = () => {
    client?.close()
    socket.close()
    store.dispose()
  }

  return new Promise<HeadlessClient>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer)
      close()
      reject(new Error(`${uri.replace(/([?&][kf]=)[^&]+/, '$1…')}: ${reason}`))
    }
    const timer = setTimeout(() => fail(`not connected after ${timeoutMs} ms`), timeoutMs)
    client = new TLSyncClient<TLRecord, TLStore>({
      store,
      socket,
      presence: atom('presence', null),
      onLoad: () => {},
      onSyncError: (reason) => fail(`sync error ${reason}`),
      onAfterConnect: (_, { isReadonly }) => {
        joins++
        if (isReadonly) return fail('the server made this session read-only')
        clearTimeout(timer)
        resolve({
          store,
          onServerMessage: (listener) =>
            socket.onReceiveMessage((message) => listener(message as ServerMessage)),
          reconnects: () => joins - 1,
          close,
        })
      },
    })
  })
}
