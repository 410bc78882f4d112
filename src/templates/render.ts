/**
 * Turns a template into tldraw shape records: a pure function of the template, where it goes
 * and an instance id. The server uses it to create a board from a template, the app to place
 * a template beside what is already on a board, and the tests to check every template.
 *
 * Records come out complete (every prop set), because the server has no shape utils to fill
 * in defaults; a unit test validates each one against tldraw's schema.
 */
import type {
  TLArrowShape,
  TLFrameShape,
  TLGeoShape,
  TLLineShape,
  TLNoteShape,
  TLPageId,
  TLParentId,
  TLShape,
  TLShapeId,
  TLTextShape,
} from '@tldraw/tlschema'
import { toRichText } from '@tldraw/tlschema'
import { getIndices, type IndexKey } from '@tldraw/utils'
import type { AgendaSection } from '../board/agenda'
import { NOTE_SIZE, type Box } from '../board/geometry'
import { META_KEY, type ShapeMeta, type ZoneRule } from '../board/shape-meta'
import type { Template, TemplateElement } from '../protocol/template-format'

export const DEFAULT_PAGE_ID = 'page:page' as TLPageId
/** Line height per tldraw text size, for the bounds of a text block (font size × 1.35). */
const TEXT_LINE_HEIGHT = { s: 24, m: 32, l: 49, xl: 59 } as const

export interface PlacementOptions {
  /** Where the template's top-left corner lands on the page. */
  origin: { x: number; y: number }
  /** Makes shape ids unique per placement: `shape:<instance>-<element id>`. */
  instance: string
  pageId?: TLPageId
}

export interface RenderedTemplate {
  /** Parents come before their children, so the records can be created in this order. */
  shapes: TLShape[]
  /** The page area the template covers. */
  bounds: Box
  agenda: AgendaSection
}

export function shapeIdFor(instance: string, elementId: string): TLShapeId {
  return `shape:${instance}-${elementId}` as TLShapeId
}

export function renderTemplate(template: Template, options: PlacementOptions): RenderedTemplate {
  const own = templateBounds(template)
  const dx = options.origin.x - own.x
  const dy = options.origin.y - own.y
  const pageId = options.pageId ?? DEFAULT_PAGE_ID

  // Siblings stack in file order: one run of fractional indices per parent.
  const siblings = new Map<string, TemplateElement[]>()
  for (const element of template.elements) {
    const parent = element.type === 'frame' ? '' : (element.frame ?? '')
    siblings.set(parent, [...(siblings.get(parent) ?? []), element])
  }
  const indexOf = new Map<string, IndexKey>()
  for (const group of siblings.values()) {
    const indices = getIndices(group.length)
    group.forEach((element, i) => indexOf.set(element.id, indices[i + 1]))
  }

  const shapes = [...template.elements]
    // Frames first: a child's parent must exist when the child is created.
    .sort((a, b) => Number(b.type === 'frame') - Number(a.type === 'frame'))
    .map((element) => {
      const inFrame = element.type !== 'frame' && element.frame !== undefined
      const base: ShapeBase = {
        id: shapeIdFor(options.instance, element.id),
        parentId: inFrame ? shapeIdFor(options.instance, element.frame!) : pageId,
        index: indexOf.get(element.id)!,
        // Children are placed relative to their frame, which has already moved.
        offset: inFrame ? { x: 0, y: 0 } : { x: dx, y: dy },
        meta: {
          template: template.id,
          element: element.id,
          ...(element.background ? { background: true } : {}),
        },
        isLocked: element.background,
      }
      return toShape(element, base)
    })

  return {
    shapes,
    bounds: { x: options.origin.x, y: options.origin.y, w: own.w, h: own.h },
    agenda: {
      instance: options.instance,
      templateId: template.id,
      title: template.title,
      ...(template.source ? { source: template.source } : {}),
      steps: template.steps.map((step) => ({
        title: step.title,
        minutes: step.minutes,
        instructions: step.instructions,
        ...(step.focus ? { focus: shapeIdFor(options.instance, step.focus) } : {}),
      })),
      notes: template.notes,
      ...(template.report
        ? {
            report: template.report.sections.map((section) => ({
              ...section,
              zones: section.zones.map((zone) => shapeIdFor(options.instance, zone)),
            })),
          }
        : {}),
    },
  }
}

/** The area a template covers, in its own coordinates (frames and elements outside frames). */
export function templateBounds(template: Template): Box {
  const boxes = template.elements
    .filter((e) => e.type === 'frame' || e.frame === undefined)
    .map(elementBox)
  const minX = Math.min(...boxes.map((b) => b.x))
  const minY = Math.min(...boxes.map((b) => b.y))
  const maxX = Math.max(...boxes.map((b) => b.x + b.w))
  const maxY = Math.max(...boxes.map((b) => b.y + b.h))
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}

