/**
 * What comes out of a workshop, as one JSON document: the board, the agenda with the time each
 * step took, the stickies frame by frame and zone by zone, the template's report sections, the
 * votes, the decisions and the actions. The report (HTML, Markdown), the actions CSV, the deck's
 * outcome slides and the JSON export are all drawn from this one value, so they cannot
 * disagree; `public/schema/workshop-outcome.v1.json` is this schema as JSON Schema, for scripts.
 */
import './zod-setup'
import { z } from 'zod'

export const WORKSHOP_OUTCOME_FORMAT = 1

const isoTime = z.iso.datetime({ offset: true })
const isoDate = z.iso.date()

/** A sticky as the report shows it. */
export const outcomeStickySchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  /** tldraw's colour name (`yellow`, `light-blue`…). */
  color: z.string(),
  /** Who wrote it, where a named reveal says so. */
  author: z.string().nullable(),
  /** Votes in the newest vote that covered it; null when no vote did. */
  votes: z.number().int().nonnegative().nullable(),
  /** Marked (or in a zone declared) an action or a decision. */
  outcome: z.enum(['action', 'decision']).nullable(),
  /** A stack of near-identical stickies counts as one, with how many it holds. */
  stacked: z.number().int().min(1),
  /** Opens the board zoomed to this sticky (view-only: it carries no key). */
  link: z.url(),
})
export type OutcomeSticky = z.infer<typeof outcomeStickySchema>

/** The stickies in one zone of a frame (`zone: null`: in the frame, outside every zone). */
export const zoneStickiesSchema = z.strictObject({
  zone: z.string().nullable(),
  label: z.string(),
  stickies: z.array(outcomeStickySchema),
})
export type ZoneStickies = z.infer<typeof zoneStickiesSchema>

export const outcomeFrameSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  zones: z.array(zoneStickiesSchema),
})
export type OutcomeFrame = z.infer<typeof outcomeFrameSchema>

export const outcomeStepSchema = z.strictObject({
  /** The template placement the step belongs to (its title). */
  section: z.string(),
  title: z.string(),
  plannedMinutes: z.number().nonnegative(),
  /** When the facilitator moved to it (the last time, if more than once); null: never. */
  startedAt: isoTime.nullable(),
  /** Time spent on it, all visits together; null: never started. */
  durationMs: z.number().int().nonnegative().nullable(),
  /** The workshop is on this step now (its time runs until the report was made). */
  current: z.boolean(),
  /** The frame the step focuses on, if it is one (see `frames`). */
  frameId: z.string().nullable(),
  /** The "After: <step>" snapshot, if one was taken. */
  snapshot: z
    .strictObject({
      id: z.string(),
      title: z.string(),
      /** The server's picture of it (an absolute URL on the board's server). */
      imageUrl: z.url(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    })
    .nullable(),
})
export type OutcomeStep = z.infer<typeof outcomeStepSchema>

/** A section the template asked for: "Bets by stage", "The constraint to try". */
export const outcomeSectionSchema = z.strictObject({
  title: z.string(),
  intro: z.string(),
  zones: z.array(zoneStickiesSchema),
})
export type OutcomeSection = z.infer<typeof outcomeSectionSchema>

export const outcomeVoteSchema = z.strictObject({
  title: z.string(),
  scope: z.string(),
  endedAt: isoTime,
  voters: z.number().int().nonnegative(),
  anonymous: z.boolean(),
  /** Ranked: as many votes, same rank (1, 2, 2, 4). */
  ranking: z.array(
    z.strictObject({
      stickyId: z.string(),
      text: z.string(),
      votes: z.number().int().positive(),
      rank: z.number().int().positive(),
      /** Still on the board (a deleted one keeps the text it had). */
      onBoard: z.boolean(),
      /** Who voted for it, in an open vote. */
      names: z.array(z.string()).optional(),
    }),
  ),
})
export type OutcomeVote = z.infer<typeof outcomeVoteSchema>

export const outcomeDecisionSchema = z.strictObject({
  stickyId: z.string(),
  text: z.string(),
  /** The frame and zone it sits in ("Jobs › Mismatches"), if any. */
  where: z.string().nullable(),
  link: z.url(),
})
export type OutcomeDecision = z.infer<typeof outcomeDecisionSchema>

export const outcomeActionSchema = z.strictObject({
  stickyId: z.string(),
  text: z.string(),
  owner: z.string().nullable(),
  due: isoDate.nullable(),
  where: z.string().nullable(),
  link: z.url(),
})
export type OutcomeAction = z.infer<typeof outcomeActionSchema>

export const workshopOutcomeSchema = z.strictObject({
  format: z.literal(WORKSHOP_OUTCOME_FORMAT),
  board: z.strictObject({
    id: z.string(),
    title: z.string(),
    /** The view-only link to the board. */
    link: z.url(),
  }),
  /** When this outcome was drawn up. */
  generatedAt: isoTime,
  /** When the workshop began (its first step), else when the board was made; null: unknown. */
  date: isoTime.nullable(),
  /** People who joined with an edit link over the board's life; null if the server can't say. */
  participants: z.number().int().nonnegative().nullable(),
  steps: z.array(outcomeStepSchema),
  /**
   * Every frame, in reading order, with its stickies by zone (template prompts left out); the
   * stickies outside every frame come last, under a frame whose `id` is "".
   */
  frames: z.array(outcomeFrameSchema),
  sections: z.array(outcomeSectionSchema),
  votes: z.array(outcomeVoteSchema),
  decisions: z.array(outcomeDecisionSchema),
  actions: z.array(outcomeActionSchema),
})
export type WorkshopOutcome = z.infer<typeof workshopOutcomeSchema>
