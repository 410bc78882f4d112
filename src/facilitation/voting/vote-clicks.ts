/**
 * What a click on a sticky means during a dot vote, and the words the vote bar shows: pure,
 * so the rules a participant feels (a second click takes the dot back, a click with no votes
 * left says so) are unit-tested. The server decides for real; this only picks the request.
 */
import type { VoteResult, VoteView } from '../../protocol/facilitation'

export type Dots = Readonly<Record<string, number>>

/** My dots after one more click's change. */
export function applyChange(mine: Dots, stickyId: string, change: 1 | -1): Record<string, number> {
  const out: Record<string, number> = { ...mine }
  const count = (out[stickyId] ?? 0) + change
  if (count > 0) out[stickyId] = count
  else delete out[stickyId]
  return out
}

export function sameDots(a: Dots, b: Dots): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

export function dotsIn(dots: Dots): number {
  return Object.values(dots).reduce((sum, n) => sum + n, 0)
}

export function votesLeft(vote: Pick<VoteView, 'votesPerPerson'>, mine: Dots): number {
  return Math.max(0, vote.votesPerPerson - dotsIn(mine))
}

/**
 * A click on a sticky in the vote: add a dot (1), take one back (-1), or nothing left to give
 * ('none-left'). A click on one's own dots takes one back; so does a click on a sticky that
 * has all the dots it may get from one person (with one per sticky, the second click).
 */
export function clickChange(
  vote: Pick<VoteView, 'votesPerPerson' | 'maxPerSticky'>,
  mine: Dots,
  stickyId: string,
  onDots: boolean,
): 1 | -1 | 'none-left' {
  const here = mine[stickyId] ?? 0
  if (here > 0 && (onDots || here >= vote.maxPerSticky)) return -1
  if (votesLeft(vote, mine) === 0) return here > 0 ? -1 : 'none-left'
  return 1
}

/**
 * What the list ballot's buttons may do for one sticky: add a dot (votes left, and under the
 * per-sticky limit) or take one back (one of mine is on it). The server decides for real.
 */
export function listChanges(
  vote: Pick<VoteView, 'votesPerPerson' | 'maxPerSticky'>,
  mine: Dots,
  stickyId: string,
): { add: boolean; takeBack: boolean } {
  const here = mine[stickyId] ?? 0
  return { add: votesLeft(vote, mine) > 0 && here < vote.maxPerSticky, takeBack: here > 0 }
}

/** "2 of your votes" on a sticky in the list ballot. */
export function mineLabel(count: number): string {
  return count === 0 ? 'None of your votes' : `${count} of your votes`
}

/** "2 of 3 votes left". */
export function leftLabel(vote: Pick<VoteView, 'votesPerPerson'>, mine: Dots): string {
  const left = votesLeft(vote, mine)
  return `${left} of ${vote.votesPerPerson} ${vote.votesPerPerson === 1 ? 'vote' : 'votes'} left`
}

/**
 * "4 people voted · 11 votes"; when some voters are not on the board (`here`: those who are),
 * "12 ballots from 9 people here · 30 votes": only the ballots of people here count at the end.
 */
export function progressLabel(
  progress: { voters: number; cast: number },
  here: number | null = null,
): string {
  const votes = progress.cast === 1 ? '1 vote' : `${progress.cast} votes`
  if (here !== null && here < progress.voters) {
    const ballots = progress.voters === 1 ? '1 ballot' : `${progress.voters} ballots`
    const people = here === 1 ? '1 person' : `${here} people`
    return `${ballots} from ${people} here · ${votes}`
  }
  const people = progress.voters === 1 ? '1 person' : `${progress.voters} people`
  return `${people} voted · ${votes}`
}

/** The count each sticky shows for a result. */
export function resultCounts(result: VoteResult | undefined): Record<string, number> {
  return Object.fromEntries((result?.totals ?? []).map((t) => [t.stickyId, t.count]))
}
