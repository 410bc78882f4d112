/**
 * A board's facilitation hub: the workshop state (step, timer, follow, ready check), the
 * sessions that may act on it, and what each session is sent.
 *
 * A session joins when its socket has connected to the sync room; it is sent a token (over its
 * own socket, so only it holds it) and the state. Its actions come back over HTTP with that
 * token, so the server knows who acts and with which role without trusting the body. An
 * action is checked (schema, role, the rules in `facilitation-state.ts`), stored, and only then
 * sent to everyone: a change the facilitator saw acknowledged survives a crash.
 *
 * What a session is sent must not grow with how often others act (anyone, a viewer too, may
 * post a few actions a second): each session's view holds only what concerns it (the roster,
 * names and followers are the facilitator's), a change is offered only to the sessions whose
 * view it touches, and states are paced per session (`state-pacer.ts`), the latest always sent.
 */
import {
  FACILITATION_LIMITS,
  facilitationActionSchema,
  type FacilitationAction,
  type FacilitationMessage,
  type FacilitationView,
  type PrivateScope,
  type PrivateView,
} from '../../protocol/facilitation'
import type { Role } from '../../protocol'
import type { AgendaSection } from '../../board/agenda'
import {
  INITIAL_STATE,
  applyAction,
  facilitationStateSchema,
  type FacilitationState,
} from './facilitation-state'
import type { KeyValueStorage } from '../core/kv'
import { FACILITATION_PERMISSIONS, mintSecret } from '../rules/roles'
import { Votes, type VoteOutcome } from '../voting/vote'
import { fromRichText } from '../../board/rich-text'
import { isBackground } from '../../board/shape-meta'
import { PersonClaims } from './person-claims'
import { StatePacer } from './state-pacer'
import { CrowdMode } from '../presence/crowd-mode'
import {
  assignLatecomer,
  breakoutView,
  breakoutViews,
  groupOf,
  renameMember,
  type BreakoutViews,
} from './breakouts'
import { HAND_AWAY_MS, handsTouched, handsView, lowerHands } from './hands'

const STATE_KEY = 'facilitation'

export interface FacilitationHost {
  readonly storage: KeyValueStorage
  now(): number
  /** The board's agenda now (from its document record). */
  agenda(): AgendaSection[]
  /** Sends one session a message, after whatever the sync room sent it before. */
  send(sessionId: string, message: FacilitationMessage): void
  /** The private brainstorm, which lives beside the sync room (private-notes.ts). */
  readonly brainstorm?: BrainstormHost
  /** A record of the board as it stands (a sticky a vote names); none: no board records. */
  record?(id: string): BoardRecord | undefined
  /** Runs `task` in `ms` (default: setTimeout): a paced state's send. */
  later?(task: () => void, ms: number): void
  /** Crowd mode, which the cursor lane reads (default: one of its own that tells nobody). */
  readonly crowd?: CrowdMode
}

/**
 * How states are paced per session: a burst at once (a facilitator's quick clicks, a few
 * people joining), then one per window. 150 ms is under what a person notices on a timer or
 * a step; a flood from any number of sockets costs each session at most ~7 states a second.
 */
export const STATE_PACE = { burst: 10, intervalMs: 150 } as const

/** What the hub asks of the private brainstorm: its view per session, start and reveal. */
export interface BrainstormHost {
  view(who: SessionIdentity): PrivateView | null
  /** Turns private mode on (durably), or says why not. */
  start(scope: PrivateScope): Promise<ActResult>
  /** Publishes every hidden sticky and ends private mode (durably), or says why not. */
  reveal(anonymous: boolean): Promise<ActResult>
  /** Drops one person's hidden stickies (by their handle in the counts), durably. */
  discard(person: string): Promise<ActResult>
  /** Ends private mode without revealing: every hidden sticky is dropped, durably. */
  end(): Promise<ActResult>
}

