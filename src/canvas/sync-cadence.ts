/**
 * Edits sooner, person to person, at the same server load. tldraw's sync client sends pushes
 * and applies the server's patches through one `FpsScheduler` (30 a second while others are
 * here, 1 when alone): each waits for the next animation frame even when the last flush was long
 * ago, so in a quiet room an edit waits a frame on the sender and another on the receiver before
 * the frame that draws it (most of the 60-70 ms the issue measured).
 *
 * This flushes the scheduler at the end of the current task instead, when its own interval has
 * already passed since the last flush; otherwise tldraw's cadence stands. So the sync client
 * still sends at most as often as it would (the server's load is unchanged: no more pushes a
 * second, the same batching of a burst), only without the wait for a frame when it was idle.
 *
 * The sender's store adds a frame of its own before that: it tells its listeners (the sync
 * client among them) of changes on the next frame. `sendEditsSoon` has it tell them at the end
 * of the task in which this person changed the document.
 *
 * The scheduler and the two throttled functions are tldraw internals (TLSyncClient's private
 * fields, read in @tldraw/sync-core 5.4): this is their one home in the client. When they are not
 * as expected, nothing is changed and tldraw's own cadence applies.
 */

interface Scheduler {
  lastFlushTime: number
  targetTimePerFrame: number
  frameRaf: number | undefined
  flushRaf: number | undefined
  flush(): void
}

interface Throttled {
  (): void
  cancel?(): void
}

interface ClientInternals {
  socket: unknown
  fpsScheduler: Scheduler
  sendUnsentChanges: Throttled
  scheduleRebase: Throttled
}

function isClient(value: unknown): value is ClientInternals {
  const c = value as Partial<ClientInternals> | null
  const s = c?.fpsScheduler as Partial<Scheduler> | undefined
  return (
    typeof c?.sendUnsentChanges === 'function' &&
    typeof c.scheduleRebase === 'function' &&
    typeof s?.flush === 'function' &&
    typeof s.lastFlushTime === 'number' &&
    typeof s.targetTimePerFrame === 'number'
  )
}

/**
 * Quickens the sync client that uses `socket` (tldraw leaves the newest one on `window.tlsync`
 * for its own debugging). Returns whether it did.
 */
export function quickenEdits(socket: unknown): boolean {
  const client = (window as unknown as { tlsync?: unknown }).tlsync
  if (!isClient(client) || client.socket !== socket) return false
  const scheduler = client.fpsScheduler
  let pending = false
  const flushSoon = () => {
    if (pending) return
    // tldraw's own interval (30 fps, or 1 when alone) still bounds how often anything is sent.
    if (Date.now() - scheduler.lastFlushTime < scheduler.targetTimePerFrame) return
    pending = true
    queueMicrotask(() => {
      pending = false
      if (Date.now() - scheduler.lastFlushTime < scheduler.targetTimePerFrame) return
      // The frame tldraw asked for is no longer needed: what it would flush goes now.
      if (scheduler.frameRaf !== undefined) cancelAnimationFrame(scheduler.frameRaf)
      if (scheduler.flushRaf !== undefined) cancelAnimationFrame(scheduler.flushRaf)
      scheduler.frameRaf = undefined
      scheduler.flushRaf = undefined
      scheduler.lastFlushTime = Date.now()
      scheduler.flush()
    })
  }
  const quicken = (throttled: Throttled): Throttled =>
    Object.assign(
      () => {
        throttled()
        flushSoon()
      },
      { cancel: throttled.cancel },
    )
  client.sendUnsentChanges = quicken(client.sendUnsentChanges)
  client.scheduleRebase = quicken(client.scheduleRebase)
  return true
}

/** The slice of tldraw's store this needs (`_flushHistory` is public, for the sync client). */
interface FlushableStore {
  scopedTypes: { document: ReadonlySet<string> }
  sideEffects: {
    registerAfterCreateHandler(
      type: never,
      handler: (record: unknown, source: string) => void,
    ): () => void
    registerAfterChangeHandler(
      type: never,
      handler: (prev: unknown, next: unknown, source: string) => void,
    ): () => void
    registerAfterDeleteHandler(
      type: never,
      handler: (record: unknown, source: string) => void,
    ): () => void
  }
  _flushHistory(): void
}

/**
 * Tells the store's listeners of this person's document changes at the end of the task (not
 * the next frame), so the sync client pushes them at once. Returns the stop.
 */
export function sendEditsSoon(store: FlushableStore): () => void {
  let pending = false
  const soon = (source: string) => {
    if (source !== 'user' || pending) return
    pending = true
    queueMicrotask(() => {
      pending = false
      store._flushHistory()
    })
  }
  const stops = [...store.scopedTypes.document].flatMap((type) => [
    store.sideEffects.registerAfterCreateHandler(type as never, (_, source) => soon(source)),
    store.sideEffects.registerAfterChangeHandler(type as never, (_, __, source) => soon(source)),
    store.sideEffects.registerAfterDeleteHandler(type as never, (_, source) => soon(source)),
  ])
  return () => stops.forEach((stop) => stop())
}
