/**
 * The browser's end of the cursor lane (src/canvas/cursor-lane.ts) on a bare tldraw store: ticks
 * land in the presence records, the lane's word wins when the room writes a record again or a
 * record comes after its entry, `gone` and `full` clear, and this tab's own presence for tldraw
 * carries none of the lane's fields.
 */
import { describe, expect, it, vi } from 'vitest'
import { Store } from '@tldraw/store'
import { atom, computed, react } from '@tldraw/state'
import {
  InstancePresenceRecordType,
  TLINSTANCE_ID,
  TLPOINTER_ID,
  UserRecordType,
  createTLSchema,
  type TLInstancePresence,
  type TLStore,
  type TLStoreProps,
} from '@tldraw/tlschema'
import {
  LASER_TRAIL_MS,
  createCursorLane,
  lanePresence,
  uplinkFrame,
} from '../../src/canvas/cursor-lane'

const storeProps: TLStoreProps = {
  defaultName: '',
  assets: { upload: async () => ({ src: '' }), resolve: () => null, remove: async () => {} },
  users: { currentUser: atom('currentUser', null), resolve: () => atom('user', null) },
  onMount: () => {},
}

function setup() {
  const store: TLStore = new Store({ schema: createTLSchema(), props: storeProps })
  let clock = 1000
  const lane = createCursorLane({
    uri: async () => 'ws://x',
    publish: false,
    facilitator: false,
    now: () => clock,
  })
  lane.attach(store)
  return { store, lane, tick: (ms: number) => (clock += ms) }
}

const PIA = 'instance_presence:pia'
/** The room's copy of a presence: slow fields only. */
const roomPresence = (name = 'Pia') =>
  InstancePresenceRecordType.create({
    id: PIA as TLInstancePresence['id'],
    userId: 'user:pia' as never,
    userName: name,
    currentPageId: 'page:page' as never,
    cursor: null,
    camera: null,
    screenBounds: null,
    lastActivityTimestamp: null,
  })
const fromRoom = (store: TLStore, record: TLInstancePresence) =>
  store.mergeRemoteChanges(() => store.put([record]))

const tick = (moved: unknown[], gone: string[] = [], full = false) => ({
  type: 'cursors',
  full,
  mode: 'everyone',
  moved,
  gone,
})

