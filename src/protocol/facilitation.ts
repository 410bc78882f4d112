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
import { cursorModeChoiceSchema, cursorsViewSchema } from './cursors'
import { shapeIdSchema } from './ids'
import {
  breakoutActionSchemas,
  breakoutViewSchema,
  handActionSchemas,
  handsViewSchema,
  presentActionSchemas,
  presentingSchema,
} from './big-rooms'

export const FACILITATION_LIMITS = {
  /** The longest timer: a whole day's workshop block. */
  maxTimerMs: 4 * 60 * 60 * 1000,
  minTimerMs: 5 * 1000,
  /** "Add a minute" adds this. */
  addTimerMs: 60 * 1000,
  /** Reactions one session may send in `reactionWindowMs`; more are refused. */
  reactionsPerWindow: 5,
  reactionWindowMs: 10 * 1000,
  /**
   * Reactions the whole board passes on per second: each goes to every session, so the
   * per-session limit alone lets a room's cost grow with how many sockets react.
   */
  reactionsPerBoardPerSecond: 10,
  /**
   * Actions one session may post: a burst of `actionBurst`, then `actionsPerSecond` (a token
   * bucket). Every vote is a storage write, so a script toggling a dot must not write
   * thousands a second; a person clicking dots fast makes a few a second.
   */
  actionBurst: 30,
  actionsPerSecond: 10,
  /** An action's body is a few fields (a vote's sticky list the longest): anything bigger is not one. */
  maxActionBytes: 24 * 1024,
  /** Stickies one vote may cover. */
  maxVoteStickies: 300,
  /** Votes one person may have in a vote. */
  maxVotesPerPerson: 20,
  /** Ended votes the board keeps; the oldest result goes first past it. */
  maxVoteResults: 50,
  /** A sticky's text as a result keeps it (the sticky may be gone later). */
  maxResultTextLength: 200,
  /** Hidden stickies one person may hold in a private brainstorm. */
  maxHiddenPerPerson: 200,
  /**
   * Hidden stickies the whole board may hold, and their record JSON in characters: a person
   * is only a key a browser makes up, so the per-person cap alone bounds nothing (they are
   * kept in memory, and the reveal puts them all on the board). 50 people × 40 stickies fit.
   */
  maxHiddenPerBoard: 2_000,
  maxHiddenBoardChars: 4 * 1024 * 1024,
  /** One person's hidden stickies' record JSON, in characters: a tenth of the board's. */
  maxHiddenCharsPerPerson: 400_000,
  /**
   * Past the board's caps, each person with a socket on the board keeps this reserve (a few
   * short stickies), so a flood from made-up keys cannot lock the room out; the board's socket
   * limit bounds what the reserves add up to.
   */
  reservedHiddenPerPerson: 20,
  reservedHiddenChars: 32_000,
  maxTitleLength: 80,
  /** Step changes the workshop remembers (the report's step times): a long day's worth. */
  maxStepLog: 200,
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

export { shapeIdSchema }

const voteTitleSchema = z.string().trim().min(1).max(FACILITATION_LIMITS.maxTitleLength)

/** Where a private brainstorm hides new stickies: anywhere on the board, or inside one frame. */
export const privateScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('board') }),
  z.strictObject({
    kind: z.literal('frame'),
    frameId: shapeIdSchema,
    label: z.string().trim().min(1).max(FACILITATION_LIMITS.maxTitleLength),
  }),
])
export type PrivateScope = z.infer<typeof privateScopeSchema>

/** What a session asks of the server. Who may ask what is decided in `src/server/rules/roles.ts`. */
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
  /**
   * Start a dot vote on these stickies (the client resolves a frame, zone or selection into
   * ids; the server keeps those that are stickies on the board). `scopeLabel` names it ("Frame:
   * Jobs"). `maxPerSticky` 1 means one dot per sticky.
   */
  z.strictObject({
    type: z.literal('vote-start'),
    title: voteTitleSchema,
    scopeLabel: voteTitleSchema,
    stickyIds: z.array(shapeIdSchema).min(1).max(FACILITATION_LIMITS.maxVoteStickies),
    votesPerPerson: z.number().int().min(1).max(FACILITATION_LIMITS.maxVotesPerPerson),
    maxPerSticky: z.number().int().min(1).max(FACILITATION_LIMITS.maxVotesPerPerson),
    anonymous: z.boolean(),
  }),
  /** Add one of my dots to a sticky (+1), or take one back (-1). */
  z.strictObject({
    type: z.literal('vote'),
    stickyId: shapeIdSchema,
    change: z.union([z.literal(1), z.literal(-1)]),
  }),
  /** End the vote and reveal its results to everyone. */
  z.strictObject({ type: z.literal('vote-end') }),
  /** Drop the vote without results. */
  z.strictObject({ type: z.literal('vote-cancel') }),
  /** Hide participants' new stickies (in the scope) from everyone but their author. */
  z.strictObject({
    type: z.literal('private-start'),
    scope: privateScopeSchema,
    /** Also start the timer for this long. */
    timerMs: z
      .number()
      .int()
      .min(FACILITATION_LIMITS.minTimerMs)
      .max(FACILITATION_LIMITS.maxTimerMs)
      .nullable(),
  }),
  /** Publish every hidden sticky at once and end private mode; `anonymous` drops authors. */
  z.strictObject({ type: z.literal('private-reveal'), anonymous: z.boolean() }),
  /** Drop one person's hidden stickies unseen (`person`: the handle in the counts). */
  z.strictObject({ type: z.literal('private-discard'), person: z.string().min(1).max(64) }),
  /** End private mode without revealing: every hidden sticky is dropped. */
  z.strictObject({ type: z.literal('private-end') }),
  /** Whose cursors everyone sees (crowd mode); kept with the workshop state. */
  z.strictObject({ type: z.literal('set-cursor-mode'), mode: cursorModeChoiceSchema }),
  // Big rooms (big-rooms.ts): breakout groups, presenting frames, raised hands.
  ...breakoutActionSchemas,
  ...presentActionSchemas,
  ...handActionSchemas,
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

