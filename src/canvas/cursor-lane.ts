/**
 * The browser's end of the cursor lane (docs: README "Cursors"). High-rate presence (cursor,
 * camera, screen bounds, last activity) leaves tldraw's presence, which the room fans out per
 * session and which shares tldraw's 30 fps push queue with document edits: this module sends it
 * as its own small frames on the same sync socket, at most every 50 ms, only when it changed and
 * only while someone else is here, and takes the server's ticks back into the local
 * `instance_presence` records, so tldraw's cursors, following and our reactions keep reading
 * presence as before.
 *
 * The laser: this tab's lasering goes up as a flag on its pointer, not as tldraw's presence
 * scribbles (which ride the slow, room-throttled presence); a receiver draws each laser as a
 * trail of the pointer positions it was sent, fading after `LASER_TRAIL_MS`, into the sender's
 * presence `scribbles`, where tldraw draws a collaborator's laser.
 *
 * The lane's latest entry per presence id is the source of truth for those four fields: a
 * presence record the room writes again (its copy has them null) gets them put back before it is
 * stored, and a record that appears after its first entry gets them when it is created.
 */
import * as syncCore from '@tldraw/sync-core'
import type { TLPersistentClientSocket } from '@tldraw/sync-core'
import {
  CameraRecordType,
  InstancePageStateRecordType,
  TLINSTANCE_ID,
  TLPOINTER_ID,
  atom,
  computed,
  isEqual,
  react,
  type Atom,
  type TLCursorType,
  type TLInstancePresence,
  type TLScribble,
  type TLPresenceStateInfo,
  type TLStore,
  type TLUser,
} from 'tldraw'
import { z } from 'zod'
import {
  CURSOR_TICK_MS,
  cursorModeSchema,
  cursorsTickSchema,
  type CursorMode,
  type CursorUplink,
} from '../protocol'

/** The crowd mode in the workshop view (src/protocol/facilitation.ts), all the lane reads of it. */
const crowdModeInView = z.looseObject({
  type: z.literal('state'),
  view: z.looseObject({ cursors: z.looseObject({ effective: cursorModeSchema }) }),
})

/** The least time between two `cursor` frames (the server ticks at the same pace). */
const UPLINK_MS = CURSOR_TICK_MS

/** How long a point of a received laser stays in its trail (tldraw's own laser lasts ~1 s). */
export const LASER_TRAIL_MS = 900
/** How often a received laser's trail is redrawn while it fades. */
const LASER_FRAME_MS = 33
/** The id of the scribble the lane draws a received laser as (beside the room's own). */
const LANE_LASER_ID = 'lane-laser'

// Exported at runtime but marked @internal, so the published typings leave it out (as useSync
// itself builds it).
const { ClientWebSocketAdapter } = syncCore as unknown as {
  ClientWebSocketAdapter: new (
    getUri: () => Promise<string> | string,
  ) => TLPersistentClientSocket & { close(): void }
}

type Socket = TLPersistentClientSocket & { close(): void }

/** The lane's word for one person: where their pointer is, and what they see. */
interface Entry {
  cursor: { x: number; y: number; type: TLCursorType; rotation: number } | null
  camera: { x: number; y: number; z: number } | null
  screenBounds: { x: number; y: number; w: number; h: number } | null
  /** Our own clock when their cursor last moved (tldraw fades idle cursors by it). */
  lastActivityTimestamp: number | null
  /** Their laser's trail, as tldraw draws a scribble (null: none). */
  laser: TLScribble | null
}

const EMPTY: Entry = {
  cursor: null,
  camera: null,
  screenBounds: null,
  lastActivityTimestamp: null,
  laser: null,
}

/** A received laser's points, newest last, with when each came. */
type Trail = { x: number; y: number; at: number }[]

export interface CursorLane {
  /** useSync's `connect`: tldraw's own socket adapter, with the lane's frames on it too. */
  connect(query: { sessionId: string; storeId: string }): TLPersistentClientSocket
  /** A custom message from the server: true when it was a tick (and so taken). */
  receive(data: unknown): boolean
  /** Starts sending this tab's cursor and keeping the presence records; returns the stop. */
  attach(store: TLStore): () => void
  /** Whether this person shows others' cursors (sent to the server as `cursor-view`). */
  readonly showCursors: Atom<boolean>
  setShowCursors(show: boolean): void
}

