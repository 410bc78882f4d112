/**
 * Tidy, Sort by, Stack duplicates and Group by theme as editor operations: thin over the pure
 * layout (layout.ts) and text (text.ts) modules. Each reads what it covers (the selected
 * stickies, or those in the selected frame or zone, or in the one holding the selection),
 * leaves in place what this person may not move (locked, background, frozen or decided
 * stickies, and for a participant what a frozen frame holds: the server would refuse those
 * anyway, so they are skipped and counted, never sent), and writes everything in one undo
 * step that syncs like any edit. It returns what to tell the person; the caller toasts it.
 */
import type { Editor, TLShape, TLShapeId, TLShapePartial } from 'tldraw'
import type { Box } from '../board/geometry'
import { readOutcomeMark } from '../board/outcome-marks'
import { plainRichText } from '../board/rich-text'
import {
  META_KEY,
  isBackground,
  isFrozen,
  noteAuthor,
  noteStack,
  readShapeMeta,
} from '../board/shape-meta'
import { stacksOf } from '../board/stacks'
import { frozenFrameOf, frozenFrames } from '../canvas/freeze'
import type { Role } from '../protocol'
import {
  GAP,
  HEADER_H,
  cellOf,
  extentOf,
  freeSpotBelow,
  gridCells,
  innerArea,
  overlaps,
  shifted,
  themeColumns,
  type Point,
} from './layout'
import { duplicateSets, themes } from './text'

export type SortKey = 'votes' | 'colour' | 'author' | 'text'

export const SORT_LABELS: Record<SortKey, string> = {
  votes: 'Votes',
  colour: 'Colour',
  author: 'Author',
  text: 'Text',
}

/** What the operation needs besides the editor (from the canvas handle). */
export interface ArrangeContext {
  editor: Editor
  role: Role
  /** A sticky's text, plain. */
  noteText(shape: TLShape): string
  /** The vote counts on show, by sticky id. */
  votes(): Readonly<Record<string, number>>
}

export interface ArrangeResult {
  /** "Grouped 42 stickies into 6 themes"; `ok` false when nothing was done. */
  message: string
  /** "3 locked stickies left in place", if any. */
  detail?: string
  ok: boolean
}

/** A frame or a zone: where stickies are laid out. */
interface Container {
  shape: TLShape
  bounds: Box
  /** The room its label takes at the top (a zone's name is written inside it). */
  top: number
}

/** Stickies that move together: a stack (its top first), or one sticky. */
interface Unit {
  ids: TLShapeId[]
  top: TLShape
  bounds: Box
}

type HeldReason = 'locked' | 'frozen' | 'decided'

const COLOUR_ORDER = [
  'yellow',
  'orange',
  'red',
  'light-red',
  'violet',
  'light-violet',
  'blue',
  'light-blue',
  'green',
  'light-green',
  'grey',
  'black',
  'white',
]

/** Whether this role may arrange at all: anyone who can edit. */
export function mayArrange(role: Role): boolean {
  return role !== 'viewer'
}

/** Why this person may not move the sticky, or null when they may. */
function heldReason(ctx: ArrangeContext, shape: TLShape, frozenIds: string[]): HeldReason | null {
  const { editor, role } = ctx
  if (isBackground(shape)) return 'locked'
  if (isFrozen(shape)) return 'frozen'
  if (readOutcomeMark(shape)?.kind === 'decision') return 'decided'
  // Before the lock: a participant's editor shows what a frozen frame holds as locked.
  if (role !== 'facilitator' && frozenFrameOf(editor, shape, frozenIds) !== null) return 'frozen'
  if (editor.isShapeOrAncestorLocked(shape)) return 'locked'
  return null
}

function pageBounds(editor: Editor, shape: TLShape): Box | null {
  const b = editor.getShapePageBounds(shape)
  return b ? { x: b.x, y: b.y, w: b.w, h: b.h } : null
}

function centre(box: Box): Point {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 }
}

function inside(box: Box, p: Point) {
  return p.x >= box.x && p.x <= box.x + box.w && p.y >= box.y && p.y <= box.y + box.h
}