/** The fields of a board record the hub reads (a tldraw record; loosely typed on purpose). */
export interface BoardRecord {
  typeName: string
  type?: string
  props?: unknown
  meta?: unknown
}

/** Who a socket is, as the server admitted it. */
export interface SessionIdentity {
  role: Role
  personId: string | null
  /** The hash of its person key: whose ballot and hidden stickies it holds (null: nobody's). */
  author: string | null
}

interface Session extends SessionIdentity {
  name: string
  token: string
  following: boolean
  /** When this session's recent reactions were sent, for the rate limit. */
  reactions: number[]
  /** The actions this session may still post now (a token bucket), and when it was filled. */
  allowance: number
  allowanceAt: number
  /** The view last sent to this session (as JSON), so an unchanged one is not sent again. */
  lastView: string
}

/** An action's answer: accepted, or the HTTP status and message of its refusal. */
export type ActResult = { ok: true } | { ok: false; status: number; error: string }

export class Facilitation {
  private state: FacilitationState = INITIAL_STATE
  private readonly sessions = new Map<string, Session>()
  private readonly sessionByToken = new Map<string, string>()
  /** State changes run one at a time: each is stored before the next is decided. */
  private queue: Promise<unknown> = Promise.resolve()
  private readonly votes: Votes
  private readonly pacer: StatePacer
  private readonly claims = new PersonClaims((personId) =>
    [...this.sessions.values()].some((s) => s.personId === personId),
  )
  /** When the board's recent reactions were passed on (the board-wide reaction limit). */
  private boardReactions: number[] = []
  /** Sessions open per author (person key hash): who is on the board, for the vote's count. */
  private readonly authorsHere = new Map<string, number>()
  /** The shared parts of the views, made once per change rather than once per session. */
  private shared: { full: SharedView; slim: SharedView; breakouts: BreakoutViews | null } | null =
    null
  /** Whose cursors are sent: the stored choice and the editors present (crowd-mode.ts). */
  private readonly crowd: CrowdMode
  /** Person id → since when none of their sockets is here, for those with a hand up (hands.ts). */
  private readonly handAway = new Map<string, number>()

  constructor(private readonly host: FacilitationHost) {
    this.crowd = host.crowd ?? new CrowdMode()
    this.votes = new Votes(
      host.storage,
      (id) => stickyOnBoard(host.record?.(id)),
      (author) => this.authorsHere.has(author),
    )
    this.pacer = new StatePacer({
      ...STATE_PACE,
      now: () => host.now(),
      later: host.later ?? ((task, ms) => void setTimeout(task, ms)),
      send: (sessionId) => this.sendState(sessionId),
    })
  }

  async load(): Promise<void> {
    await this.votes.load()
    const stored = await this.host.storage.get(STATE_KEY)
    if (stored === undefined) return
    const parsed = facilitationStateSchema.safeParse(stored)
    if (parsed.success) this.state = parsed.data
    else console.error('facilitation state unreadable; starting afresh')
    this.crowd.update({ chosen: this.state.cursorMode })
    // After a restart nobody is here yet: each hand has the same grace to come back in.
    for (const hand of this.state.hands) this.awayFrom(hand.personId)
  }