describe('the cursor lane in the browser', () => {
  it('puts a tick on the presence record, with activity from our own clock', () => {
    const { store, lane } = setup()
    fromRoom(store, roomPresence())
    expect(lane.receive(tick([[PIA, [10, 20, 'pointer', 0], [1, 2, 1, 0, 0, 800, 600]]]))).toBe(
      true,
    )
    const record = store.get(PIA as TLInstancePresence['id'])!
    expect(record.cursor).toEqual({ x: 10, y: 20, type: 'pointer', rotation: 0 })
    expect(record.camera).toEqual({ x: 1, y: 2, z: 1 })
    expect(record.screenBounds).toEqual({ x: 0, y: 0, w: 800, h: 600 })
    expect(record.lastActivityTimestamp).toBe(1000)
  })

  it('keeps its word when the room writes the record again, or sends it after the entry', () => {
    const { store, lane } = setup()
    lane.receive(tick([[PIA, [10, 20, 'default', 0], null]]))
    // The record comes after its first entry: created with the lane's fields.
    fromRoom(store, roomPresence())
    expect(store.get(PIA as TLInstancePresence['id'])!.cursor?.x).toBe(10)
    // The room rewrites it (a new name) with its nulls: the cursor stays.
    fromRoom(store, roomPresence('Pia B'))
    const record = store.get(PIA as TLInstancePresence['id'])!
    expect(record.userName).toBe('Pia B')
    expect(record.cursor).toEqual({ x: 10, y: 20, type: 'default', rotation: 0 })
  })

  it('moves activity only when the cursor moves; gone and full clear', () => {
    const { store, lane, tick: later } = setup()
    fromRoom(store, roomPresence())
    lane.receive(tick([[PIA, [10, 20, 'default', 0], [0, 0, 1, 0, 0, 10, 10]]]))
    later(500)
    lane.receive(tick([[PIA, [10, 20, 'default', 0], [5, 5, 1, 0, 0, 10, 10]]]))
    expect(store.get(PIA as TLInstancePresence['id'])!.lastActivityTimestamp).toBe(1000)
    lane.receive(tick([], [PIA]))
    expect(store.get(PIA as TLInstancePresence['id'])!.cursor).toBeNull()
    expect(store.get(PIA as TLInstancePresence['id'])!.camera).toBeNull()
    lane.receive(tick([[PIA, [1, 1, 'default', 0], null]]))
    lane.receive(tick([], [], true))
    expect(store.get(PIA as TLInstancePresence['id'])!.cursor).toBeNull()
  })

  it('leaves anything that is not a tick to the other hearers', () => {
    const { lane } = setup()
    expect(lane.receive({ type: 'roles', you: 'participant', roles: {} })).toBe(false)
    expect(lane.receive(tick([[PIA, [Infinity, 0, 'default', 0], null]]))).toBe(false)
    expect(lane.receive(tick([[PIA, [0, 0, 'not-a-cursor', 0], null]]))).toBe(false)
  })

  it("this tab's presence for tldraw has none of the lane's fields, and a pointer move leaves it be", () => {
    const { store } = setup()
    // Makes the instance, page state, camera and pointer records a new editor would.
    ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
    const user = UserRecordType.create({ id: 'user:me' as never, name: 'Me', color: '#123456' })
    const presence = computed('presence', () => lanePresence(store, user))
    let runs = 0
    const stop = react('count', () => {
      presence.get()
      runs++
    })
    const now = presence.get()!
    expect(now.cursor).toBeNull()
    expect(now.camera).toBeNull()
    expect(now.screenBounds).toBeNull()
    expect(now.lastActivityTimestamp).toBeNull()
    expect(now.userName).toBe('Me')
    const pointer = store.get(TLPOINTER_ID)!
    store.put([{ ...pointer, x: 50, y: 60, lastActivityTimestamp: 5 }])
    expect(runs).toBe(1)
    stop()
  })

  it('sends a cursor only while someone else is here and someone may see it', () => {
    const { store } = setup()
    ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
    const unseen = atom('unseen', false)
    const frame = uplinkFrame(store, unseen)
    expect(frame.get()).toBeNull()
    fromRoom(store, roomPresence())
    expect(JSON.parse(frame.get()!)).toMatchObject({ type: 'cursor', cursor: { type: 'default' } })
    // Crowd mode hides participants' cursors: nothing to send, and so nothing is.
    unseen.set(true)
    expect(frame.get()).toBeNull()
  })

  it('draws a received laser as a trail of the pointer’s positions, which fades', () => {
    vi.useFakeTimers()
    try {
      const { store, lane, tick: later } = setup()
      fromRoom(store, roomPresence())
      const laser = (x: number) => [PIA, [x, 20, 'cross', 0, 1], null]
      lane.receive(tick([laser(10)]))
      later(50)
      lane.receive(tick([laser(30)]))
      const scribbles = () => store.get(PIA as TLInstancePresence['id'])!.scribbles
      expect(scribbles()).toHaveLength(1)
      expect(scribbles()[0]).toMatchObject({ color: 'laser', points: [{ x: 10 }, { x: 30 }] })
      // The room writes the record again (its copy has no laser): the trail stays.
      fromRoom(store, roomPresence('Pia B'))
      expect(scribbles()[0]?.points).toHaveLength(2)
      // The laser off (a pointer without the flag): no new points; the old ones fade.
      lane.receive(tick([[PIA, [40, 20, 'default', 0], null]]))
      expect(scribbles()[0]?.points).toHaveLength(2)
      later(LASER_TRAIL_MS + 10)
      vi.advanceTimersByTime(100)
      expect(scribbles()).toEqual([])
    } finally {
      vi.useRealTimers()
    }
  })

  it('flags this tab’s laser on the pointer, and keeps it out of tldraw’s presence', () => {
    const { store } = setup()
    ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
    fromRoom(store, roomPresence())
    const frame = uplinkFrame(store, atom('unseen', false))
    expect(JSON.parse(frame.get()!).laser).toBeUndefined()
    const instance = store.get(TLINSTANCE_ID)!
    const scribble = {
      id: 'mine',
      points: [{ x: 1, y: 2, z: 0.5 }],
      size: 4,
      color: 'laser' as const,
      opacity: 0.7,
      state: 'active' as const,
      delay: 0,
      shrink: 0,
      taper: false,
    }
    store.put([{ ...instance, scribbles: [scribble] }])
    expect(JSON.parse(frame.get()!).laser).toBe(true)
    const user = UserRecordType.create({ id: 'user:me' as never, name: 'Me', color: '#123456' })
    expect(lanePresence(store, user)?.scribbles).toEqual([])
    // Done drawing (the trail fading on this screen): no longer a laser on the wire.
    store.put([{ ...instance, scribbles: [{ ...scribble, state: 'complete' }] }])
    expect(JSON.parse(frame.get()!).laser).toBeUndefined()
  })
})