export interface CursorLaneOptions {
  /** The socket address, asked before every connection attempt (socket-url.ts). */
  uri: () => Promise<string>
  /** False for viewers and the headless exporter: they publish no cursor. */
  publish: boolean
  /** A facilitator's view goes to everyone in every crowd mode, so it is always sent. */
  facilitator: boolean
  /** Turns the lane off (the benchmark's peer with tldraw's own presence): nothing sent. */
  off?: boolean
  now?: () => number
}

export function createCursorLane(options: CursorLaneOptions): CursorLane {
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  const trails = new Map<string, Trail>()
  let trailTimer: ReturnType<typeof setTimeout> | null = null
  const showCursors = atom('show cursors', true)
  // Crowd mode in force for the board (the workshop view; a tick's own `mode` is what this
  // socket is sent, "none" once it hides cursors): while it hides participants' cursors, a
  // participant sends none.
  const effective = atom<CursorMode | null>('crowd mode', null)
  const unseen = computed(
    'cursor unseen',
    () => !options.facilitator && effective.get() !== null && effective.get() !== 'everyone',
  )
  let socket: Socket | null = null
  let store: TLStore | null = null
  // Set once the room's connect answer has arrived on this socket, cleared when it drops.
  let joined = false
  let lastSent: string | null = null
  let sendTimer: ReturnType<typeof setTimeout> | null = null
  let lastSentAt = -Infinity
  let frameNow: (() => string | null) | null = null

  const sendRaw = (frame: CursorUplink) => {
    // tldraw's adapter sends any JSON; the server takes these two types off before the room.
    if (socket && joined) socket.sendMessage(frame as never)
  }

  const flushUplink = () => {
    sendTimer = null
    const frame = frameNow?.() ?? null
    if (frame === null || frame === lastSent || !joined) return
    lastSent = frame
    lastSentAt = now()
    socket?.sendMessage(JSON.parse(frame) as never)
  }
  const scheduleUplink = () => {
    if (sendTimer !== null || !joined) return
    const wait = Math.max(0, lastSentAt + UPLINK_MS - now())
    sendTimer = setTimeout(flushUplink, wait)
  }

  /** Puts the lane's fields on every presence record it has an entry for. */
  const applyAll = (ids: Iterable<string>) => {
    const target = store
    if (!target) return
    const records: TLInstancePresence[] = []
    for (const id of ids) {
      const record = target.get(id as TLInstancePresence['id'])
      if (record?.typeName !== 'instance_presence') continue
      const next = overlay(record, entries.get(id) ?? EMPTY)
      if (next !== record) records.push(next)
    }
    if (records.length > 0) target.mergeRemoteChanges(() => target.put(records))
  }

  /** Drops the trails' old points and puts what is left on their presence records. */
  const fadeTrails = () => {
    trailTimer = null
    const oldest = now() - LASER_TRAIL_MS
    const touched: string[] = []
    for (const [id, trail] of trails) {
      const kept = trail.filter((point) => point.at >= oldest)
      if (kept.length === trail.length && kept.length > 0) continue
      if (kept.length === 0) trails.delete(id)
      else trails.set(id, kept)
      const entry = entries.get(id)
      if (entry) entries.set(id, { ...entry, laser: scribbleOf(trails.get(id)) })
      touched.push(id)
    }
    applyAll(touched)
    if (trails.size > 0) trailTimer = setTimeout(fadeTrails, LASER_FRAME_MS)
  }

  return {
    showCursors,
    connect({ sessionId, storeId }) {
      // As useSync does with a `uri`: the session and store ids ride on the address.
      const adapter = new ClientWebSocketAdapter(async () => {
        const url = new URL(await options.uri())
        url.searchParams.set('sessionId', sessionId)
        url.searchParams.set('storeId', storeId)
        return url.toString()
      })
      socket = adapter
      adapter.onReceiveMessage((message) => {
        if ((message as { type?: unknown }).type !== 'connect' || joined) return
        joined = true
        lastSent = null
        if (options.off) return
        if (!showCursors.get()) sendRaw({ type: 'cursor-view', show: false })
        scheduleUplink()
      })
      adapter.onStatusChange(({ status }) => {
        if (status === 'online') return
        joined = false
        lastSent = null
        // The room removes everyone's presence on a drop; the lane's word is stale too.
        entries.clear()
        trails.clear()
      })
      return adapter
    },
    receive(data) {
      // The tick is checked as it arrives: anything else is left to the other hearers.
      const state = crowdModeInView.safeParse(data)
      if (state.success) effective.set(state.data.view.cursors.effective)
      const parsed = cursorsTickSchema.safeParse(data)
      if (!parsed.success) return false
      const tick = parsed.data
      const touched = new Set<string>()
      if (tick.full) {
        for (const id of entries.keys()) touched.add(id)
        entries.clear()
      }
      for (const [id, cursor, view] of tick.moved) {
        const before = entries.get(id)
        if (cursor?.[4] === 1) {
          // A laser: the pointer's positions are its trail.
          const trail = trails.get(id) ?? []
          const last = trail.at(-1)
          if (!last || last.x !== cursor[0] || last.y !== cursor[1]) {
            trail.push({ x: cursor[0], y: cursor[1], at: now() })
          }
          trails.set(id, trail)
        }
        const next: Entry = {
          cursor: cursor && { x: cursor[0], y: cursor[1], type: cursor[2], rotation: cursor[3] },
          camera: view && { x: view[0], y: view[1], z: view[2] },
          screenBounds: view && { x: view[3], y: view[4], w: view[5], h: view[6] },
          lastActivityTimestamp: before?.lastActivityTimestamp ?? null,
          laser: scribbleOf(trails.get(id)),
        }
        if (next.cursor && !isEqual(next.cursor, before?.cursor)) {
          next.lastActivityTimestamp = now()
        }
        entries.set(id, next)
        touched.add(id)
      }
      for (const id of tick.gone) {
        entries.delete(id)
        trails.delete(id)
        touched.add(id)
      }
      applyAll(touched)
      if (trails.size > 0 && trailTimer === null) {
        trailTimer = setTimeout(fadeTrails, LASER_FRAME_MS)
      }
      return true
    },
    attach(target) {
      store = target
      const stops = [
        // The room's copy of presence holds none of the lane's fields: put ours back on every
        // record it writes, and on a record that arrives after its first entry.
        target.sideEffects.registerBeforeCreateHandler('instance_presence', (record, source) =>
          source === 'remote' ? overlay(record, entries.get(record.id) ?? EMPTY) : record,
        ),
        target.sideEffects.registerBeforeChangeHandler('instance_presence', (_, next, source) =>
          source === 'remote' ? overlay(next, entries.get(next.id) ?? EMPTY) : next,
        ),
      ]
      applyAll(entries.keys())
      if (options.publish && !options.off) {
        const frame = uplinkFrame(target, unseen)
        frameNow = () => frame.get()
        stops.push(
          react('cursor lane uplink', () => {
            const next = frame.get()
            if (next !== null && next !== lastSent) scheduleUplink()
          }),
        )
      }
      return () => {
        for (const stop of stops) stop()
        frameNow = null
        if (sendTimer !== null) clearTimeout(sendTimer)
        sendTimer = null
        if (trailTimer !== null) clearTimeout(trailTimer)
        trailTimer = null
        store = null
      }
    },
    setShowCursors(show) {
      if (show === showCursors.get()) return
      showCursors.set(show)
      if (!options.off) sendRaw({ type: 'cursor-view', show })
    },
  }
}