  /** A socket connected to the room: give it its token and the state. */
  join(sessionId: string, who: SessionIdentity): void {
    const token = mintSecret()
    // A public person id counts only with the person key that first came with it; a tab with
    // no key (an old one) may use an id no key has claimed (see `personIdOf`).
    const personId =
      who.author === null ? who.personId : this.claims.claim(who.personId, who.author)
    this.sessions.set(sessionId, {
      ...who,
      personId,
      name: '',
      token,
      following: false,
      reactions: [],
      allowance: FACILITATION_LIMITS.actionBurst,
      allowanceAt: this.host.now(),
      lastView: '',
    })
    this.sessionByToken.set(token, sessionId)
    const joined = this.personIdOf(this.sessions.get(sessionId)!)
    if (joined !== null) this.handAway.delete(joined)
    if (who.author !== null) {
      this.authorsHere.set(who.author, (this.authorsHere.get(who.author) ?? 0) + 1)
    }
    // The view goes before the results: a client that has results always knows whether a vote
    // is running, so it never shows a finished vote's counts over a running one's ballot.
    this.host.send(sessionId, {
      type: 'welcome',
      token,
      personId: this.personIdOf(this.sessions.get(sessionId)!),
    })
    // A newcomer changes the facilitator's roster (and, with a ballot, the vote's "here"; in
    // breakouts, who is here in their group); an editor also the count everyone's crowd mode
    // shows.
    const session = this.sessions.get(sessionId)!
    this.broadcastState(this.countEditors() ? undefined : this.concerning(session))
    this.pacer.now(sessionId)
    this.host.send(sessionId, { type: 'vote-results', results: [...this.votes.results] })
    if (who.role === 'participant' && this.state.breakouts?.assign === 'random') {
      const run = () => this.seatLatecomer(sessionId)
      const seated = this.queue.then(run, run)
      this.queue = seated
      seated.catch((error: unknown) => console.error('latecomer not seated in a group', error))
    }
  }

