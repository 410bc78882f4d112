/**
 * The template file format: one JSON file per template. The app, the server and the tests
 * all validate templates with this one schema, so a file that opens in one opens in all.
 *
 * Coordinates are in canvas pixels. A frame's position is relative to the template's origin;
 * an element that names a `frame` is positioned relative to that frame's top-left corner.
 */
import './zod-setup'
import { z } from 'zod'

export const TEMPLATE_FORMAT_VERSION = 1
/** Every frame is a 16:9 slide: it exports without cropping or letterboxing. */
export const FRAME_WIDTH = 1920
export const FRAME_HEIGHT = 1080
/** Keeps a template file (and a library upload) small enough to validate and store quickly. */
export const MAX_TEMPLATE_BYTES = 512 * 1024
export const MAX_TEMPLATE_ELEMENTS = 1000

/** tldraw's named colours: they follow dark mode and export, unlike hex colours. */
export const TEMPLATE_COLORS = [
  'black',
  'grey',
  'light-violet',
  'violet',
  'blue',
  'light-blue',
  'yellow',
  'orange',
  'green',
  'light-green',
  'light-red',
  'red',
  'white',
] as const
export const colorSchema = z.enum(TEMPLATE_COLORS)

export const elementIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'expected lowercase letters, digits and "-" (max 48)')
export const templateIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,47}$/, 'expected lowercase letters, digits and "-" (2 to 48)')

const coordinate = z.number().finite().min(-100_000).max(100_000)
const length = z.number().finite().positive().max(100_000)
const dashSchema = z.enum(['solid', 'dashed', 'dotted', 'draw']).default('solid')
const sizeSchema = z.enum(['s', 'm', 'l', 'xl']).default('m')
const pointSchema = z.strictObject({ x: coordinate, y: coordinate })
const shortText = z.string().trim().min(1).max(200)
const longText = z.string().max(4000)

/** Background elements are locked on the board: only the facilitator can change them. */
const placed = {
  id: elementIdSchema,
  /** The frame this element sits in; its x and y are then relative to that frame. */
  frame: elementIdSchema.optional(),
  background: z.boolean().default(true),
}

const frameSchema = z.strictObject({
  type: z.literal('frame'),
  id: elementIdSchema,
  x: coordinate,
  y: coordinate,
  w: length,
  h: length,
  name: shortText,
  background: z.boolean().default(true),
})

/** A coloured area with a label; with `capacity` it counts the stickies inside it, live. */
const zoneSchema = z.strictObject({
  type: z.literal('zone'),
  ...placed,
  x: coordinate,
  y: coordinate,
  w: length,
  h: length,
  label: z.string().max(400).default(''),
  color: colorSchema,
  fill: z.enum(['none', 'semi', 'solid', 'pattern']).default('solid'),
  dash: dashSchema,
  shape: z.enum(['rectangle', 'ellipse']).default('rectangle'),
  /** Stickies the zone should hold at most; the zone turns to a warning past it. */
  capacity: z.number().int().min(0).max(999).optional(),
  /** Count the stickies inside even without a capacity (for example one count per stage). */
  count: z.boolean().default(false),
  /**
   * Every sticky in this zone is an action (the retro's "at most three actions") or a
   * decision: the Outcomes panel, the badges and the report treat them as marked.
   */
  outcome: z.enum(['action', 'decision']).optional(),
})

/** The three type sizes a canvas uses: title, zone label, prompt (and a small footer). */
const textSchema = z.strictObject({
  type: z.literal('text'),
  ...placed,
  x: coordinate,
  y: coordinate,
  w: length,
  text: z.string().trim().min(1).max(4000),
  size: sizeSchema,
  align: z.enum(['start', 'middle', 'end']).default('start'),
  color: colorSchema.default('black'),
})

/** A sticky note: a grey, locked question for prompts, or a movable example. */
const stickySchema = z.strictObject({
  type: z.enum(['prompt', 'sticky']),
  ...placed,
  x: coordinate,
  y: coordinate,
  text: z.string().max(1000),
  color: colorSchema.optional(),
  size: sizeSchema,
})

const arrowSchema = z.strictObject({
  type: z.literal('arrow'),
  ...placed,
  from: pointSchema,
  to: pointSchema,
  label: z.string().max(200).default(''),
  color: colorSchema.default('black'),
  dash: dashSchema,
  size: sizeSchema,
  bend: z.number().finite().default(0),
  heads: z.enum(['end', 'both', 'none']).default('end'),
})

/** A line through points: straight segments, or a smooth curve (hills, trends). */
const curveSchema = z.strictObject({
  type: z.literal('curve'),
  ...placed,
  points: z.array(pointSchema).min(2).max(200),
  smooth: z.boolean().default(true),
  color: colorSchema.default('black'),
  dash: dashSchema,
  size: sizeSchema,
})

export const templateElementSchema = z.discriminatedUnion('type', [
  frameSchema,
  zoneSchema,
  textSchema,
  stickySchema,
  arrowSchema,
  curveSchema,
])