function containersOf(editor: Editor): Container[] {
  return editor.getCurrentPageShapesSorted().flatMap((shape): Container[] => {
    // A zone: a rectangle with a zone rule, or any of a template's background shapes.
    const zone = shape.type === 'geo' && (readShapeMeta(shape).zone || isBackground(shape))
    if (shape.type !== 'frame' && !zone) return []
    const bounds = pageBounds(editor, shape)
    return bounds ? [{ shape, bounds, top: zone ? 40 : 0 }] : []
  })
}

/** The smallest container whose box holds the point. */
function smallestAround(containers: Container[], point: Point): Container | null {
  let best: Container | null = null
  for (const c of containers) {
    if (!inside(c.bounds, point)) continue
    if (!best || c.bounds.w * c.bounds.h < best.bounds.w * best.bounds.h) best = c
  }
  return best
}

function isSticky(shape: TLShape) {
  return shape.type === 'note' && !isBackground(shape)
}

/**
 * What the selection covers: its stickies, else the stickies in the one frame or zone
 * selected, else those in the smallest frame or zone around the selection. With it, the
 * container the whole set lies in (or null).
 */
function scopeOf(editor: Editor, containers: Container[]) {
  const selected = editor.getSelectedShapes()
  const stickies = selected.filter(isSticky)
  const notes = editor.getCurrentPageShapes().filter(isSticky)
  const within = (c: Container) =>
    notes.filter((n) => {
      const b = pageBounds(editor, n)
      return b !== null && inside(c.bounds, centre(b))
    })
  if (stickies.length > 0) {
    const bounds = editor.getSelectionPageBounds()
    const around = bounds ? smallestAround(containers, bounds.center) : null
    return { stickies, container: around, picked: false }
  }
  const picked =
    selected.length === 1 ? containers.find((c) => c.shape.id === selected[0].id) : null
  if (picked) return { stickies: within(picked), container: picked, picked: true }
  const bounds = editor.getSelectionPageBounds()
  const around = bounds ? smallestAround(containers, bounds.center) : null
  return { stickies: around ? within(around) : [], container: around, picked: false }
}

interface Prepared {
  units: Unit[]
  held: Map<HeldReason, number>
  /** The ids in units, and those left in place (obstacles to step around). */
  moving: Set<string>
  heldBoxes: Box[]
  container: Container | null
  /** Whether a frame or zone was selected (its nested zones then keep their own stickies). */
  picked: boolean
  containers: Container[]
  frozenBoxes: Box[]
}

/** The movable units in scope (a stack with its counted members as one), and what is held. */
function prepare(ctx: ArrangeContext): Prepared | null {
  const { editor } = ctx
  const containers = containersOf(editor)
  const { stickies, container, picked } = scopeOf(editor, containers)
  if (stickies.length === 0) return null
  const frozenIds = frozenFrames(editor)()
  const notes = editor.getCurrentPageShapes().filter((s) => s.type === 'note')
  const stacks = stacksOf(
    notes.flatMap((n) => {
      const bounds = pageBounds(editor, n)
      return bounds ? [{ id: n.id, stack: noteStack(n), index: n.index, bounds }] : []
    }),
  )
  const topOf = new Map<string, string>()
  for (const [top, ids] of stacks) for (const id of ids) topOf.set(id, top)
  const seen = new Set<string>()
  const units: Unit[] = []
  const held = new Map<HeldReason, number>()
  const heldBoxes: Box[] = []
  const moving = new Set<string>()
  for (const sticky of stickies) {
    const topId = topOf.get(sticky.id) ?? sticky.id
    if (seen.has(topId)) continue
    seen.add(topId)
    const ids = (stacks.get(topId) ?? [topId]) as TLShapeId[]
    const shapes = ids.map((id) => editor.getShape(id)).filter((s): s is TLShape => !!s)
    const reasons = shapes.map((s) => heldReason(ctx, s, frozenIds)).filter((r) => r !== null)
    const boxes = shapes.map((s) => pageBounds(editor, s)).filter((b): b is Box => !!b)
    if (reasons.length > 0 || boxes.length === 0) {
      const reason = reasons[0] ?? 'locked'
      held.set(reason, (held.get(reason) ?? 0) + shapes.length)
      heldBoxes.push(...boxes)
      continue
    }
    for (const id of ids) moving.add(id)
    units.push({ ids, top: shapes[0], bounds: union(boxes) })
  }
  const frozenBoxes =
    ctx.role === 'facilitator'
      ? []
      : frozenIds.flatMap((id) => {
          const frame = editor.getShape(id as TLShapeId)
          const b = frame ? pageBounds(editor, frame) : null
          return b ? [b] : []
        })
  return { units, held, moving, heldBoxes, container, picked, containers, frozenBoxes }
}

