/**
 * Big rooms: breakout groups, presenting frames as slides, and raised hands. Their actions,
 * what the server keeps of them and what each session is sent, beside the rest of the
 * workshop (`facilitation.ts` puts them in its action union, its state and its view).
 *
 * All three are the server's to decide: who is in which group, which slide is on, and the
 * order hands went up. A client only asks; the schemas are strict, so a hand raised "for"
 * someone else (a `personId` in `hand-raise`) is not an action at all.
 */
import { z } from 'zod'
import { shapeIdSchema as shapeId } from './ids'
import { personIdSchema } from './people'

export const BIG_ROOM_LIMITS = {
  minGroups: 2,
  maxGroups: 20,
  maxGroupLabelLength: 40,
  /** "5 minutes left": one line to every group. */
  maxMessageLength: 140,
  /**
   * People the server keeps a group for (200 on the board, and those who left): bounded so
   * the workshop's one stored value stays under storage's 128 KiB with the longest ids and names.
   */
  maxAssigned: 300,
  /** A name a group lists is kept to this many characters (for the same reason). */
  maxMemberNameLength: 40,
  /** Hands up at once; past it a hand is refused (one per person on a 200-person board fits). */
  maxHands: 500,
  /** Frames one presentation may walk through. */
  maxSlides: 100,
} as const

// ---------------------------------------------------------------------------------------------
// Breakout groups

export const breakoutGroupSchema = z.strictObject({
  /** The group's copy of the frame (made by the facilitator's client before it starts). */
  frameId: shapeId,
  label: z.string().trim().min(1).max(BIG_ROOM_LIMITS.maxGroupLabelLength),
})
export type BreakoutGroup = z.infer<typeof breakoutGroupSchema>

/** How people get a group: balanced at random by the server, or each picks one. */
export const breakoutAssignSchema = z.enum(['random', 'choose'])
export type BreakoutAssign = z.infer<typeof breakoutAssignSchema>

const groupIndex = z
  .number()
  .int()
  .min(0)
  .max(BIG_ROOM_LIMITS.maxGroups - 1)

export const breakoutActionSchemas = [
  /** Start breakouts on these copies of `source` (a frame); the facilitator's alone. */
  z.strictObject({
    type: z.literal('breakout-start'),
    source: shapeId,
    groups: z
      .array(breakoutGroupSchema)
      .min(BIG_ROOM_LIMITS.minGroups)
      .max(BIG_ROOM_LIMITS.maxGroups),
    assign: breakoutAssignSchema,
  }),
  /** The facilitator moves a person to a group. */
  z.strictObject({ type: z.literal('breakout-move'), personId: personIdSchema, group: groupIndex }),
  /** A participant picks their own group (when people pick). */
  z.strictObject({ type: z.literal('breakout-pick'), group: groupIndex }),
  /** One line to every group ("5 minutes left"). */
  z.strictObject({
    type: z.literal('breakout-message'),
    text: z.string().trim().min(1).max(BIG_ROOM_LIMITS.maxMessageLength),
  }),
  /** Sends everyone (back) to their group's copy. */
  z.strictObject({ type: z.literal('breakout-send') }),
  /** Ends breakouts: everyone back, the copies laid side by side for a gallery walk. */
  z.strictObject({ type: z.literal('breakout-end') }),
] as const

/** Breakouts as the server keeps them (inside the workshop's one stored value). */
export const breakoutStateSchema = z.strictObject({
  source: shapeId,
  groups: z.array(breakoutGroupSchema),
  assign: breakoutAssignSchema,
  startedAt: z.number(),
  /** Person id → group index: kept across reloads, late joins and restarts. */
  members: z.record(z.string(), z.number().int()),
  /** Person id → the name they had when last seen, so a group lists who left too. */
  names: z.record(z.string(), z.string()),
  /** The facilitator's latest line to every group. */
  message: z.strictObject({ text: z.string(), at: z.number() }).nullable(),
})
export type BreakoutState = z.infer<typeof breakoutStateSchema>

const personSchema = z.strictObject({ personId: z.string(), name: z.string() })

/** Breakouts as one session sees them. */
export const breakoutViewSchema = z.strictObject({
  source: z.string(),
  assign: breakoutAssignSchema,
  startedAt: z.number(),
  message: z.strictObject({ text: z.string(), at: z.number() }).nullable(),
  groups: z.array(
    z.strictObject({
      label: z.string(),
      frameId: z.string(),
      /** People assigned to it. */
      size: z.number().int(),
      /**
       * Its members (here or not): the facilitator sees every group's; a participant only
       * their own group's (null for the others).
       */
      members: z.array(personSchema.extend({ here: z.boolean() })).nullable(),
      /**
       * The group's ready check for the current step: members here, and how many of them are
       * done. The facilitator sees every group's; a participant their own (null for others).
       */
      ready: z.strictObject({ done: z.number().int(), of: z.number().int() }).nullable(),
    }),
  ),
  /** This person's group (an index into `groups`), or null. */
  mine: z.number().int().nullable(),
})
export type BreakoutView = z.infer<typeof breakoutViewSchema>

// ---------------------------------------------------------------------------------------------
// Presenting frames as slides

export const presentActionSchemas = [
  /** The facilitator presents these frames, in this order, starting at `index`. */
  z.strictObject({
    type: z.literal('present-start'),
    frames: z.array(shapeId).min(1).max(BIG_ROOM_LIMITS.maxSlides),
    index: z.number().int().min(0),
  }),
  /** Goes to a slide. */
  z.strictObject({ type: z.literal('present-go'), index: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('present-stop') }),
] as const

/** A presentation under way: kept by the server and seen alike by everyone. */
export const presentingSchema = z.strictObject({
  frames: z.array(z.string()),
  index: z.number().int(),
  by: personSchema,
  startedAt: z.number(),
})
export type Presenting = z.infer<typeof presentingSchema>

// ---------------------------------------------------------------------------------------------
// Raised hands

export const handActionSchemas = [
  /** Raises this session's person's own hand (there is no field to name anyone else). */
  z.strictObject({ type: z.literal('hand-raise') }),
  /** Lowers this session's person's own hand. */
  z.strictObject({ type: z.literal('hand-lower') }),
  /** The facilitator lowers someone's hand. */
  z.strictObject({ type: z.literal('hand-lower-for'), personId: personIdSchema }),
  /** The facilitator lowers every hand. */
  z.strictObject({ type: z.literal('hands-clear') }),
] as const

export const raisedHandSchema = z.strictObject({
  personId: z.string(),
  name: z.string(),
  /** On the server's clock. */
  raisedAt: z.number(),
})
export type RaisedHand = z.infer<typeof raisedHandSchema>

/** Raised hands as one session sees them. */
export const handsViewSchema = z.strictObject({
  /** The queue in order, first raised first: the facilitator's alone (empty for others). */
  queue: z.array(raisedHandSchema),
  /** This person's place in the queue (1 = next), or null when their hand is down. */
  mine: z.number().int().nullable(),
  /** How many hands are up. */
  count: z.number().int(),
})
export type HandsView = z.infer<typeof handsViewSchema>
