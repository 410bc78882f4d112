/**
 * The workshop's shared state and the messages that run it: which agenda step the board is on,
 * the timer, who follows the facilitator, who is done, and reactions. One state per board,
 * kept and decided by the server; both sides validate every message with these schemas.
 *
 * It travels beside tldraw's sync, not inside it: tldraw's room sends every document record to
 * every session, while facilitation needs per-person content (your own "done", and next your
 * own votes and hidden stickies). So the server sends each session its own view as tldraw
 * "custom" messages over the board's socket, and a session acts by posting to
 * `POST /parties/board/<roomId>/facilitation` with the token its socket was given.
 */
import { z } from 'zod'

export const FACILITATION_LIMITS = {
  /** The longest timer: a whole day's workshop block. */
  maxTimerMs: 4 * 60 * 60 * 1000,
  minTimerMs: 5 * 1000,
  /** "Add a minute" adds this. */
  addTimerMs: 60 * 1000,
  /** Reactions one session may send in `reactionWindowMs`; more are refused. */
  reactionsPerWindow: 5,
  reactionWindowMs: 10 * 1000,
  /** An action's body is a few fields: anything bigger is not one. */
  maxActionBytes: 2 * 1024,
} as const

/** The quick reactions anyone may send. */
export const REACTIONS = ['👍', '❤️', '😂', '🎉', '🤔', '👏'] as const
export type Reaction = (typeof REACTIONS)[number]

/** A step of the board's agenda: which template placement, and which of its steps. */
export const stepRefSchema = z.strictObject({
  instance: z.string().min(1).max(64),
  index: z.number().int().min(0).max(999),
})
export type StepRef = z.infer<typeof stepRefSchema>

const pointSchema = z.strictObject({ x: z.number().finite(), y: z.number().finite() })
const boundsSchema = z.strictObject({
  x: z.number().finite(),
  y: z.number().finite(),
  w: z.number().finite().positive(),
  h: z.number().finite().positive(),
})

/** What a session asks of the server. Who may ask what is decided in `src/server/roles.ts`. */
export const facilitationActionSchema = z.discriminatedUnion('type', [
  /** Move the workshop to a step; `bringEveryone` also moves everyone's view to its focus. */
  z.strictObject({ type: z.literal('step'), step: stepRefSchema, bringEveryone: z.boolean() }),
  z.strictObject({
    type: z.literal('timer-start'),
    durationMs: z
      .number()
      .int()
      .min(FACILITATION_LIMITS.minTimerMs)
      .max(FACILITATION_LIMITS.maxTimerMs),
  }),
  z.strictObject({ type: z.literal('timer-pause') }),
  z.strictObject({ type: z.literal('timer-resume') }),
  z.strictObject({ type: z.literal('timer-add-minute') }),
  z.strictObject({ type: z.literal('timer-stop') }),
  /** Move every participant's view to these page bounds, once. */
  z.strictObject({ type: z.literal('summon'), bounds: boundsSchema }),
  z.strictObject({ type: z.literal('follow-start') }),
  z.strictObject({ type: z.literal('follow-stop') }),
  /** A participant says whether they follow now (they break away with a pan or Escape). */
  z.strictObject({ type: z.literal('following'), following: z.boolean() }),
  /** "I'm done" with the current step, or not. */
  z.strictObject({ type: z.literal('ready'), done: z.boolean() }),
  z.strictObject({ type: z.literal('react'), reaction: z.enum(REACTIONS), at: pointSchema }),
  /** The name this session shows in the ready check and on its reactions. */
  z.strictObject({ type: z.literal('name'), name: z.string().trim().min(1).max(60) }),
])
export type FacilitationAction = z.infer<typeof facilitationActionSchema>
export type FacilitationActionType = FacilitationAction['type']

export const timerSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('idle') }),
  /** Counting down to `endsAt` on the server's clock. */
  z.strictObject({ status: z.literal('running'), endsAt: z.number(), durationMs: z.number() }),
  z.strictObject({ status: z.literal('paused'), remainingMs: z.number(), durationMs: z.number() }),
])
export type TimerState = z.infer<typeof timerSchema>

export const facilitationPersonSchema = z.strictObject({
  personId: z.string(),
  name: z.string(),
})

/** The workshop as one session sees it. */
export const facilitationViewSchema = z.strictObject({
  step: stepRefSchema.nullable(),
  timer: timerSchema,
  /** The facilitator everyone is asked to follow, or null. */
  follow: z
    .strictObject({ personId: z.string(), name: z.string(), followers: z.array(z.string()) })
    .nullable(),
  /** The ready check for the current step: who is here to take part, and who is done. */
  ready: z.strictObject({
    participants: z.array(facilitationPersonSchema),
    done: z.array(z.string()),
  }),
})
export type FacilitationView = z.infer<typeof facilitationViewSchema>

/** What the server sends a session (inside tldraw's `custom` message). */
export const facilitationMessageSchema = z.discriminatedUnion('type', [
  /** Sent once the socket is connected: the token that proves this session's actions. */
  z.strictObject({
    type: z.literal('welcome'),
    token: z.string(),
    personId: z.string().nullable(),
  }),
  /** The state now, with the server's clock so timers agree across skewed laptops. */
  z.strictObject({ type: z.literal('state'), view: facilitationViewSchema, serverNow: z.number() }),
  /** The facilitator brings everyone to these bounds (`step`: the step's focus). */
  z.strictObject({
    type: z.literal('summon'),
    bounds: boundsSchema.nullable(),
    focus: z.string().nullable(),
  }),
  z.strictObject({
    type: z.literal('reaction'),
    reaction: z.enum(REACTIONS),
    at: pointSchema,
    name: z.string(),
    personId: z.string().nullable(),
  }),
])
export type FacilitationMessage = z.infer<typeof facilitationMessageSchema>

/** The answer to an accepted action; a refusal is an `ErrorBody` with its HTTP status. */
export const facilitationResultSchema = z.strictObject({ ok: z.literal(true) })
