/**
 * An ended dot vote (the board keeps them), read for people: its stickies ranked (ties share
 * a rank, as in "1, 2, 2, 4"), the counts each sticky shows, and the plain-text list "Copy as
 * text" puts on the clipboard. Pure, and here in the board model so that the results panel
 * and the slide deck (two features) rank alike.
 */
import type { VoteResult } from '../protocol/facilitation'

export interface RankedSticky {
  /** 1-based; stickies with as many votes share the rank of the first of them. */
  rank: number
  stickyId: string
  /** The sticky's text when the vote ended (it may have changed or gone since). */
  text: string
  count: number
  /** Who gave the dots, in an open vote ("Ana ×2"); empty in an anonymous one. */
  names: string[]
}

/** "1 vote", "5 votes". */
export const votesLabel = (count: number) => (count === 1 ? '1 vote' : `${count} votes`)

/** "1 person voted", "12 people voted", "Nobody voted". */
export function votersLabel(voters: number): string {
  if (voters <= 0) return 'Nobody voted'
  return voters === 1 ? '1 person voted' : `${voters} people voted`
}

/** A sticky's text on one line; an empty sticky says so. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line || '(empty sticky)'
}

/**
 * The stickies with votes, most first. The server sends them sorted; they are sorted again
 * (stably) so a rank never depends on that, and ties share the rank of the first of them.
 */
export function rankResult(result: VoteResult): RankedSticky[] {
  const sorted = result.totals
    .filter((t) => t.count > 0)
    .map((t, i) => ({ t, i }))
    .sort((a, b) => b.t.count - a.t.count || a.i - b.i)
    .map(({ t }) => t)
  return sorted.map((t, i) => {
    let first = i
    while (first > 0 && sorted[first - 1].count === t.count) first--
    return {
      rank: first + 1,
      stickyId: t.stickyId,
      text: t.text,
      count: t.count,
      names: groupNames(t.names ?? []),
    }
  })
}

/** ["Ana", "Ben", "Ana"] as ["Ana ×2", "Ben"]: one dot each, in the order they first came. */
function groupNames(names: readonly string[]): string[] {
  const counts = new Map<string, number>()
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1)
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name))
}

/** The count to draw on each sticky while this result is on show. */
export function resultCounts(result: VoteResult | null): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const t of result?.totals ?? []) if (t.count > 0) counts[t.stickyId] = t.count
  return counts
}

/** "1. Scaffold frameworks — 5 votes", with who gave them in an open vote. */
export function rankedLine(entry: RankedSticky): string {
  const names = entry.names.length > 0 ? ` (${entry.names.join(', ')})` : ''
  return `${entry.rank}. ${oneLine(entry.text)} — ${votesLabel(entry.count)}${names}`
}

const WHEN = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' })

export interface ResultTextOptions {
  /** How the end of the vote is written; "24 Nov 2026, 14:05" by default. */
  formatDate?: (timestamp: number) => string
}

/**
 * The result as plain text, for a chat message or a document:
 *
 *     Vote: Which framework first?
 *     Frame: Jobs · ended 24 Nov 2026, 14:05 · 12 people voted · anonymous
 *
 *     1. Scaffold frameworks — 5 votes
 *     2. Tests first — 3 votes
 *     2. Pair on it — 3 votes
 */
export function resultText(result: VoteResult, options: ResultTextOptions = {}): string {
  const when = (options.formatDate ?? ((t) => WHEN.format(t)))(result.endedAt)
  const meta = [
    result.scopeLabel,
    `ended ${when}`,
    votersLabel(result.voters),
    result.anonymous ? 'anonymous' : 'open vote',
  ]
  const ranked = rankResult(result)
  const lines = ranked.length > 0 ? ranked.map(rankedLine) : ['No sticky got a vote.']
  return [`Vote: ${result.title}`, meta.join(' · '), '', ...lines].join('\n')
}
