/**
 * A dot vote's rules, as pure functions over plain data: which stickies a vote covers, whether
 * a dot may be added or taken back, what one person's view of the vote is, and the totals an
 * ended vote leaves. `vote.ts` keeps the state and its storage; these decide, so every rule is
 * unit-tested without storage or a room.
 *
 * Ballots are keyed by author key (the hash of a browser's person key), never by person id:
 * the person id is public, and a ballot in an anonymous vote is its owner's alone.
 */
import { z } from 'zod'
import {
  FACILITATION_LIMITS,
  voteSettingsSchema,
  type FacilitationAction,
  type VoteResult,
  type VoteView,
} from '../../protocol/facilitation'

/** A vote under way as stored (the `vote` key): its settings, not its ballots. */
export const voteConfigSchema = voteSettingsSchema
export type VoteConfig = z.infer<typeof voteConfigSchema>

/** One person's dots (a `ballot:<vote>:<author>` key). `name` only in an open vote. */
export const ballotSchema = z.strictObject({
  name: z.string(),
  dots: z.record(z.string(), z.number().int().min(1)),
})
export type Ballot = z.infer<typeof ballotSchema>

type StartAction = Extract<FacilitationAction, { type: 'vote-start' }>
type CastAction = Extract<FacilitationAction, { type: 'vote' }>

/** What a sticky on the board is to a vote: there (with its plain text) or not. */
export type StickyLookup = (id: string) => { text: string } | null

/** The settings of a new vote, or why it cannot start. */
export function newVote(
  action: StartAction,
  context: { id: string; now: number; sticky: StickyLookup },
): VoteConfig | string {
  // Only the stickies on the board now: a client's list may name anything.
  const stickyIds = [...new Set(action.stickyIds)].filter((id) => context.sticky(id) !== null)
  if (stickyIds.length === 0) return 'There are no stickies to vote on in that scope.'
  return {
    id: context.id,
    title: action.title,
    scopeLabel: action.scopeLabel,
    stickyIds,
    votesPerPerson: action.votesPerPerson,
    maxPerSticky: Math.min(action.maxPerSticky, action.votesPerPerson),
    anonymous: action.anonymous,
    startedAt: context.now,
  }
}

/** The dots this ballot has cast. */
export function dotsCast(ballot: Ballot | undefined): number {
  let cast = 0
  for (const count of Object.values(ballot?.dots ?? {})) cast += count
  return cast
}

/**
 * The ballot after adding or taking back one dot, or why not. `inScope` is the vote's sticky
 * set; `onBoard` says whether the sticky is still there (a dot goes only on one that is).
 */
export function castDot(
  config: VoteConfig,
  inScope: ReadonlySet<string>,
  ballot: Ballot | undefined,
  action: CastAction,
  onBoard: (id: string) => boolean,
): Ballot | string {
  const { stickyId, change } = action
  if (!inScope.has(stickyId)) return 'That sticky is not part of this vote.'
  const dots = { ...ballot?.dots }
  const here = dots[stickyId] ?? 0
  if (change === -1) {
    if (here === 0) return 'You have no dot on that sticky to take back.'
    if (here === 1) delete dots[stickyId]
    else dots[stickyId] = here - 1
  } else {
    if (dotsCast(ballot) >= config.votesPerPerson) {
      return `You have no votes left (${config.votesPerPerson} each): take one back first.`
    }
    if (here >= config.maxPerSticky) {
      return config.maxPerSticky === 1
        ? 'One vote per sticky: you have voted for this one already.'
        : `At most ${config.maxPerSticky} votes per sticky.`
    }
    if (!onBoard(stickyId)) return 'That sticky is no longer on the board.'
    dots[stickyId] = here + 1
  }
  return { name: ballot?.name ?? '', dots }
}

/** The vote as one person sees it: their own dots, and progress for a facilitator only. */
export function voteView(
  config: VoteConfig,
  ballot: Ballot | undefined,
  progress: { voters: number; cast: number } | null,
  here: number | null = null,
): VoteView {
  return { ...config, mine: { ...ballot?.dots }, progress, here }
}

/**
 * The result of an ended vote: the stickies with at least one dot, most first (ties in the
 * vote's own order), each with its text now; who gave the dots only in an open vote.
 */
export function tally(
  config: VoteConfig,
  ballots: Iterable<Ballot>,
  context: { now: number; sticky: StickyLookup },
): VoteResult {
  const counts = new Map<string, number>()
  const names = new Map<string, string[]>()
  let voters = 0
  for (const ballot of ballots) {
    const entries = Object.entries(ballot.dots)
    if (entries.length === 0) continue
    voters++
    for (const [stickyId, count] of entries) {
      counts.set(stickyId, (counts.get(stickyId) ?? 0) + count)
      if (!config.anonymous) {
        const list = names.get(stickyId) ?? []
        list.push(ballot.name || 'Someone')
        names.set(stickyId, list)
      }
    }
  }
  const order = new Map(config.stickyIds.map((id, index) => [id, index]))
  const totals = [...counts]
    .filter(([, count]) => count > 0)
    .sort(([a, ca], [b, cb]) => cb - ca || (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .map(([stickyId, count]) => ({
      stickyId,
      text: (context.sticky(stickyId)?.text ?? '').slice(
        0,
        FACILITATION_LIMITS.maxResultTextLength,
      ),
      count,
      ...(config.anonymous ? {} : { names: (names.get(stickyId) ?? []).sort() }),
    }))
  return {
    id: config.id,
    title: config.title,
    scopeLabel: config.scopeLabel,
    anonymous: config.anonymous,
    votesPerPerson: config.votesPerPerson,
    startedAt: config.startedAt,
    endedAt: context.now,
    voters,
    totals,
  }
}