  /**
   * A participant joined during random breakouts: one without a group is put in the smallest,
   * stored like any action (through the queue, before anyone is told), and sent to its copy.
   */
  private async seatLatecomer(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId)
    if (!session) return
    const outcome = assignLatecomer(this.state, {
      personId: this.personIdOf(session),
      name: session.name,
    })
    if (outcome.kind !== 'changed') return
    await this.host.storage.put({ [STATE_KEY]: outcome.state })
    this.state = outcome.state
    this.broadcastState(this.concerning(session), (s) => s === session)
    if (outcome.summonEach) this.summonEach(outcome.summonEach)
  }

  /** The name a session goes by now ('' until it said one). */
  nameOf(sessionId: string): string {
    return this.sessions.get(sessionId)?.name ?? ''
  }

  /** Something a view shows changed outside the hub (a hidden sticky count): tell who sees it. */
  refresh(): void {
    this.broadcastState()
  }

  leave(sessionId: string): void {
    const session = this.sessions.get(sessionId)
    if (!session) return
    const personId = this.personIdOf(session)
    this.sessions.delete(sessionId)
    if (personId !== null && this.state.hands.some((hand) => hand.personId === personId)) {
      const stillHere = [...this.sessions.values()].some((s) => this.personIdOf(s) === personId)
      if (!stillHere) this.awayFrom(personId)
    }
    this.sessionByToken.delete(session.token)
    if (session.author !== null) {
      const open = (this.authorsHere.get(session.author) ?? 1) - 1
      if (open > 0) this.authorsHere.set(session.author, open)
      else this.authorsHere.delete(session.author)
    }
    this.pacer.leave(sessionId)
    this.broadcastState(this.countEditors() ? undefined : this.concerning(session))
  }

  /** An action posted with a session's token. */
  act(token: string | null, body: unknown): Promise<ActResult> {
    const sessionId = token ? this.sessionByToken.get(token) : undefined
    const session = sessionId ? this.sessions.get(sessionId) : undefined
    if (!sessionId || !session) {
      return Promise.resolve(refusal(401, 'This session is not connected to the board; reload.'))
    }
    if (!takeAllowance(session, this.host.now())) {
      return Promise.resolve(
        refusal(429, 'Too many actions at once from this tab: wait a second and try again.'),
      )
    }
    const parsed = facilitationActionSchema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return Promise.resolve(
        refusal(
          400,
          `Not a facilitation action: ${issue?.path.join('.') || '(body)'}: ${issue?.message}`,
        ),
      )
    }
    const action = parsed.data
    if (!FACILITATION_PERMISSIONS[action.type].includes(session.role)) {
      return Promise.resolve(refusal(403, `A ${session.role} cannot do this (${action.type}).`))
    }
    const run = () => this.apply(sessionId, session, action)
    const result = this.queue.then(run, run)
    this.queue = result
    return result
  }

  private async apply(
    sessionId: string,
    session: Session,
    action: FacilitationAction,
  ): Promise<ActResult> {
    const now = this.host.now()
    switch (action.type) {
      case 'react': {
        const window = now - FACILITATION_LIMITS.reactionWindowMs
        session.reactions = session.reactions.filter((at) => at > window)
        if (session.reactions.length >= FACILITATION_LIMITS.reactionsPerWindow) {
          return refusal(429, 'Too many reactions at once: wait a few seconds.')
        }
        const second = now - 1000
        this.boardReactions = this.boardReactions.filter((at) => at > second)
        if (this.boardReactions.length >= FACILITATION_LIMITS.reactionsPerBoardPerSecond) {
          return refusal(429, 'Many people are reacting right now: try again in a moment.')
        }
        this.boardReactions.push(now)
        session.reactions.push(now)
        this.broadcast({
          type: 'reaction',
          reaction: action.reaction,
          at: action.at,
          name: session.name || 'Someone',
          personId: this.personIdOf(session),
        })
        return { ok: true }
      }
      case 'summon':
        this.broadcast({ type: 'summon', bounds: action.bounds, focus: null }, sessionId)
        return { ok: true }
      case 'following':
        // The followers list is the facilitator's alone: nobody else is sent anything.
        session.following = action.following
        this.broadcastState(isFacilitator)
        return { ok: true }
      case 'name': {
        // Names show in the facilitator's roster (and on reactions, which carry their own) and
        // in the person's breakout group, which keeps the name (stored only when it changed).
        session.name = action.name
        const renamed = renameMember(this.state, this.personIdOf(session), action.name)
        if (renamed) {
          await this.host.storage.put({ [STATE_KEY]: renamed })
          this.state = renamed
        }
        this.broadcastState(renamed ? this.concerning(session) : isFacilitator)
        await this.renameHand(session, now)
        return { ok: true }
      }
      case 'vote-start':
      case 'vote':
      case 'vote-end':
      case 'vote-cancel':
        return this.afterVote(await this.votes.act(action, session, now), session)
      case 'private-start':
      case 'private-reveal':
      case 'private-discard':
      case 'private-end':
        return this.brainstormAction(action, now)
    }
    const participantsHere = () => this.participantsHere()
    const outcome = applyAction(this.state, action, {
      now,
      actor: {
        personId: this.personIdOf(session),
        name: session.name || (isFacilitator(session) ? 'The facilitator' : 'Anonymous'),
      },
      agenda: this.host.agenda(),
      isFrame: (id) => {
        const record = this.host.record?.(id)
        return record?.typeName === 'shape' && record.type === 'frame'
      },
      // Only the breakouts' rules read who is here: worked out when they ask, not on every
      // timer tick and ready click (a pass over every session).
      get present() {
        return participantsHere()
      },
    })
    if (outcome.kind === 'refused') return refusal(409, outcome.reason)
    if (outcome.kind === 'unchanged') return { ok: true }
    await this.host.storage.put({ [STATE_KEY]: outcome.state })
    const before = this.state
    this.state = outcome.state
    this.crowd.update({ chosen: this.state.cursorMode })
    if (action.type === 'follow-start' || action.type === 'follow-stop') {
      for (const other of this.sessions.values()) other.following = false
    }
    if (isHandAction(action)) {
      // Only the facilitators' and the hands' views change (see `handsTouched`).
      const touched = handsTouched(before, this.state)
      this.broadcastHandsState(touched, session)
      return { ok: true }
    }
    if (action.type === 'ready') {
      // Only the facilitator sees who is done; a participant sees whether they are, and in
      // breakouts their group's count.
      this.broadcastState(this.concerning(session), (s) => s === session)
      return { ok: true }
    }
    this.broadcastState(undefined, (s) => s === session)
    if (outcome.summonEach) this.summonEach(outcome.summonEach, sessionId)
    if (outcome.summonFocus !== undefined) {
      // Everyone has the step before being moved to its focus.
      this.pacer.flush()
      this.broadcast({ type: 'summon', bounds: null, focus: outcome.summonFocus }, sessionId)
    }
    return { ok: true }
  }

  /**
   * Sends each person's sessions (but the actor's) to a shape of their own, once everyone has
   * the state that explains it (their breakout group's copy).
   */
  private summonEach(summons: readonly { personId: string; focus: string }[], except?: string) {
    this.pacer.flush()
    const focusOf = new Map(summons.map((s) => [s.personId, s.focus]))
    for (const [sessionId, session] of this.sessions) {
      const personId = this.personIdOf(session)
      const focus = personId === null ? undefined : focusOf.get(personId)
      if (focus && sessionId !== except) {
        this.host.send(sessionId, { type: 'summon', bounds: null, focus })
      }
    }
  }

  /**
   * Whose view a change to this session's person touches: the facilitators', the person's own
   * sessions', and in breakouts their group's (who is here, their name, the group's ready count).
   */
  private concerning(session: Session): (other: Session) => boolean {
    const personId = this.personIdOf(session)
    const group = groupOf(this.state, personId)
    return (other) => {
      if (isFacilitator(other)) return true
      const otherId = this.personIdOf(other)
      if (personId !== null && otherId === personId) return true
      return group !== undefined && groupOf(this.state, otherId) === group
    }
  }

  /**
   * Offers the hands' change to the facilitators and to `touched`'s sessions (the actor's own
   * at once: it answers their press), leaving everyone else's view uncomputed.
   */
  private broadcastHandsState(touched: ReadonlySet<string>, actor?: Session): void {
    this.broadcastState(
      (s) => {
        const personId = this.personIdOf(s)
        return isFacilitator(s) || (personId !== null && touched.has(personId))
      },
      (s) => s === actor,
    )
  }

  /** A raised hand shows the name its person goes by now (stored, for the queue's sake). */
  private async renameHand(session: Session, now: number): Promise<void> {
    const personId = this.personIdOf(session)
    const hand = this.state.hands.find((h) => h.personId === personId)
    if (!hand || hand.name === session.name) return
    const actor = { personId, name: session.name }
    const renamed = applyAction(this.state, { type: 'hand-raise' }, { now, actor, agenda: [] })
    if (renamed.kind !== 'changed') return
    await this.host.storage.put({ [STATE_KEY]: renamed.state })
    this.state = renamed.state
    this.broadcastHandsState(new Set())
  }

  /** None of this person's sockets is here now: their hand goes down unless they are back soon. */
  private awayFrom(personId: string): void {
    this.handAway.set(personId, this.host.now())
    const later = this.host.later ?? ((task, ms) => void setTimeout(task, ms))
    later(() => this.lowerAwayHands(), HAND_AWAY_MS)
  }

  /** Lowers (durably) the hands of those away for `HAND_AWAY_MS`, in turn with the actions. */
  private lowerAwayHands(): void {
    const run = async () => {
      const now = this.host.now()
      const gone = new Set<string>()
      for (const [personId, since] of this.handAway) {
        if (now - since >= HAND_AWAY_MS) gone.add(personId)
      }
      for (const personId of gone) this.handAway.delete(personId)
      const next = lowerHands(this.state, (personId) => gone.has(personId))
      if (!next) return
      await this.host.storage.put({ [STATE_KEY]: next })
      const before = this.state
      this.state = next
      this.broadcastHandsState(handsTouched(before, next))
    }
    const result = this.queue.then(run, run).catch((error: unknown) => {
      console.error('raised hands: could not lower the hands of those who left', error)
    })
    this.queue = result
  }

  /** The participants on the board now, each person once, with the name they go by. */
  private participantsHere(): { personId: string; name: string }[] {
    const here = new Map<string, string>()
    for (const session of this.sessions.values()) {
      const personId = this.personIdOf(session)
      if (session.role !== 'participant' || personId === null) continue
      const named = here.get(personId)
      if (!named || named === 'Anonymous') here.set(personId, session.name || 'Anonymous')
    }
    return [...here].map(([personId, name]) => ({ personId, name }))
  }

  /** Sends what a vote action changed to those it changed for. */
  private afterVote(outcome: VoteOutcome, actor: Session): ActResult {
    if (outcome.kind === 'refused') return refusal(409, outcome.reason)
    if (outcome.kind === 'ballot') {
      // A dot changes its voter's view and the facilitators' progress, no one else's.
      // The voter's own sessions at once (their count is their click's answer), the
      // facilitators' progress paced.
      const { author } = outcome
      this.broadcastState(
        (s) => s.author === author || isFacilitator(s),
        (s) => s.author === author,
      )
      return { ok: true }
    }
    this.broadcastState(undefined, (s) => s === actor)
    // A client that has results always knows the vote has ended: the state goes first.
    this.pacer.flush()
    if (outcome.results) this.broadcast({ type: 'vote-results', results: [...this.votes.results] })
    return { ok: true }
  }

  /**
   * Starts or reveals the private brainstorm (private-notes.ts keeps it); a start with a timer
   * also starts the workshop's timer, stored like any other timer start.
   */
  private async brainstormAction(
    action: Extract<FacilitationAction, { type: `private-${string}` }>,
    now: number,
  ): Promise<ActResult> {
    const brainstorm = this.host.brainstorm
    if (!brainstorm) return refusal(409, 'This board has no private brainstorm.')
    if (action.type !== 'private-start') {
      const done =
        action.type === 'private-reveal'
          ? await brainstorm.reveal(action.anonymous)
          : action.type === 'private-discard'
            ? await brainstorm.discard(action.person)
            : await brainstorm.end()
      this.broadcastState()
      return done
    }
    const started = await brainstorm.start(action.scope)
    if (!started.ok) return started
    if (action.timerMs !== null) {
      const timer = applyAction(
        this.state,
        { type: 'timer-start', durationMs: action.timerMs },
        { now, actor: { personId: null, name: '' }, agenda: [] },
      )
      if (timer.kind === 'changed') {
        await this.host.storage.put({ [STATE_KEY]: timer.state })
        this.state = timer.state
      }
    }
    this.broadcastState()
    return { ok: true }
  }

  /** The state as `session` sees it: what everyone sees, and what is its own. */
  private view(session: Session): FacilitationView {
    this.shared ??= this.sharedViews()
    const facilitator = isFacilitator(session)
    const vote = this.votes.view(session.author, facilitator)
    const priv = this.host.brainstorm?.view(session) ?? null
    const personId = this.personIdOf(session)
    const who = { personId, facilitator }
    const own = {
      vote,
      private: priv,
      breakouts: breakoutView(this.shared.breakouts, this.state, who),
      hands: handsView(this.state, who),
    }
    if (facilitator) return { ...this.shared.full, ...own }
    const done = personId !== null && this.state.done.includes(personId) ? [personId] : []
    const { slim } = this.shared
    return { ...slim, ready: { participants: [], done }, ...own }
  }

  /**
   * The parts of the state sessions see alike: the facilitator's, with who is here, who is
   * done and who follows; everyone else's, without them (a participant's own "done" is
   * added per session). The roster is by person id, each id used only by the person key
   * that claimed it (`PersonClaims`), so only that person's own sockets name them.
   */
  private sharedViews(): { full: SharedView; slim: SharedView; breakouts: BreakoutViews | null } {
    const followers: string[] = []
    for (const session of this.sessions.values()) {
      if (session.following) followers.push(session.name || 'Anonymous')
    }
    const { step, stepLog, timer, follow, done, presenting } = this.state
    const cursors = this.crowd.view
    const participants = this.participantsHere()
    return {
      breakouts: breakoutViews(this.state, new Set(participants.map((p) => p.personId))),
      full: {
        cursors,
        presenting,
        step,
        stepLog,
        timer,
        follow: follow ? { ...follow, followers } : null,
        ready: { participants, done },
      },
      slim: {
        cursors,
        presenting,
        step,
        stepLog,
        timer,
        follow: follow ? { ...follow, followers: [] } : null,
        ready: { participants: [], done: [] },
      },
    }
  }

  /** Tells crowd mode how many editors are here: true when the cursors view changed. */
  private countEditors(): boolean {
    let editors = 0
    for (const session of this.sessions.values()) if (session.role !== 'viewer') editors++
    return this.crowd.update({ editors })
  }

  /**
   * The person id a session acts and shows as in the workshop: its claimed one (with a person
   * key), or, for a tab without a key, the one it asked for while no key has claimed it.
   */
  private personIdOf(session: Session): string | null {
    if (session.author !== null || session.personId === null) return session.personId
    return this.claims.owner(session.personId) === undefined ? session.personId : null
  }

  /**
   * Something changed: offers their state to the sessions it may concern (`only`; all by
   * default), paced, except those whose own action it answers (`now`), sent at once.
   */
  private broadcastState(
    only?: (session: Session) => boolean,
    now?: (session: Session) => boolean,
  ): void {
    this.shared = null
    for (const [sessionId, session] of this.sessions) {
      if (only && !only(session)) continue
      if (now?.(session)) this.pacer.now(sessionId)
      else this.pacer.offer(sessionId)
    }
  }

  /**
   * Sends the session its view of the state now, unless it is the one it has (a name said
   * again, a dot that changes only others' views): false when nothing was sent.
   */
  private sendState(sessionId: string): boolean {
    const session = this.sessions.get(sessionId)
    if (!session) return false
    const view = this.view(session)
    const key = JSON.stringify(view)
    if (key === session.lastView) return false
    session.lastView = key
    // The server's clock as it sends, so a paced state still puts the timer right.
    this.host.send(sessionId, { type: 'state', view, serverNow: this.host.now() })
    return true
  }

  private broadcast(message: FacilitationMessage, except?: string): void {
    for (const sessionId of this.sessions.keys()) {
      if (sessionId !== except) this.host.send(sessionId, message)
    }
  }
}