function union(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x))
  const y = Math.min(...boxes.map((b) => b.y))
  const r = Math.max(...boxes.map((b) => b.x + b.w))
  const btm = Math.max(...boxes.map((b) => b.y + b.h))
  return { x, y, w: r - x, h: btm - y }
}

/** What stays put in an area that the grid must step around. */
function obstaclesIn(ctx: ArrangeContext, p: Prepared, area: Box, container: Container | null) {
  const { editor } = ctx
  const own = container?.bounds
  // A participant's sticky would be refused in a frozen frame: keep out of any but its own.
  const boxes: Box[] = p.frozenBoxes.filter(
    (b) => !own || b.x !== own.x || b.y !== own.y || b.w !== own.w || b.h !== own.h,
  )
  for (const shape of editor.getCurrentPageShapes()) {
    if (p.moving.has(shape.id) || shape.id === container?.shape.id) continue
    const b = pageBounds(editor, shape)
    if (!b || !overlaps(b, area)) continue
    const isContainer = p.containers.some((c) => c.shape.id === shape.id)
    // Stickies and text left in place, and frames or zones nested inside this one.
    if (
      shape.type === 'note' ||
      shape.type === 'text' ||
      (isContainer && container && b.w * b.h < container.bounds.w * container.bounds.h)
    ) {
      boxes.push(b)
    }
  }
  return boxes
}

/** Moves each unit so its box's top-left lands on the point (one translation for a stack). */
function moveUnits(editor: Editor, moves: { unit: Unit; to: Point }[], toPage = false) {
  const updates: TLShapePartial[] = []
  if (toPage) {
    // Laid beside their frame: out of it, or the frame would clip them.
    const ids = moves.flatMap((m) => m.unit.ids)
    const nested = ids.filter((id) => editor.getShape(id)?.parentId !== editor.getCurrentPageId())
    if (nested.length > 0) editor.reparentShapes(nested, editor.getCurrentPageId())
  }
  for (const { unit, to } of moves) {
    const dx = to.x - unit.bounds.x
    const dy = to.y - unit.bounds.y
    if (Math.abs(dx) < 0.01 && Math.abs(dy) < 0.01) continue
    for (const id of unit.ids) {
      const shape = editor.getShape(id)
      if (!shape) continue
      const origin = editor.getShapePageTransform(shape).applyToPoint({ x: 0, y: 0 })
      const local = editor.getPointInParentSpace(shape, { x: origin.x + dx, y: origin.y + dy })
      updates.push({ id, type: shape.type, x: local.x, y: local.y })
    }
  }
  if (updates.length > 0) editor.updateShapes(updates)
}

/** Reading order: rows from the top (a row is within half a sticky's height), left to right. */
function readingOrder(units: Unit[]): Unit[] {
  const byY = [...units].sort((a, b) => a.bounds.y - b.bounds.y || a.bounds.x - b.bounds.x)
  const rows: Unit[][] = []
  for (const unit of byY) {
    const row = rows.at(-1)
    if (row && unit.bounds.y - row[0].bounds.y < row[0].bounds.h / 2) row.push(unit)
    else rows.push([unit])
  }
  return rows.flatMap((row) => row.sort((a, b) => a.bounds.x - b.bounds.x))
}

/**
 * Lays the units in a grid, in the order given: all in the container around the selection;
 * with a frame or zone selected, each in the smallest one around it within that one (so a
 * zone in a selected frame keeps its stickies; one lying outside goes to the selected one).
 */
