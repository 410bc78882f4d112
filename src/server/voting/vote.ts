/**
 * A board's dot votes: the one under way (its settings and every person's ballot) and the
 * results of ended ones, kept in storage so a crash loses nothing acknowledged. The rules are
 * in `vote-rules.ts`; this holds the state, writes it, and answers with a refusal or null.
 *
 * Storage values are capped at 128 KiB, so nothing here grows in one value: the running vote
 * is `vote` (its settings), each person's ballot is its own `ballot:<vote id>:<author>` key
 * (so a dot is one small put, whatever the room's size), and each result is its own
 * `vote-result:<id>:<piece>` keys beside a short index `vote-results` (newest first).
 *
 * The running vote's stickies' texts as they were at its start are kept too
 * (`vote-text:<vote id>:<piece>`, written with the vote in one put): a sticky deleted during
 * the vote is gone from the board by its end, and its result keeps the text it had.
 */
import { z } from 'zod'
import {
  FACILITATION_LIMITS,
  voteResultSchema,
  type FacilitationAction,
  type VoteResult,
  type VoteView,
} from '../../protocol/facilitation'
import { batches, splitText, type KeyValueStorage } from '../core/kv'
import {
  ballotSchema,
  castDot,
  dotsCast,
  newVote,
  tally,
  voteConfigSchema,
  voteView,
  type Ballot,
  type StickyLookup,
  type VoteConfig,
} from './vote-rules'

const VOTE_KEY = 'vote'
const BALLOT_PREFIX = 'ballot:'
const RESULTS_KEY = 'vote-results'
const RESULT_PREFIX = 'vote-result:'
const TEXT_PREFIX = 'vote-text:'

/** A result's pieces, with its index, must fit one put (128 keys). */
const MAX_RESULT_PIECES = 100

const ballotKey = (voteId: string, author: string) => `${BALLOT_PREFIX}${voteId}:${author}`
const resultKey = (id: string, piece: number) => `${RESULT_PREFIX}${id}:${piece}`
const textsPrefix = (voteId: string) => `${TEXT_PREFIX}${voteId}:`
const textKey = (voteId: string, piece: number) => `${textsPrefix(voteId)}${piece}`
/** The stored texts: sticky id to its text at the vote's start (as the result caps it). */
const textsSchema = z.record(z.string(), z.string())

/** The results index: each result's id and how many pieces its text was cut into. */
const resultsIndexSchema = z.array(z.strictObject({ id: z.string(), pieces: z.number().int() }))
type ResultsIndex = z.infer<typeof resultsIndexSchema>

/** Who casts a dot, as the server knows them. */
export interface Voter {
  /** Their author key; null for a session that came without one (an old tab). */
  author: string | null
  name: string
}

interface Running {
  config: VoteConfig
  scope: Set<string>
  ballots: Map<string, Ballot>
  /** Each sticky's text at the start: the result's text for one deleted since. */
  texts: Map<string, string>
  /** How many `vote-text:` pieces hold them. */
  textPieces: number
  /** People with at least one dot, and dots cast: kept as dots come and go, not recounted. */
  voters: number
  cast: number
}

type VoteAction = Extract<
  FacilitationAction,
  { type: 'vote-start' | 'vote' | 'vote-end' | 'vote-cancel' }
>

/** What changed, so the hub sends only what it must; or why nothing did. */
export type VoteOutcome =
  | { kind: 'refused'; reason: string }
  /** Everyone's view changed (a vote started or stopped); `results`: a new result too. */
  | { kind: 'all'; results: boolean }
  /** Only this author's ballot changed: their sessions' views and the facilitators'. */
  | { kind: 'ballot'; author: string }

export class Votes {
  private running: Running | null = null
  private index: ResultsIndex = []
  private ended: VoteResult[] = []

  constructor(
    private readonly storage: KeyValueStorage,
    /** A sticky on the board now, with its plain text; null when there is none. */
    private readonly sticky: StickyLookup,
    /**
     * Whether this author is on the board now (one of their sockets is open). A ballot counts
     * only from someone here when the vote ends: person keys are free to make up, so ballots
     * alone (which outlive sockets) bound nothing, while sockets are capped per address and
     * per board. Someone who reloads, or drops and comes back before the end, still counts.
     */
    private readonly here: (author: string) => boolean = () => true,
  ) {}

  /** Ended votes, newest first. */
  get results(): readonly VoteResult[] {
    return this.ended
  }