type SharedView = Omit<FacilitationView, 'vote' | 'private' | 'breakouts' | 'hands'>

/**
 * A sticky's plain text (one line), or null for anything that is not a sticky someone wrote:
 * another shape, or a template's prompt sticky (background).
 */
function stickyOnBoard(record: BoardRecord | undefined): { text: string } | null {
  if (record?.typeName !== 'shape' || record.type !== 'note') return null
  if (isBackground({ meta: record.meta })) return null
  // Whatever the record holds: the reader never throws (a malformed sticky reads as its words).
  const props = record.props as { richText?: unknown } | null | undefined
  return { text: fromRichText(props?.richText).replace(/\s+/g, ' ').trim() }
}

/** Whether the session may act now (one action from its token bucket; see FACILITATION_LIMITS). */
function takeAllowance(session: Session, now: number): boolean {
  const { actionBurst, actionsPerSecond } = FACILITATION_LIMITS
  const refill = (Math.max(0, now - session.allowanceAt) / 1000) * actionsPerSecond
  session.allowance = Math.min(actionBurst, session.allowance + refill)
  session.allowanceAt = now
  if (session.allowance < 1) return false
  session.allowance -= 1
  return true
}

function isHandAction(action: FacilitationAction): boolean {
  return (
    action.type === 'hand-raise' ||
    action.type === 'hand-lower' ||
    action.type === 'hand-lower-for' ||
    action.type === 'hands-clear'
  )
}

function isFacilitator(session: Session): boolean {
  return session.role === 'facilitator'
}

function refusal(status: number, error: string): ActResult {
  return { ok: false, status, error }
}
