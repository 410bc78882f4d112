import { describe, expect, it } from 'vitest'
import type { VoteResult } from '../../src/protocol/facilitation'
import {
  rankResult,
  rankedLine,
  resultCounts,
  resultText,
  votersLabel,
} from '../../src/board/vote-results'

function result(more: Partial<VoteResult> = {}): VoteResult {
  return {
    id: 'v1',
    title: 'Which framework first?',
    scopeLabel: 'Frame: Jobs',
    anonymous: true,
    votesPerPerson: 5,
    startedAt: Date.UTC(2026, 10, 24, 13, 55),
    endedAt: Date.UTC(2026, 10, 24, 14, 5),
    voters: 12,
    totals: [
      { stickyId: 'shape:a', text: 'Scaffold frameworks', count: 5 },
      { stickyId: 'shape:b', text: 'Tests first', count: 3 },
      { stickyId: 'shape:c', text: 'Pair on it', count: 3 },
      { stickyId: 'shape:d', text: 'Ship\nweekly', count: 1 },
    ],
    ...more,
  }
}

const fixedDate = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ')

describe('ranking a vote result', () => {
  it('ranks most votes first; ties share the rank of the first of them', () => {
    expect(rankResult(result()).map((r) => [r.rank, r.text, r.count])).toEqual([
      [1, 'Scaffold frameworks', 5],
      [2, 'Tests first', 3],
      [2, 'Pair on it', 3],
      [4, 'Ship\nweekly', 1],
    ])
  })

  it('does not trust the order it was sent in, and leaves out stickies without a vote', () => {
    const shuffled = result({
      totals: [
        { stickyId: 'shape:z', text: 'None', count: 0 },
        { stickyId: 'shape:d', text: 'Last', count: 1 },
        { stickyId: 'shape:a', text: 'First', count: 4 },
        { stickyId: 'shape:b', text: 'Also first', count: 4 },
      ],
    })
    expect(rankResult(shuffled).map((r) => `${r.rank} ${r.text}`)).toEqual([
      '1 First',
      '1 Also first',
      '3 Last',
    ])
    expect(resultCounts(shuffled)).toEqual({ 'shape:d': 1, 'shape:a': 4, 'shape:b': 4 })
    expect(resultCounts(null)).toEqual({})
  })

  it('names who voted in an open vote, one entry per person', () => {
    const open = result({
      anonymous: false,
      totals: [{ stickyId: 'shape:a', text: 'Scaffold', count: 3, names: ['Ana', 'Ben', 'Ana'] }],
    })
    const [first] = rankResult(open)
    expect(first.names).toEqual(['Ana ×2', 'Ben'])
    expect(rankedLine(first)).toBe('1. Scaffold — 3 votes (Ana ×2, Ben)')
  })
})

describe('copying a result as text', () => {
  it('is a title, one line about the vote, and the ranked list', () => {
    expect(resultText(result(), { formatDate: fixedDate })).toBe(
      [
        'Vote: Which framework first?',
        'Frame: Jobs · ended 2026-11-24 14:05 · 12 people voted · anonymous',
        '',
        '1. Scaffold frameworks — 5 votes',
        '2. Tests first — 3 votes',
        '2. Pair on it — 3 votes',
        '4. Ship weekly — 1 vote',
      ].join('\n'),
    )
  })

  it('says so when nobody voted, and names an empty sticky', () => {
    const text = resultText(result({ voters: 0, totals: [], anonymous: false }), {
      formatDate: fixedDate,
    })
    expect(text.split('\n').slice(1)).toEqual([
      'Frame: Jobs · ended 2026-11-24 14:05 · Nobody voted · open vote',
      '',
      'No sticky got a vote.',
    ])
    const blank = resultText(
      result({ voters: 1, totals: [{ stickyId: 's', text: ' ', count: 2 }] }),
    )
    expect(blank).toContain('1 person voted')
    expect(blank).toContain('1. (empty sticky) — 2 votes')
  })

  it('counts people in words', () => {
    expect([0, 1, 2].map(votersLabel)).toEqual(['Nobody voted', '1 person voted', '2 people voted'])
  })
})