function layInGrids(ctx: ArrangeContext, p: Prepared, order: (units: Unit[]) => Unit[]) {
  const groups = new Map<string, { container: Container | null; units: Unit[] }>()
  const outer = p.container
  const nested = outer
    ? p.containers.filter((c) => c === outer || inside(outer.bounds, centre(c.bounds)))
    : []
  for (const unit of p.units) {
    const c = p.picked ? (smallestAround(nested, centre(unit.bounds)) ?? outer) : outer
    const key = c?.shape.id ?? ''
    const group = groups.get(key) ?? { container: c, units: [] }
    group.units.push(unit)
    groups.set(key, group)
  }
  const moves: { unit: Unit; to: Point }[] = []
  for (const { container, units } of groups.values()) {
    const ordered = order(units)
    const cell = cellOf(units.map((u) => u.bounds))
    let area: Box
    if (container) area = innerArea(container.bounds, container.top)
    else {
      // Loose on the page: a squarish grid from where the set begins.
      const all = union(units.map((u) => u.bounds))
      const columns = Math.ceil(Math.sqrt(units.length))
      area = { x: all.x, y: all.y, w: columns * (cell.w + GAP) - GAP, h: Infinity }
    }
    const cells = gridCells(area, cell, ordered.length, obstaclesIn(ctx, p, area, container))
    ordered.forEach((unit, i) => cells[i] && moves.push({ unit, to: cells[i] }))
  }
  ctx.editor.markHistoryStoppingPoint('arrange')
  ctx.editor.run(() => moveUnits(ctx.editor, moves))
  return moves.length
}