  async load(): Promise<void> {
    this.running = null
    const index = resultsIndexSchema.safeParse((await this.storage.get(RESULTS_KEY)) ?? [])
    this.index = index.success ? index.data : []
    const pieces = await this.storage.list<string>({ prefix: RESULT_PREFIX })
    this.ended = this.index.flatMap(({ id, pieces: count }) => {
      const text = Array.from({ length: count }, (_, i) => pieces.get(resultKey(id, i))).join('')
      try {
        return [voteResultSchema.parse(JSON.parse(text))]
      } catch {
        console.error(`vote result ${id} unreadable; left out`)
        return []
      }
    })

    const config = voteConfigSchema.safeParse(await this.storage.get(VOTE_KEY))
    const ballots = await this.storage.list<unknown>({ prefix: BALLOT_PREFIX })
    // A vote whose result was stored but whose ballots were not yet deleted (a crash between
    // the two writes) has ended: finish its clean-up.
    if (config.success && !this.index.some((r) => r.id === config.data.id)) {
      this.running = runningVote(config.data, await this.loadTexts(config.data.id))
      const prefix = ballotKey(config.data.id, '')
      for (const [key, value] of ballots) {
        const ballot = ballotSchema.safeParse(value)
        if (key.startsWith(prefix) && ballot.success) {
          this.addBallot(this.running, key.slice(prefix.length), ballot.data)
        }
      }
    }
    const keep = this.running ? ballotKey(this.running.config.id, '') : null
    const stale = [...ballots.keys()].filter((key) => !keep || !key.startsWith(keep))
    const keepTexts = this.running ? textsPrefix(this.running.config.id) : null
    for (const key of (await this.storage.list({ prefix: TEXT_PREFIX })).keys()) {
      if (!keepTexts || !key.startsWith(keepTexts)) stale.push(key)
    }
    if (!this.running && config.success) stale.push(VOTE_KEY)
    for (const keys of batches(stale)) await this.storage.delete(keys)
  }

  /** The vote as a session sees it: its author's dots, and progress for a facilitator. */
  view(author: string | null, facilitator: boolean): VoteView | null {
    const running = this.running
    if (!running) return null
    const ballot = author ? running.ballots.get(author) : undefined
    if (!facilitator) return voteView(running.config, ballot, null)
    const progress = { voters: running.voters, cast: running.cast }
    return voteView(running.config, ballot, progress, this.votersHere(running).length)
  }

  /** Applies a vote action: stored before it returns, so an answer means it is durable. */
  act(action: VoteAction, voter: Voter, now: number): Promise<VoteOutcome> {
    switch (action.type) {
      case 'vote-start':
        return this.start(action, now)
      case 'vote':
        return this.cast(action, voter)
      case 'vote-end':
        return this.end(now)
      case 'vote-cancel':
        return this.cancel()
    }
  }

  private async start(
    action: Extract<VoteAction, { type: 'vote-start' }>,
    now: number,
  ): Promise<VoteOutcome> {
    if (this.running) return refused('A vote is already running: end or cancel it first.')
    const config = newVote(action, { id: crypto.randomUUID(), now, sticky: this.sticky })
    if (typeof config === 'string') return refused(config)
    const texts = new Map<string, string>()
    for (const id of config.stickyIds) {
      texts.set(id, (this.sticky(id)?.text ?? '').slice(0, FACILITATION_LIMITS.maxResultTextLength))
    }
    const pieces = splitText(JSON.stringify(Object.fromEntries(texts)))
    // One put: the vote is never stored without its texts.
    await this.storage.put({
      [VOTE_KEY]: config,
      ...Object.fromEntries(pieces.map((piece, i) => [textKey(config.id, i), piece])),
    })
    this.running = runningVote(config, { texts, pieces: pieces.length })
    return { kind: 'all', results: false }
  }

  private async cast(
    action: Extract<VoteAction, { type: 'vote' }>,
    voter: Voter,
  ): Promise<VoteOutcome> {
    const running = this.running
    if (!running) return refused('No vote is running (it may have just ended).')
    if (!voter.author) {
      return refused('This tab cannot vote: it joined without a person key. Reload the page.')
    }
    const before = running.ballots.get(voter.author)
    const next = castDot(running.config, running.scope, before, action, (id) => !!this.sticky(id))
    if (typeof next === 'string') return refused(next)
    // Names are kept only where they will be shown (an open vote's results), and remembered
    // per person: a tab that has not said its name yet keeps the one given before.
    if (running.config.anonymous) next.name = ''
    else if (voter.name) next.name = voter.name
    await this.storage.put({ [ballotKey(running.config.id, voter.author)]: next })
    if (this.running !== running) return refused('The vote ended meanwhile.')
    this.removeBallot(running, voter.author)
    this.addBallot(running, voter.author, next)
    return { kind: 'ballot', author: voter.author }
  }