export const agendaStepSchema = z.strictObject({
  title: shortText,
  minutes: z.number().int().min(1).max(480),
  instructions: longText,
  /** The element the board zooms to when this step starts. */
  focus: elementIdSchema.optional(),
})

/**
 * A section the template wants in the workshop report, after the agenda: the stickies in these
 * zones (or frames), zone by zone, most voted first or in board order. "Jobs and mismatches",
 * "Bets by stage", "The constraint to try".
 */
export const reportSectionSchema = z.strictObject({
  title: shortText,
  /** A sentence or two under the title, saying what the section shows. */
  intro: longText.default(''),
  /** Zone or frame element ids, in the order the report lists them. */
  zones: z.array(elementIdSchema).min(1).max(20),
  order: z.enum(['votes', 'board']).default('votes'),
})
export type ReportSection = z.infer<typeof reportSectionSchema>

export const templateSourceSchema = z.strictObject({
  title: shortText,
  url: z.url({ protocol: /^https?$/ }),
})

export const templateSchema = z
  .strictObject({
    formatVersion: z.literal(TEMPLATE_FORMAT_VERSION),
    id: templateIdSchema,
    title: z.string().trim().min(1).max(80),
    summary: z.string().trim().min(1).max(400),
    tags: z.array(z.string().trim().min(1).max(32)).max(8).default([]),
    /** The post the canvas comes from, credited in the metadata and on the canvas. */
    source: templateSourceSchema.optional(),
    minutes: z.number().int().min(1).max(600),
    elements: z.array(templateElementSchema).min(1).max(MAX_TEMPLATE_ELEMENTS),
    steps: z.array(agendaStepSchema).max(30).default([]),
    /** For the facilitator: how to run it, what to watch for. */
    notes: longText.default(''),
    /** What the workshop report shows of this canvas, beyond agenda, votes and outcomes. */
    report: z.strictObject({ sections: z.array(reportSectionSchema).max(12) }).optional(),
  })
  .superRefine((template, ctx) => {
    const kinds = new Map<string, string>()
    template.elements.forEach((element, index) => {
      if (kinds.has(element.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['elements', index, 'id'],
          message: `duplicate element id "${element.id}"`,
        })
      }
      kinds.set(element.id, element.type)
    })
    template.elements.forEach((element, index) => {
      if (element.type === 'frame' || element.frame === undefined) return
      if (kinds.get(element.frame) !== 'frame') {
        ctx.addIssue({
          code: 'custom',
          path: ['elements', index, 'frame'],
          message: `no frame with id "${element.frame}"`,
        })
      }
    })
    template.report?.sections.forEach((section, index) => {
      section.zones.forEach((zone, z) => {
        const kind = kinds.get(zone)
        if (kind === 'zone' || kind === 'frame') return
        ctx.addIssue({
          code: 'custom',
          path: ['report', 'sections', index, 'zones', z],
          message: kind
            ? `"${zone}" is a ${kind}, not a zone or frame`
            : `no zone with id "${zone}"`,
        })
      })
    })
    template.steps.forEach((step, index) => {
      if (step.focus !== undefined && !kinds.has(step.focus)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'focus'],
          message: `no element with id "${step.focus}"`,
        })
      }
    })
  })

export type Template = z.infer<typeof templateSchema>
export type TemplateInput = z.input<typeof templateSchema>
export type TemplateElement = Template['elements'][number]
export type AgendaStep = Template['steps'][number]
export type TemplateColor = z.infer<typeof colorSchema>

/** One problem in a template file, with where it is: `elements[3].w: expected a number`. */
export interface TemplateProblem {
  path: string
  message: string
}

export type TemplateParseResult =
  { ok: true; template: Template } | { ok: false; problems: TemplateProblem[] }

/** Parses a template file's text: every problem is listed with its path, nothing is thrown. */
export function parseTemplateText(text: string): TemplateParseResult {
  if (new TextEncoder().encode(text).length > MAX_TEMPLATE_BYTES) {
    return {
      ok: false,
      problems: [{ path: '(file)', message: `larger than ${MAX_TEMPLATE_BYTES / 1024} KiB` }],
    }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    // JSON.parse throws only SyntaxError, whose message says where the text went wrong.
    const detail = (error as SyntaxError).message
    return { ok: false, problems: [{ path: '(file)', message: `not valid JSON: ${detail}` }] }
  }
  return parseTemplate(json)
}

export function parseTemplate(json: unknown): TemplateParseResult {
  const parsed = templateSchema.safeParse(json)
  if (parsed.success) return { ok: true, template: parsed.data }
  return { ok: false, problems: parsed.error.issues.map(toProblem) }
}

function toProblem(issue: z.core.$ZodIssue): TemplateProblem {
  return { path: formatPath(issue.path), message: issue.message }
}

/** `['elements', 3, 'w']` → `elements[3].w`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(template)'
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('')
}