function stickyCount(units: Unit[]) {
  return units.reduce((n, u) => n + u.ids.length, 0)
}

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`
}

/** "3 locked stickies and 1 decided sticky left in place". */
function heldDetail(held: Map<HeldReason, number>): string | undefined {
  const parts = (['locked', 'frozen', 'decided'] as const).flatMap((reason) => {
    const n = held.get(reason) ?? 0
    return n > 0 ? [`${n} ${reason} ${n === 1 ? 'sticky' : 'stickies'}`] : []
  })
  return parts.length > 0 ? `${parts.join(' and ')} left in place` : undefined
}

const NOTHING: ArrangeResult = {
  ok: false,
  message: 'Select stickies, a frame or a zone first',
}

function nothingToMove(p: Prepared): ArrangeResult {
  return { ok: false, message: 'Nothing here can be moved', detail: heldDetail(p.held) }
}

export function tidy(ctx: ArrangeContext): ArrangeResult {
  const p = prepare(ctx)
  if (!p) return NOTHING
  if (p.units.length === 0) return nothingToMove(p)
  layInGrids(ctx, p, readingOrder)
  const n = stickyCount(p.units)
  return {
    ok: true,
    message: `Tidied ${plural(n, 'sticky', 'stickies')}`,
    detail: heldDetail(p.held),
  }
}

export function sortBy(ctx: ArrangeContext, key: SortKey): ArrangeResult {
  const p = prepare(ctx)
  if (!p) return NOTHING
  if (p.units.length === 0) return nothingToMove(p)
  const votes = ctx.votes()
  const count = (u: Unit) => u.ids.reduce((n, id) => n + (votes[id] ?? 0), 0)
  const colour = (u: Unit) => {
    const i = COLOUR_ORDER.indexOf((u.top.props as { color?: string }).color ?? '')
    return i < 0 ? COLOUR_ORDER.length : i
  }
  const text = (u: Unit) => ctx.noteText(u.top).toLocaleLowerCase()
  const compare = (a: Unit, b: Unit): number => {
    if (key === 'votes') return count(b) - count(a)
    if (key === 'colour') return colour(a) - colour(b)
    if (key === 'author') {
      const [x, y] = [noteAuthor(a.top), noteAuthor(b.top)]
      // Stickies with no author go last.
      if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0)
      return x.localeCompare(y)
    }
    return text(a).localeCompare(text(b))
  }
  // A stable sort over reading order: ties keep their places.
  layInGrids(ctx, p, (units) => readingOrder(units).sort(compare))
  const n = stickyCount(p.units)
  return {
    ok: true,
    message: `Sorted ${plural(n, 'sticky', 'stickies')} by ${SORT_LABELS[key].toLowerCase()}`,
    detail: heldDetail(p.held),
  }
}

/** How far each sticky under a stack's top peeks out (page units, capped so all stay counted). */
const CASCADE = 10
const MAX_CASCADE = 5

export function stackDuplicates(ctx: ArrangeContext): ArrangeResult {
  const { editor } = ctx
  const p = prepare(ctx)
  if (!p) return NOTHING
  if (p.units.length === 0) return nothingToMove(p)
  const units = readingOrder(p.units)
  const sets = duplicateSets(units.map((u) => ctx.noteText(u.top)))
  if (sets.length === 0) {
    return { ok: false, message: 'No duplicates found', detail: heldDetail(p.held) }
  }
  let stacked = 0
  editor.markHistoryStoppingPoint('arrange')
  editor.run(() => {
    for (const set of sets) {
      const members = set.flatMap((i) => units[i].ids.map((id) => editor.getShape(id)!))
      // The sticky drawn on top stays where it is; the others go under it.
      const top = members.reduce((a, b) => (b.index > a.index ? b : a))
      const id = members.map(noteStack).find((s) => s !== null) ?? `dup-${top.id.slice(6, 60)}`
      const topBounds = pageBounds(editor, top)!
      const under = members.filter((m) => m !== top).sort((a, b) => (a.index > b.index ? -1 : 1))
      const moves = under.map((shape, k) => {
        const b = pageBounds(editor, shape)!
        const offset = CASCADE * Math.min(k + 1, MAX_CASCADE)
        return {
          unit: { ids: [shape.id], top: shape, bounds: b },
          to: { x: topBounds.x - offset, y: topBounds.y - offset },
        }
      })
      editor.updateShapes(
        members.map((shape) => ({
          id: shape.id,
          type: shape.type,
          meta: { ...shape.meta, [META_KEY]: { ...readMeta(shape), stack: id } },
        })),
      )
      moveUnits(editor, moves)
      stacked += members.length
    }
  })
  return {
    ok: true,
    message: `Stacked ${plural(stacked, 'sticky', 'stickies')} into ${plural(sets.length, 'stack')}`,
    detail: heldDetail(p.held),
  }
}

function readMeta(shape: TLShape): Record<string, unknown> {
  const value = (shape.meta as Record<string, unknown>)[META_KEY]
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

export function groupByTheme(ctx: ArrangeContext): ArrangeResult {
  const { editor } = ctx
  const p = prepare(ctx)
  if (!p) return NOTHING
  if (p.units.length === 0) return nothingToMove(p)
  const units = readingOrder(p.units)
  const found = themes(units.map((u) => ctx.noteText(u.top)))
  const cell = cellOf(units.map((u) => u.bounds))
  const all = union(units.map((u) => u.bounds))
  const container = p.container
  // Loose on the page: columns about as tall as the set is wide, from where it begins.
  const rows = Math.max(3, Math.ceil(Math.sqrt(units.length)))
  const loose = { x: all.x, y: all.y, w: Infinity, h: HEADER_H + rows * (cell.h + GAP) }
  const box = container?.bounds ?? loose
  const area = container ? innerArea(box, container.top) : box
  let layout = themeColumns(
    area,
    cell,
    found.map((t) => t.members.length),
    container ? obstaclesIn(ctx, p, area, container) : [],
  )
  if (!layout.inside) {
    // Too many for the container: below it (below the outermost frame holding it), clear of
    // everything that stays.
    const outer = p.containers
      .filter((c) => inside(c.bounds, centre(box)))
      .reduce((a, c) => (c.bounds.w * c.bounds.h > a.w * a.h ? c.bounds : a), box)
    const taken = editor.getCurrentPageShapes().flatMap((s) => {
      const b = p.moving.has(s.id) ? null : pageBounds(editor, s)
      return b ? [b] : []
    })
    const spot = freeSpotBelow(outer, extentOf(layout, cell), taken)
    layout = shifted(layout, spot.x, spot.y)
  }
  const moves = found.flatMap((theme, t) =>
    theme.members.map((i, k) => ({ unit: units[i], to: layout.columns[t].cells[k] })),
  )
  editor.markHistoryStoppingPoint('arrange')
  editor.run(() => {
    moveUnits(editor, moves, !layout.inside)
    editor.createShapes(
      found.map((theme, t) => {
        const header = layout.columns[t].header
        return {
          type: 'text',
          x: header.x,
          y: header.y,
          props: {
            richText: plainRichText(theme.name),
            w: header.w,
            autoSize: false,
            size: 'm',
            color: 'black',
            textAlign: 'start',
          },
        }
      }),
    )
  })
  const n = stickyCount(p.units)
  const where = layout.inside || !container ? '' : ', below the frame (too many to fit in it)'
  return {
    ok: true,
    message: `Grouped ${plural(n, 'sticky', 'stickies')} into ${plural(found.length, 'theme')}${where}`,
    detail: heldDetail(p.held),
  }
}