  private async end(now: number): Promise<VoteOutcome> {
    const running = this.running
    if (!running) return refused('No vote is running.')
    // A sticky deleted during the vote keeps the text it had when the vote started.
    const sticky = (id: string) => {
      const text = this.sticky(id)?.text ?? running.texts.get(id)
      return text === undefined ? null : { text }
    }
    const counted = this.votersHere(running).map((author) => running.ballots.get(author)!)
    let result = tally(running.config, counted, { now, sticky })
    let pieces = splitText(JSON.stringify(result))
    if (pieces.length > MAX_RESULT_PIECES) {
      // Only a huge open vote gets here: its totals matter more than who gave them.
      result = { ...result, totals: result.totals.map(({ names: _, ...total }) => total) }
      pieces = splitText(JSON.stringify(result))
    }
    const index = [{ id: result.id, pieces: pieces.length }, ...this.index]
    const dropped = index.splice(FACILITATION_LIMITS.maxVoteResults)
    // The result and its index in one put (atomic): once it lands the vote has ended, and a
    // crash before the clean-up below is finished by `load`.
    await this.storage.put({
      ...Object.fromEntries(pieces.map((piece, i) => [resultKey(result.id, i), piece])),
      [RESULTS_KEY]: index,
    })
    this.running = null
    this.index = index
    this.ended = [result, ...this.ended].slice(0, FACILITATION_LIMITS.maxVoteResults)
    await this.clear(running, [
      ...dropped.flatMap(({ id, pieces: count }) =>
        Array.from({ length: count }, (_, i) => resultKey(id, i)),
      ),
    ])
    return { kind: 'all', results: true }
  }

  private async cancel(): Promise<VoteOutcome> {
    const running = this.running
    if (!running) return refused('No vote is running.')
    await this.storage.delete([VOTE_KEY])
    this.running = null
    await this.clear(running, [])
    return { kind: 'all', results: false }
  }

  /** Deletes a finished vote's ballots (and `also`). */
  private async clear(running: Running, also: string[]) {
    const id = running.config.id
    const keys = [
      VOTE_KEY,
      ...[...running.ballots.keys()].map((a) => ballotKey(id, a)),
      ...Array.from({ length: running.textPieces }, (_, i) => textKey(id, i)),
      ...also,
    ]
    for (const batch of batches(keys)) await this.storage.delete(batch)
  }

  /** The stored texts of a running vote (none when unreadable: a deleted sticky's text is ''). */
  private async loadTexts(voteId: string): Promise<{ texts: Map<string, string>; pieces: number }> {
    const stored = await this.storage.list<string>({ prefix: textsPrefix(voteId) })
    const text = Array.from({ length: stored.size }, (_, i) => stored.get(textKey(voteId, i))).join(
      '',
    )
    try {
      return {
        texts: new Map(Object.entries(textsSchema.parse(JSON.parse(text)))),
        pieces: stored.size,
      }
    } catch {
      if (stored.size > 0) console.error(`vote ${voteId}: its stickies' texts unreadable`)
      return { texts: new Map(), pieces: stored.size }
    }
  }

  /** The authors with at least one dot who are on the board now: the ballots that count. */
  private votersHere(running: Running): string[] {
    const here: string[] = []
    for (const [author, ballot] of running.ballots) {
      if (dotsCast(ballot) > 0 && this.here(author)) here.push(author)
    }
    return here
  }

  private addBallot(running: Running, author: string, ballot: Ballot) {
    const cast = dotsCast(ballot)
    running.ballots.set(author, ballot)
    running.cast += cast
    if (cast > 0) running.voters++
  }

  private removeBallot(running: Running, author: string) {
    const ballot = running.ballots.get(author)
    if (!ballot) return
    const cast = dotsCast(ballot)
    running.ballots.delete(author)
    running.cast -= cast
    if (cast > 0) running.voters--
  }
}

function runningVote(
  config: VoteConfig,
  stored: { texts: Map<string, string>; pieces: number },
): Running {
  return {
    config,
    scope: new Set(config.stickyIds),
    ballots: new Map(),
    texts: stored.texts,
    textPieces: stored.pieces,
    voters: 0,
    cast: 0,
  }
}

function refused(reason: string): VoteOutcome {
  return { kind: 'refused', reason }
}