/** The record with the lane's fields, or the record itself when they are already there. */
function overlay(record: TLInstancePresence, entry: Entry): TLInstancePresence {
  const own = record.scribbles.filter((s) => s.id !== LANE_LASER_ID)
  const scribbles = entry.laser ? [...own, entry.laser] : own
  const { laser, ...fields } = entry
  if (
    isEqual(record.cursor, fields.cursor) &&
    isEqual(record.camera, fields.camera) &&
    isEqual(record.screenBounds, fields.screenBounds) &&
    record.lastActivityTimestamp === fields.lastActivityTimestamp &&
    (laser ? isEqual(record.scribbles, scribbles) : own.length === record.scribbles.length)
  ) {
    return record
  }
  return { ...record, ...fields, scribbles }
}

/** A received laser's trail as the scribble tldraw draws (as its laser tool makes them). */
function scribbleOf(trail: Trail | undefined): TLScribble | null {
  if (!trail || trail.length === 0) return null
  return {
    id: LANE_LASER_ID,
    points: trail.map(({ x, y }) => ({ x, y, z: 0.5 })),
    size: 4,
    color: 'laser',
    opacity: 0.7,
    state: 'active',
    delay: 0,
    shrink: 0,
    taper: false,
  }
}

/** Whether this tab is drawing with tldraw's laser now (a laser scribble being drawn). */
function lasering(scribbles: readonly TLScribble[]): boolean {
  return scribbles.some(
    (s) => s.color === 'laser' && (s.state === 'starting' || s.state === 'active'),
  )
}