/** An element's box in its parent's coordinates (text height is estimated from its lines). */
export function elementBox(element: TemplateElement): Box {
  switch (element.type) {
    case 'frame':
    case 'zone':
      return { x: element.x, y: element.y, w: element.w, h: element.h }
    case 'text': {
      const lines = element.text.split('\n').length
      return { x: element.x, y: element.y, w: element.w, h: lines * TEXT_LINE_HEIGHT[element.size] }
    }
    case 'prompt':
    case 'sticky':
      return { x: element.x, y: element.y, w: NOTE_SIZE, h: NOTE_SIZE }
    case 'arrow':
      return boxAround([element.from, element.to])
    case 'curve':
      return boxAround(element.points)
  }
}

function boxAround(points: { x: number; y: number }[]): Box {
  const xs = points.map((p) => p.x)
  const ys = points.map((p) => p.y)
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y }
}

interface ShapeBase {
  id: TLShapeId
  parentId: TLParentId
  index: IndexKey
  offset: { x: number; y: number }
  meta: ShapeMeta
  isLocked: boolean
}

function record<S extends TLShape>(
  base: ShapeBase,
  type: S['type'],
  at: { x: number; y: number },
  props: S['props'],
  meta: ShapeMeta = base.meta,
): S {
  return {
    id: base.id,
    typeName: 'shape',
    type,
    x: at.x + base.offset.x,
    y: at.y + base.offset.y,
    rotation: 0,
    index: base.index,
    parentId: base.parentId,
    isLocked: base.isLocked,
    opacity: 1,
    meta: { [META_KEY]: meta },
    props,
  } as unknown as S
}

function zoneRule(zone: Extract<TemplateElement, { type: 'zone' }>): ZoneRule {
  return { capacity: zone.capacity ?? null, ...(zone.outcome ? { outcome: zone.outcome } : {}) }
}

function toShape(element: TemplateElement, base: ShapeBase): TLShape {
  switch (element.type) {
    case 'frame':
      return record<TLFrameShape>(base, 'frame', element, {
        w: element.w,
        h: element.h,
        name: element.name,
        color: 'black',
      })
    case 'zone': {
      const counts = element.capacity !== undefined || element.count || element.outcome
      return record<TLGeoShape>(
        base,
        'geo',
        element,
        {
          geo: element.shape,
          dash: element.dash,
          url: '',
          w: element.w,
          h: element.h,
          growY: 0,
          scale: 1,
          flipX: false,
          flipY: false,
          labelColor: 'black',
          color: element.color,
          fill: element.fill,
          size: 'm',
          font: 'sans',
          align: 'start',
          verticalAlign: 'start',
          richText: toRichText(element.label),
        },
        counts ? { ...base.meta, zone: zoneRule(element) } : base.meta,
      )
    }
    case 'text':
      return record<TLTextShape>(base, 'text', element, {
        color: element.color,
        size: element.size,
        font: 'sans',
        textAlign: element.align,
        w: element.w,
        richText: toRichText(element.text),
        scale: 1,
        autoSize: false,
      })
    case 'prompt':
    case 'sticky':
      return record<TLNoteShape>(base, 'note', element, {
        color: element.color ?? (element.type === 'prompt' ? 'grey' : 'yellow'),
        labelColor: 'black',
        size: element.size,
        font: 'sans',
        fontSizeAdjustment: null,
        align: 'middle',
        verticalAlign: 'middle',
        growY: 0,
        url: '',
        richText: toRichText(element.text),
        scale: 1,
        textLastEditedBy: null,
      })
    case 'arrow':
      return record<TLArrowShape>(base, 'arrow', element.from, {
        kind: 'arc',
        labelColor: 'black',
        color: element.color,
        fill: 'none',
        dash: element.dash,
        size: element.size,
        arrowheadStart: element.heads === 'both' ? 'arrow' : 'none',
        arrowheadEnd: element.heads === 'none' ? 'none' : 'arrow',
        font: 'sans',
        start: { x: 0, y: 0 },
        end: { x: element.to.x - element.from.x, y: element.to.y - element.from.y },
        bend: element.bend,
        richText: toRichText(element.label),
        labelPosition: 0.5,
        scale: 1,
        elbowMidPoint: 0.5,
      })
    case 'curve': {
      const [first] = element.points
      const indices = getIndices(element.points.length)
      const points = Object.fromEntries(
        element.points.map((p, i) => {
          const id = `p${i}`
          return [id, { id, index: indices[i + 1], x: p.x - first.x, y: p.y - first.y }]
        }),
      )
      return record<TLLineShape>(base, 'line', first, {
        color: element.color,
        dash: element.dash,
        size: element.size,
        spline: element.smooth ? 'cubic' : 'line',
        points,
        scale: 1,
      })
    }
  }
}
