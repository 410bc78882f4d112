/**
 * What each sticky counts as, for its badges and the Outcomes panel: its own action or decision
 * mark, else what a template zone its centre lies in declares (`outcomeFor`), and, on a stack's
 * top sticky, how many the stack counts (`stacksOf`). One tldraw `computed` per editor over the
 * board's notes and zones, so every sticky's badge reads a map instead of working it out, and
 * the map only counts as changed when a badge would (a drag that crosses no zone edge and
 * leaves every stack as it was redraws nothing). A 2,000-sticky board is one pass of property
 * reads and cached bounds per change.
 */
import {
  Box as PageBox,
  computed,
  react,
  type Computed,
  type Editor,
  type TLShape,
  type TLShapeId,
} from 'tldraw'
import { boxContains, type Box } from '../board/geometry'
import {
  outcomeFor,
  rawOutcomeMark,
  readOutcomeMark,
  type OutcomeMark,
} from '../board/outcome-marks'
import { isBackground, noteStack, rawZoneRule, zoneRuleSchema } from '../board/shape-meta'
import { stacksOf, type StackableNote } from '../board/stacks'

export interface NoteOutcome {
  /** What the sticky counts as (its own mark, else its zone's), or null. */
  outcome: OutcomeMark | null
  /** Whether that is the sticky's own mark (false: a zone declares it). */
  own: boolean
  /** How many stickies its stack counts, on the stack's top sticky; 0 otherwise. */
  stack: number
}

export type NoteOutcomes = ReadonlyMap<string, NoteOutcome>

const perEditor = new WeakMap<Editor, Computed<NoteOutcomes>>()

/** The board's outcomes and stacks, by sticky id (only stickies with something to show). */
export function noteOutcomesOf(editor: Editor): Computed<NoteOutcomes> {
  let found = perEditor.get(editor)
  if (!found) {
    found = createNoteOutcomes(editor)
    perEditor.set(editor, found)
  }
  return found
}

interface OutcomeZone {
  page: string
  bounds: Box
  outcome: 'action' | 'decision'
}

function createNoteOutcomes(editor: Editor): Computed<NoteOutcomes> {
  const notes = editor.store.query.records('shape', () => ({ type: { eq: 'note' as const } }))
  const geos = editor.store.query.records('shape', () => ({ type: { eq: 'geo' as const } }))
  const zones = computed<OutcomeZone[]>('outcome zones', () =>
    geos.get().flatMap((shape) => {
      if (rawZoneRule(shape) === undefined) return []
      const rule = zoneRuleSchema.safeParse(rawZoneRule(shape))
      const bounds = rule.success && rule.data.outcome && editor.getShapePageBounds(shape)
      if (!rule.success || !rule.data.outcome || !bounds) return []
      return [{ page: pageOf(editor, shape), bounds: plainBox(bounds), outcome: rule.data.outcome }]
    }),
  )
  return computed<NoteOutcomes>(
    'note outcomes',
    () => {
      const declaring = zones.get()
      // Only stickies that overlap an outcome zone can be in one: the spatial index finds them.
      const nearZones = new Set<string>()
      for (const { bounds: b } of declaring) {
        for (const id of editor.getShapeIdsInsideBounds(new PageBox(b.x, b.y, b.w, b.h))) {
          nearZones.add(id)
        }
      }
      const result = new Map<string, NoteOutcome>()
      const stackable: StackableNote[] = []
      for (const note of notes.get()) {
        const stack = noteStack(note)
        const mark = rawOutcomeMark(note) === undefined ? null : readOutcomeMark(note)
        const zoned = mark === null && nearZones.has(note.id) && !isBackground(note)
        if (stack === null && !zoned) {
          if (mark) result.set(note.id, { outcome: mark, own: true, stack: 0 })
          continue
        }
        const bounds = editor.getShapePageBounds(note)
        if (!bounds) continue
        const page = pageOf(editor, note)
        if (stack !== null) {
          // A stack's members are on one page; the page keeps two pages' stacks apart.
          stackable.push({ id: note.id, stack: `${page}|${stack}`, index: note.index, bounds })
        }
        const inZones = zoned
          ? declaring
              .filter((zone) => zone.page === page && boxContains(zone.bounds, bounds.center))
              .map((zone) => zone.outcome)
          : []
        const outcome = outcomeFor(mark, inZones)
        if (outcome) result.set(note.id, { outcome, own: mark !== null, stack: 0 })
      }
      for (const [top, counted] of stacksOf(stackable)) {
        const entry = result.get(top)
        result.set(top, {
          outcome: entry?.outcome ?? null,
          own: entry?.own ?? false,
          stack: counted.length,
        })
      }
      return result
    },
    { isEqual: sameOutcomes },
  )
}

function pageOf(editor: Editor, shape: TLShape): string {
  return shape.parentId.startsWith('page:')
    ? shape.parentId
    : (editor.getAncestorPageId(shape) ?? '')
}

function plainBox(box: Box): Box {
  return { x: box.x, y: box.y, w: box.w, h: box.h }
}

function sameOutcomes(a: NoteOutcomes, b: NoteOutcomes): boolean {
  if (a.size !== b.size) return false
  for (const [id, entry] of a) {
    const other = b.get(id)
    if (!other || JSON.stringify(other) !== JSON.stringify(entry)) return false
  }
  return true
}

/** One sticky's outcome and stack count (nothing: null and 0). */
export function noteOutcomeOf(editor: Editor, id: TLShapeId | string): NoteOutcome | null {
  return noteOutcomesOf(editor).get().get(id) ?? null
}

/** One action or decision on the board, as the Outcomes panel lists it. */
export interface BoardOutcome {
  id: string
  kind: OutcomeMark['kind']
  owner: string | null
  due: string | null
  /** The sticky's own mark (false: a template zone declares it, and it has no owner or date). */
  own: boolean
  /** The sticky's text, plain. */
  text: string
  /** The page it is on, by name. */
  page: string
}

/** The board's actions and decisions, page by page, in reading order (top to bottom, left to right). */
export function boardOutcomes(
  editor: Editor,
  plainText: (note: TLShape) => string,
): BoardOutcome[] {
  const pages = editor.getPages()
  const listed: (BoardOutcome & { order: [number, number, number] })[] = []
  for (const [id, entry] of noteOutcomesOf(editor).get()) {
    const shape = editor.getShape(id as TLShapeId)
    const bounds = shape && editor.getShapePageBounds(shape)
    if (!entry.outcome || !shape || !bounds) continue
    const pageId = pageOf(editor, shape)
    const pageIndex = pages.findIndex((p) => p.id === pageId)
    const mark = entry.outcome
    listed.push({
      id,
      kind: mark.kind,
      owner: mark.kind === 'action' ? (mark.owner ?? null) : null,
      due: mark.kind === 'action' ? (mark.due ?? null) : null,
      own: entry.own,
      text: plainText(shape),
      page: pages[pageIndex]?.name ?? '',
      order: [pageIndex, Math.round(bounds.y), Math.round(bounds.x)],
    })
  }
  listed.sort(
    (a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2],
  )
  return listed.map(({ order: _, ...outcome }) => outcome)
}

/** Calls `onChange` when the board's outcomes, or the text of a sticky among them, change. */
export function watchBoardOutcomes(editor: Editor, onChange: () => void): () => void {
  let first = true
  return react('board outcomes', () => {
    for (const id of noteOutcomesOf(editor).get().keys()) {
      const shape = editor.getShape(id as TLShapeId)
      void (shape?.type === 'note' && shape.props.richText)
    }
    if (first) first = false
    else onChange()
  })
}
