/**
 * What a click on a sticky asks the server during a dot vote, and the vote bar's words.
 */
import { describe, expect, it } from 'vitest'
import {
  applyChange,
  clickChange,
  leftLabel,
  listChanges,
  mineLabel,
  progressLabel,
  resultCounts,
  sameDots,
} from '../../src/facilitation/voting/vote-clicks'

describe('clicks during a vote', () => {
  const onePerSticky = { votesPerPerson: 3, maxPerSticky: 1 }
  const several = { votesPerPerson: 3, maxPerSticky: 3 }

  it('adds a dot, and with one per sticky a second click takes it back', () => {
    expect(clickChange(onePerSticky, {}, 'a', false)).toBe(1)
    expect(clickChange(onePerSticky, { a: 1 }, 'a', false)).toBe(-1)
  })

  it('with several per sticky, adds until the limit; a click on my dots takes one back', () => {
    expect(clickChange(several, { a: 1 }, 'a', false)).toBe(1)
    expect(clickChange(several, { a: 1 }, 'a', true)).toBe(-1)
    expect(clickChange(several, { a: 2, b: 1 }, 'a', false)).toBe(-1)
    expect(clickChange(several, {}, 'a', true)).toBe(1)
  })

  it('says when no votes are left, unless the click takes one back', () => {
    const spent = { a: 1, b: 1, c: 1 }
    expect(clickChange(onePerSticky, spent, 'd', false)).toBe('none-left')
    expect(clickChange(onePerSticky, spent, 'b', false)).toBe(-1)
  })

  it('keeps the dots a click makes, and compares them', () => {
    expect(applyChange({ a: 1 }, 'b', 1)).toEqual({ a: 1, b: 1 })
    expect(applyChange({ a: 1 }, 'a', -1)).toEqual({})
    expect(sameDots({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true)
    expect(sameDots({ a: 1 }, { a: 1, b: 1 })).toBe(false)
  })

  it('words the bar and the counts', () => {
    expect(leftLabel({ votesPerPerson: 3 }, { a: 1 })).toBe('2 of 3 votes left')
    expect(leftLabel({ votesPerPerson: 1 }, {})).toBe('1 of 1 vote left')
    expect(progressLabel({ voters: 4, cast: 11 })).toBe('4 people voted · 11 votes')
    expect(progressLabel({ voters: 1, cast: 1 })).toBe('1 person voted · 1 vote')
    expect(progressLabel({ voters: 4, cast: 11 }, 4)).toBe('4 people voted · 11 votes')
    expect(progressLabel({ voters: 12, cast: 30 }, 9)).toBe(
      '12 ballots from 9 people here · 30 votes',
    )
    expect(progressLabel({ voters: 1, cast: 1 }, 0)).toBe('1 ballot from 0 people here · 1 vote')
    const totals = [{ stickyId: 'a', text: 'A', count: 2 }]
    expect(resultCounts({ totals } as never)).toEqual({ a: 2 })
    expect(resultCounts(undefined)).toEqual({})
  })
})

describe('the list ballot', () => {
  const onePerSticky = { votesPerPerson: 2, maxPerSticky: 1 }
  const several = { votesPerPerson: 3, maxPerSticky: 2 }

  it('adds while votes are left and the sticky is under the limit', () => {
    expect(listChanges(onePerSticky, {}, 'a')).toEqual({ add: true, takeBack: false })
    expect(listChanges(onePerSticky, { a: 1 }, 'a')).toEqual({ add: false, takeBack: true })
    expect(listChanges(several, { a: 1 }, 'a')).toEqual({ add: true, takeBack: true })
    expect(listChanges(several, { a: 2 }, 'a')).toEqual({ add: false, takeBack: true })
  })

  it('adds nothing with no votes left, and takes back only my own dots', () => {
    expect(listChanges(onePerSticky, { a: 1, b: 1 }, 'c')).toEqual({ add: false, takeBack: false })
    expect(listChanges(onePerSticky, { a: 1, b: 1 }, 'a')).toEqual({ add: false, takeBack: true })
  })

  it('says how many of my votes are on a sticky', () => {
    expect(mineLabel(0)).toBe('None of your votes')
    expect(mineLabel(1)).toBe('1 of your votes')
    expect(mineLabel(2)).toBe('2 of your votes')
  })
})
