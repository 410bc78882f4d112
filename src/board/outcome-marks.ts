/**
 * Actions and decisions: what a sticky's `meta.switchback.outcome` may say. A sticky is marked
 * an **action** (with an optional owner and due date) or a **decision**; a template zone can
 * also declare that every sticky in it is one (`zone.outcome`, e.g. the retro's actions).
 *
 * The mark lives in the shape's meta, so it syncs, undoes, exports and restores with the board
 * like any edit, and the server's record rules decide who may write it (`roles.ts`). The server
 * compares the raw value (`rawOutcomeMark`), so a malformed mark is judged like any other.
 */
import { z } from 'zod'
import { META_KEY, zoneOutcomeSchema } from './shape-meta'

export { zoneOutcomeSchema }

export const MAX_OWNER_LENGTH = 60

/** A calendar day, `2026-12-24`: a due date has no time of day or zone. */
export const dueDateSchema = z.iso.date()

export const actionMarkSchema = z.strictObject({
  kind: z.literal('action'),
  /** Who does it: a participant's name or free text. */
  owner: z.string().trim().min(1).max(MAX_OWNER_LENGTH).optional(),
  due: dueDateSchema.optional(),
})

export const decisionMarkSchema = z.strictObject({ kind: z.literal('decision') })

export const outcomeMarkSchema = z.discriminatedUnion('kind', [
  actionMarkSchema,
  decisionMarkSchema,
])
export type OutcomeMark = z.infer<typeof outcomeMarkSchema>
export type ActionMark = z.infer<typeof actionMarkSchema>
export type OutcomeKind = OutcomeMark['kind']

export type ZoneOutcome = z.infer<typeof zoneOutcomeSchema>

/** The mark as stored, malformed or not (undefined when none): the server compares it raw. */
export function rawOutcomeMark(shape: { meta: unknown }): unknown {
  const meta = shape.meta as Record<string, { outcome?: unknown } | undefined> | undefined
  return meta?.[META_KEY]?.outcome
}

/** The sticky's own mark, or null when it has none or it is malformed. */
export function readOutcomeMark(shape: { meta: unknown }): OutcomeMark | null {
  const raw = rawOutcomeMark(shape)
  if (raw === undefined) return null
  const parsed = outcomeMarkSchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** The shape's meta with this mark (null: without one), everything else kept. */
export function withOutcomeMark(meta: unknown, mark: OutcomeMark | null): Record<string, unknown> {
  const all = { ...(meta as Record<string, unknown> | undefined) }
  const own = { ...(all[META_KEY] as Record<string, unknown> | undefined) }
  if (mark) own.outcome = mark
  else delete own.outcome
  all[META_KEY] = own
  return all
}

/**
 * What a sticky counts as: its own mark, else what the zone it lies in declares (the first
 * such zone given), else nothing. A zone-declared action has no owner or date.
 */
export function outcomeFor(
  mark: OutcomeMark | null,
  zoneOutcomes: readonly (ZoneOutcome | undefined)[],
): OutcomeMark | null {
  if (mark) return mark
  const declared = zoneOutcomes.find((outcome) => outcome !== undefined)
  return declared ? { kind: declared } : null
}

/**
 * Whether the sticky is marked a decision, read raw (a property read, for the server's hot
 * path and the participant's editor guard): a decided sticky is read-only for participants.
 */
export function isDecided(shape: { meta: unknown }): boolean {
  const raw = rawOutcomeMark(shape) as { kind?: unknown } | null | undefined
  return typeof raw === 'object' && raw !== null && raw.kind === 'decision'
}