/**
 * This tab's `cursor` frame as the JSON it is sent as, or null while nobody else is here (a
 * person alone sends nothing) or nobody may see it (crowd mode). Equal frames are the same string, so "changed" is a comparison.
 */
export function uplinkFrame(store: TLStore, unseen: { get(): boolean }) {
  const others = store.query.ids('instance_presence')
  return computed<string | null>('cursor lane frame', () => {
    if (others.get().size === 0 || unseen.get()) return null
    const instance = store.get(TLINSTANCE_ID)
    const pointer = store.get(TLPOINTER_ID)
    if (!instance || !pointer) return null
    const camera = store.get(CameraRecordType.createId(instance.currentPageId))
    const { x, y, w, h } = instance.screenBounds
    return JSON.stringify({
      type: 'cursor',
      cursor: {
        x: pointer.x,
        y: pointer.y,
        type: instance.cursor.type,
        rotation: instance.cursor.rotation,
      },
      camera: camera ? { x: camera.x, y: camera.y, z: camera.z } : null,
      screenBounds: { x, y, w, h },
      ...(lasering(instance.scribbles) ? { laser: true } : {}),
    })
  })
}

// The slow presence fields, one value per store, recomputed only when one of them changes: a
// pointer move, a pan or a hover (the instance record's cursor type) leaves it equal, so tldraw's
// presence reaction does not run and takes no slot in its push queue ahead of an edit.
const slowPresence = new WeakMap<TLStore, ReturnType<typeof slowFields>>()

function slowFields(store: TLStore) {
  return computed(
    'slow presence',
    () => {
      const instance = store.get(TLINSTANCE_ID)
      if (!instance) return null
      const pageState = store.get(InstancePageStateRecordType.createId(instance.currentPageId))
      if (!pageState) return null
      return {
        selectedShapeIds: pageState.selectedShapeIds,
        brush: instance.brush,
        // The laser goes on the lane (its flag on the pointer), not the room's slow presence.
        scribbles: instance.scribbles.filter((s) => s.color !== 'laser'),
        followingUserId: instance.followingUserId,
        currentPageId: instance.currentPageId,
        chatMessage: instance.chatMessage,
      }
    },
    { isEqual },
  )
}

/**
 * useSync's `getUserPresence` with the lane on: tldraw's default presence without the pointer,
 * camera, screen bounds and activity time, which the lane carries instead.
 */
export function lanePresence(store: TLStore, user: TLUser): TLPresenceStateInfo | null {
  let slow = slowPresence.get(store)
  if (!slow) {
    slow = slowFields(store)
    slowPresence.set(store, slow)
  }
  const fields = slow.get()
  if (!fields) return null
  return {
    ...fields,
    userId: user.id,
    userName: user.name,
    color: user.color || '#FF0000',
    cursor: null,
    camera: null,
    screenBounds: null,
    lastActivityTimestamp: null,
    meta: {},
  }
}
