/**
 * The way back from a board to a template: the shapes of a whole board, or of one frame,
 * become template elements. The inverse of `renderTemplate` for everything a template can
 * hold; other shapes (freehand drawings, images, groups…) are counted and left out.
 */
import type { TLShape, TLShapeId } from '@tldraw/tlschema'
import type { AgendaSection } from '../board/agenda'
import { fromRichText } from '../board/rich-text'
import { readShapeMeta } from '../board/shape-meta'
import {
  TEMPLATE_COLORS,
  elementIdSchema,
  type AgendaStep,
  type ReportSection,
  type TemplateColor,
  type TemplateInput,
} from '../protocol/template-format'

type ElementInput = TemplateInput['elements'][number]
/** An element before it gets its id (distributes over the union of element types). */
type Unnamed<T> = T extends unknown ? Omit<T, 'id'> : never

export interface ShapesToElementsResult {
  elements: ElementInput[]
  /** Element id per shape id, to carry agenda steps across. */
  elementIds: Map<TLShapeId, string>
  /** Shape types left out, with how many of each. */
  skipped: Record<string, number>
}

/**
 * `shapes` are the shapes to save: top-level ones (frames, and shapes outside frames) and the
 * direct children of those frames. Coordinates stay as they are; rendering moves the template
 * to wherever it is placed.
 */
export function shapesToElements(shapes: readonly TLShape[]): ShapesToElementsResult {
  const byId = new Map(shapes.map((s) => [s.id, s]))
  const elementIds = new Map<TLShapeId, string>()
  const used = new Set<string>()
  const idFor = (shape: TLShape) => {
    const wanted = readShapeMeta(shape).element
    let id =
      wanted && elementIdSchema.safeParse(wanted).success && !used.has(wanted)
        ? wanted
        : `${shape.type}-${used.size + 1}`
    while (used.has(id)) id = `${id}-x`
    used.add(id)
    elementIds.set(shape.id, id)
    return id
  }
  // Frames first, so children can refer to them.
  const ordered = [...shapes].sort(
    (a, b) => Number(b.type === 'frame') - Number(a.type === 'frame'),
  )
  const elements: ElementInput[] = []
  const skipped: Record<string, number> = {}
  const skip = (type: string) => (skipped[type] = (skipped[type] ?? 0) + 1)

  for (const shape of ordered) {
    const parent = byId.get(shape.parentId as TLShapeId)
    const inFrame = parent?.type === 'frame' && elementIds.has(parent.id)
    if (!shape.parentId.startsWith('page:') && !inFrame) {
      skip(shape.type)
      continue
    }
    const element = toElement(shape)
    if (!element) {
      skip(shape.type)
      continue
    }
    const placed = { ...element, id: idFor(shape) } as ElementInput
    if (inFrame && placed.type !== 'frame') placed.frame = elementIds.get(parent.id)
    elements.push(placed)
  }
  return { elements, elementIds, skipped }
}

/** Agenda steps whose focus is among the saved shapes keep it; others lose only the focus. */
export function agendaToSteps(
  agenda: readonly AgendaSection[],
  elementIds: Map<TLShapeId, string>,
): AgendaStep[] {
  return agenda.flatMap((section) =>
    section.steps.map((step) => {
      const focus = step.focus ? elementIds.get(step.focus as TLShapeId) : undefined
      return {
        title: step.title,
        minutes: step.minutes,
        instructions: step.instructions,
        ...(focus ? { focus } : {}),
      }
    }),
  )
}

/**
 * The report sections of the templates the board was made from, their zones turned back into
 * element ids: a zone left out of what is saved drops out of its section, and a section left
 * with no zone drops out (the format wants at least one).
 */
export function agendaToReport(
  agenda: readonly AgendaSection[],
  elementIds: Map<TLShapeId, string>,
): ReportSection[] {
  return agenda.flatMap((section) =>
    (section.report ?? []).flatMap((report) => {
      const zones = report.zones.flatMap((zone) => elementIds.get(zone as TLShapeId) ?? [])
      return zones.length > 0 ? [{ ...report, zones }] : []
    }),
  )
}

function toElement(shape: TLShape): Unnamed<ElementInput> | null {
  const meta = readShapeMeta(shape)
  const background = meta.background === true || shape.isLocked
  const at = { x: round(shape.x), y: round(shape.y) }
  switch (shape.type) {
    case 'frame':
      return {
        type: 'frame',
        ...at,
        w: round(shape.props.w),
        h: round(shape.props.h),
        name: shape.props.name.trim() || 'Frame',
        background,
      }
    case 'geo': {
      const p = shape.props
      if (p.geo !== 'rectangle' && p.geo !== 'ellipse') return null
      return {
        type: 'zone',
        ...at,
        w: round(p.w),
        h: round(p.h + p.growY),
        label: fromRichText(p.richText),
        color: color(p.color),
        fill: p.fill === 'fill' || p.fill === 'lined-fill' ? 'solid' : p.fill,
        dash: p.dash === 'none' ? 'solid' : p.dash,
        shape: p.geo,
        background,
        ...(meta.zone?.capacity != null ? { capacity: meta.zone.capacity } : {}),
        // A zone that declares its stickies' outcome counts them already.
        ...(meta.zone && meta.zone.capacity == null && !meta.zone.outcome ? { count: true } : {}),
        ...(meta.zone?.outcome ? { outcome: meta.zone.outcome } : {}),
      }
    }
    case 'text': {
      const text = fromRichText(shape.props.richText).trim()
      if (text === '') return null
      return {
        type: 'text',
        ...at,
        w: round(shape.props.w),
        text,
        size: shape.props.size,
        align: shape.props.textAlign,
        color: color(shape.props.color),
        background,
      }
    }
    case 'note':
      return {
        type: background ? 'prompt' : 'sticky',
        ...at,
        text: fromRichText(shape.props.richText),
        color: color(shape.props.color),
        size: shape.props.size,
        background,
      }
    case 'arrow': {
      const p = shape.props
      return {
        type: 'arrow',
        from: { x: round(shape.x + p.start.x), y: round(shape.y + p.start.y) },
        to: { x: round(shape.x + p.end.x), y: round(shape.y + p.end.y) },
        label: fromRichText(p.richText),
        color: color(p.color),
        dash: p.dash === 'none' ? 'solid' : p.dash,
        size: p.size,
        bend: round(p.bend),
        heads: p.arrowheadStart !== 'none' ? 'both' : p.arrowheadEnd === 'none' ? 'none' : 'end',
        background,
      }
    }
    case 'line': {
      const points = Object.values(shape.props.points)
        .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
        .map((p) => ({ x: round(shape.x + p.x), y: round(shape.y + p.y) }))
      return {
        type: 'curve',
        points,
        smooth: shape.props.spline === 'cubic',
        color: color(shape.props.color),
        dash: shape.props.dash === 'none' ? 'solid' : shape.props.dash,
        size: shape.props.size,
        background,
      }
    }
    default:
      return null
  }
}

function color(value: string): TemplateColor {
  return (TEMPLATE_COLORS as readonly string[]).includes(value) ? (value as TemplateColor) : 'black'
}

function round(n: number) {
  return Math.round(n * 100) / 100
}
