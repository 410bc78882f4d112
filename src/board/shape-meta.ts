/**
 * What Switchback keeps in a tldraw shape's `meta`: which template element it came from,
 * whether it is background, and a zone's rule. The server reads `isProtectedShape` on every
 * shape write, so it stays a couple of property reads.
 */
import { z } from 'zod'

export const META_KEY = 'switchback'

/** What a template zone may declare its stickies to be (see outcome-marks.ts). */
export const zoneOutcomeSchema = z.enum(['action', 'decision'])

export const zoneRuleSchema = z.strictObject({
  /** Stickies the zone should hold at most; null counts without a limit. */
  capacity: z.number().int().min(0).nullable(),
  /** Every sticky in the zone is an action (the retro's) or a decision. */
  outcome: zoneOutcomeSchema.optional(),
})
export type ZoneRule = z.infer<typeof zoneRuleSchema>

export const shapeMetaSchema = z.object({
  template: z.string().optional(),
  element: z.string().optional(),
  background: z.boolean().optional(),
  zone: zoneRuleSchema.optional(),
  /** Set by the facilitator (a later feature) to keep a shape as it is, bindings included. */
  frozen: z.boolean().optional(),
  /** Who wrote a sticky revealed from a private brainstorm (absent when revealed anonymously). */
  author: z.string().optional(),
  /**
   * An action or decision mark (outcome-marks.ts validates it): read loosely here, so that a
   * malformed mark never hides the rest of the meta.
   */
  outcome: z.json().optional(),
  /** The stack of near-duplicates this sticky was put in ("Stack duplicates", stacks.ts). */
  stack: z.string().optional(),
})
export type ShapeMeta = z.infer<typeof shapeMetaSchema>

/** Switchback's part of a shape's meta, or an empty object when it has none or it is malformed. */
export function readShapeMeta(shape: { meta: unknown }): ShapeMeta {
  const meta = shape.meta as Record<string, unknown> | undefined
  const parsed = shapeMetaSchema.safeParse(meta?.[META_KEY])
  return parsed.success ? parsed.data : {}
}

/** Whether the shape is template background: a property read, for hot paths. */
export function isBackground(shape: { meta: unknown }): boolean {
  const meta = shape.meta as Record<string, { background?: unknown } | undefined> | undefined
  return meta?.[META_KEY]?.background === true
}

/** Whether the facilitator froze the shape: a property read, for hot paths. */
export function isFrozen(shape: { meta: unknown }): boolean {
  const meta = shape.meta as Record<string, { frozen?: unknown } | undefined> | undefined
  return meta?.[META_KEY]?.frozen === true
}

/**
 * The shape's zone rule as stored, malformed or not (undefined when it has none): the server
 * compares it raw, so that a participant cannot slip a rule in by making it invalid.
 */
export function rawZoneRule(shape: { meta: unknown }): unknown {
  const meta = shape.meta as Record<string, { zone?: unknown } | undefined> | undefined
  return meta?.[META_KEY]?.zone
}

/**
 * Background (template) shapes, locked shapes and frozen shapes belong to the facilitator:
 * participants may add their own shapes on top, but not change, lock, unlock or delete these.
 */
export function isProtectedShape(shape: { isLocked: boolean; meta: unknown }): boolean {
  return shape.isLocked || isBackground(shape) || isFrozen(shape)
}

/** The author's name a revealed sticky carries, if any: a property read, drawn on every note. */
export function noteAuthor(shape: { meta: unknown }): string | null {
  const meta = shape.meta as Record<string, { author?: unknown } | undefined> | undefined
  const author = meta?.[META_KEY]?.author
  return typeof author === 'string' && author.trim() ? author.trim().slice(0, 60) : null
}

/** The stack a sticky was put in, if any: a property read, drawn on every note. */
export function noteStack(shape: { meta: unknown }): string | null {
  const meta = shape.meta as Record<string, { stack?: unknown } | undefined> | undefined
  const stack = meta?.[META_KEY]?.stack
  return typeof stack === 'string' && stack.length > 0 && stack.length <= 64 ? stack : null
}