/** A dot vote's settings, as the server keeps them and every session sees them. */
export const voteSettingsSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  scopeLabel: z.string(),
  stickyIds: z.array(z.string()),
  votesPerPerson: z.number().int(),
  maxPerSticky: z.number().int(),
  anonymous: z.boolean(),
  startedAt: z.number(),
})

/** A dot vote under way, as one session sees it. */
export const voteViewSchema = z.strictObject({
  ...voteSettingsSchema.shape,
  /** This person's own dots, by sticky id (never anyone else's). */
  mine: z.record(z.string(), z.number().int()),
  /** For the facilitator only: how many people have voted and how many dots are cast. */
  progress: z.strictObject({ voters: z.number().int(), cast: z.number().int() }).nullable(),
  /**
   * For the facilitator only: how many of those voters are on the board now. Only their
   * ballots count when the vote ends (a script can mint person keys, not sockets), so when it
   * is fewer the vote bar says "12 ballots from 9 people here".
   */
  here: z.number().int().nullable(),
})
export type VoteView = z.infer<typeof voteViewSchema>

/** An ended vote: totals only (and, for an open vote, who gave them). */
export const voteResultSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  scopeLabel: z.string(),
  anonymous: z.boolean(),
  votesPerPerson: z.number().int(),
  startedAt: z.number(),
  endedAt: z.number(),
  /** People who cast at least one dot. */
  voters: z.number().int(),
  /** Stickies with at least one dot, most first. */
  totals: z.array(
    z.strictObject({
      stickyId: z.string(),
      /** The sticky's text when the vote ended. */
      text: z.string(),
      count: z.number().int(),
      /** Who gave the dots, in an open vote; absent in an anonymous one. */
      names: z.array(z.string()).optional(),
    }),
  ),
})
export type VoteResult = z.infer<typeof voteResultSchema>

/** A private brainstorm under way, as one session sees it. */
export const privateViewSchema = z.strictObject({
  scope: privateScopeSchema,
  startedAt: z.number(),
  /** How many hidden stickies this person has. */
  mine: z.number().int(),
  /**
   * For the facilitator only: each author's count ("Ana: 4"), never their stickies; `person`
   * is a handle for discarding theirs (not their key).
   */
  counts: z
    .array(z.strictObject({ person: z.string(), name: z.string(), count: z.number().int() }))
    .nullable(),
})
export type PrivateView = z.infer<typeof privateViewSchema>

/**
 * When the workshop moved to each step, on the server's clock, oldest first: the report's
 * "time each step took" (the time from one entry to the next). The server keeps the newest
 * `FACILITATION_LIMITS.maxStepLog`.
 */
export const stepLogSchema = z.array(z.strictObject({ step: stepRefSchema, at: z.number() }))
export type StepLog = z.infer<typeof stepLogSchema>

/** The workshop as one session sees it. */
export const facilitationViewSchema = z.strictObject({
  step: stepRefSchema.nullable(),
  stepLog: stepLogSchema,
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
  vote: voteViewSchema.nullable(),
  private: privateViewSchema.nullable(),
  /** Crowd mode: the facilitator's choice, what is in force, and the editors it counted. */
  cursors: cursorsViewSchema,
  /** Breakout groups under way, as this person sees them (big-rooms.ts), or null. */
  breakouts: breakoutViewSchema.nullable(),
  /** The frames being presented as slides, or null. */
  presenting: presentingSchema.nullable(),
  /** Raised hands, as this person sees them. */
  hands: handsViewSchema,
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
  /** Every ended vote the board keeps, newest first: sent on joining and when a vote ends. */
  z.strictObject({ type: z.literal('vote-results'), results: z.array(voteResultSchema) }),
  /**
   * This person's hidden stickies (tldraw note records), to their own sockets only. `reset`:
   * these are all of them (on connecting); else changes made from another of their sockets.
   */
  z.strictObject({
    type: z.literal('private-notes'),
    reset: z.boolean(),
    puts: z.array(z.record(z.string(), z.unknown())),
    deletes: z.array(z.string()),
  }),
])
export type FacilitationMessage = z.infer<typeof facilitationMessageSchema>

/** The answer to an accepted action; a refusal is an `ErrorBody` with its HTTP status. */
export const facilitationResultSchema = z.strictObject({ ok: z.literal(true) })
