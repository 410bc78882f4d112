/**
 * The cursor lane: high-rate presence (cursor, camera, screen bounds) on its own path beside
 * tldraw's sync, so moving a pointer costs the server one entry per tick instead of a presence
 * patch serialised for every other session (which grows with the square of the room).
 *
 * Uplink: a client sends `cursor` frames (at most one per `CURSOR_TICK_MS`, only when something
 * changed, only while someone else is present) and `cursor-view` (show others' cursors or not)
 * as JSON text frames on the sync socket; the server never hands them to tldraw's room.
 * Downlink: the server sends a `cursors` tick inside tldraw's `custom` message, so a vanilla
 * tldraw client ignores it. Entries are compact tuples: the same bytes go to hundreds of sockets.
 *
 * Crowd mode: the facilitator chooses whose cursors are sent (`CursorMode`); `auto` is everyone's
 * up to `ROOM_LIMITS.crowdCursorThreshold` editors present, and only the facilitators' above.
 *
 * The laser pointer: tldraw draws a collaborator's laser from the `scribbles` in their presence,
 * which rides tldraw's slow presence (at most `presencePerRoomPerSecond / editors` forwards a
 * second, half a forward a second at 200, where a laser fading in a second never shows). So a
 * laser rides the lane instead, as a flag on the pointer (`laser: true` up, a fifth element `1`
 * on the cursor tuple down): receivers draw the trail from the pointer positions they are sent,
 * a few bytes a tick. A facilitator's lasering pointer goes to everyone in every crowd mode.
 */
import { z } from 'zod'

/** One tick of the lane: entries that changed are coalesced and sent at most this often. */
export const CURSOR_TICK_MS = 50

/** Editors present above which `auto` shows only the facilitators' cursors. */
export const CROWD_CURSOR_THRESHOLD = 30

/** tldraw's cursor types (tlschema's `TL_CURSOR_TYPES`; a unit test keeps the two equal). */
export const CURSOR_TYPES = [
  'none',
  'default',
  'pointer',
  'cross',
  'comment',
  'grab',
  'rotate',
  'grabbing',
  'resize-edge',
  'resize-corner',
  'text',
  'move',
  'ew-resize',
  'ns-resize',
  'nesw-resize',
  'nwse-resize',
  'nesw-rotate',
  'nwse-rotate',
  'swne-rotate',
  'senw-rotate',
  'zoom-in',
  'zoom-out',
] as const
export type CursorType = (typeof CURSOR_TYPES)[number]

/** Coordinates are page or screen units: far past any real board, short of float trouble. */
export const MAX_CURSOR_COORD = 1e9
const coord = z.number().finite().min(-MAX_CURSOR_COORD).max(MAX_CURSOR_COORD)
const size = z.number().finite().min(0).max(MAX_CURSOR_COORD)

export const cursorPointSchema = z.strictObject({
  x: coord,
  y: coord,
  type: z.enum(CURSOR_TYPES),
  rotation: z.number().finite().min(-1000).max(1000),
})
export type CursorPoint = z.infer<typeof cursorPointSchema>

export const cursorCameraSchema = z.strictObject({
  x: coord,
  y: coord,
  z: z.number().finite().gt(0).max(1000),
})
export type CursorCamera = z.infer<typeof cursorCameraSchema>

export const cursorScreenBoundsSchema = z.strictObject({ x: coord, y: coord, w: size, h: size })
export type CursorScreenBounds = z.infer<typeof cursorScreenBoundsSchema>

/** Client -> server: this session's pointer and view now (null: none, e.g. the pointer left). */
export const cursorFrameSchema = z.strictObject({
  type: z.literal('cursor'),
  cursor: cursorPointSchema.nullable(),
  camera: cursorCameraSchema.nullable(),
  screenBounds: cursorScreenBoundsSchema.nullable(),
  /** The pointer is drawing with tldraw's laser now (absent: not). */
  laser: z.boolean().optional(),
})
export type CursorFrame = z.infer<typeof cursorFrameSchema>

/** Client -> server: whether this person sees others' cursors (default true). */
export const cursorViewFrameSchema = z.strictObject({
  type: z.literal('cursor-view'),
  show: z.boolean(),
})
export type CursorViewFrame = z.infer<typeof cursorViewFrameSchema>

export const cursorUplinkSchema = z.discriminatedUnion('type', [
  cursorFrameSchema,
  cursorViewFrameSchema,
])
export type CursorUplink = z.infer<typeof cursorUplinkSchema>
export const CURSOR_UPLINK_TYPES = ['cursor', 'cursor-view'] as const

/** What the facilitator may choose; `auto` decides by the number of editors present. */
export const cursorModeChoiceSchema = z.enum(['auto', 'everyone', 'facilitators', 'none'])
export type CursorModeChoice = z.infer<typeof cursorModeChoiceSchema>
/** What is in force: everyone's cursors, only the facilitators', or none. */
export const cursorModeSchema = z.enum(['everyone', 'facilitators', 'none'])
export type CursorMode = z.infer<typeof cursorModeSchema>

/** The workshop view's part about cursors (the people list shows it, the facilitator sets it). */
export const cursorsViewSchema = z.strictObject({
  chosen: cursorModeChoiceSchema,
  effective: cursorModeSchema,
  /** Editors present now (what `auto` counts). */
  editors: z.number().int().min(0),
})
export type CursorsView = z.infer<typeof cursorsViewSchema>

/** A cursor on the wire: [x, y, type, rotation], with a last `1` while it is a laser. */
export const cursorTupleSchema = z.tuple([
  coord,
  coord,
  z.enum(CURSOR_TYPES),
  z.number().finite(),
  z.literal(1).optional(),
])
export type CursorTuple = z.infer<typeof cursorTupleSchema>
/** A view on the wire: [camX, camY, camZ, sbX, sbY, sbW, sbH]. */
export const viewTupleSchema = z.tuple([coord, coord, z.number(), coord, coord, size, size])
export type ViewTuple = z.infer<typeof viewTupleSchema>

/**
 * Server -> client, inside `{"type":"custom","data":…}`. `full`: these are every entry this
 * socket may see (drop the rest); otherwise only those that changed. `moved` entries are
 * [presenceId, cursor|null, view|null]; `gone` lists presence ids whose cursor must disappear.
 */
export const cursorsTickSchema = z.strictObject({
  type: z.literal('cursors'),
  full: z.boolean(),
  mode: cursorModeSchema,
  moved: z.array(z.tuple([z.string(), cursorTupleSchema.nullable(), viewTupleSchema.nullable()])),
  gone: z.array(z.string()),
})
export type CursorsTick = z.infer<typeof cursorsTickSchema>
export type CursorEntryTuple = CursorsTick['moved'][number]
