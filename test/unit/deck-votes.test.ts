/**
 * The deck's "Vote: <title>" slides: one per ended vote, oldest first, after the board's
 * slides, with the ranked stickies and their counts, in the PPTX and the PDF alike.
 */
import JSZip from 'jszip'
import { extractText, getDocumentProxy } from 'unpdf'
import { describe, expect, it } from 'vitest'
import { buildDeck, type DeckSource, type Slide, type VoteSlide } from '../../src/export/deck'
import { writePdf } from '../../src/export/pdf'
import { writePptx } from '../../src/export/pptx'
import { CHROME, VOTE } from '../../src/export/slide-layout'
import type { VoteResult } from '../../src/protocol/facilitation'
import { pngImage, sampleSource } from '../support/sample-deck'

function vote(id: string, title: string, more: Partial<VoteResult> = {}): VoteResult {
  return {
    id,
    title,
    scopeLabel: 'Frame: Jobs',
    anonymous: true,
    votesPerPerson: 3,
    startedAt: Date.UTC(2026, 10, 24, 13, 0),
    endedAt: Date.UTC(2026, 10, 24, 13, 10),
    voters: 4,
    totals: [
      { stickyId: 'shape:a', text: 'Scaffold frameworks', count: 5 },
      { stickyId: 'shape:b', text: 'Tests first', count: 3 },
      { stickyId: 'shape:gone', text: 'Deleted since', count: 3 },
      { stickyId: 'shape:c', text: 'Pair on it', count: 1 },
    ],
    ...more,
  }
}

function source(votes: VoteResult[]): DeckSource {
  return {
    title: 'Framework jobs',
    date: new Date(2026, 10, 24, 12),
    participants: 4,
    frames: [],
    page: null,
    stickies: [
      { id: 'shape:a', text: 'Scaffold frameworks', color: '#9BC4FD', bounds: box(0) },
      { id: 'shape:b', text: 'Tests first', color: '#FED49A', bounds: box(240) },
      { id: 'shape:c', text: 'Pair on it', color: '#98D08A', bounds: box(480) },
    ].map((s) => ({ ...s, frameId: null, background: false })),
    zones: [],
    agenda: [],
    shapes: {},
    votes,
  }
}

const box = (x: number) => ({ x, y: 0, w: 200, h: 200 })
const voteSlides = (slides: Slide[]) => slides.filter((s): s is VoteSlide => s.kind === 'vote')
const texts = (slide: Slide) => slide.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []))

describe('vote slides', () => {
  it('close the deck, one per vote, in the order the votes were taken', () => {
    // The server keeps them newest first.
    const slides = buildDeck(source([vote('v2', 'Which first?'), vote('v1', 'Warm-up')]))
    expect(slides.map((s) => `${s.kind}:${s.title}`)).toEqual([
      'title:Framework jobs',
      'frame:The board',
      'summary:The board',
      'vote:Vote: Warm-up',
      'vote:Vote: Which first?',
    ])
    expect(slides.map((s) => s.number)).toEqual([1, 2, 3, 4, 5])
    // The footer, like every content slide.
    expect(texts(slides[4]).slice(-2)).toEqual(['Framework jobs', '5'])
    expect(buildDeck(source([])).some((s) => s.kind === 'vote')).toBe(false)
  })

  it('rank the stickies, ties sharing a rank, with their counts and a bar to scale', () => {
    const [slide] = voteSlides(buildDeck(source([vote('v1', 'Which first?')])))
    expect(slide.rows).toEqual([
      { rank: 1, text: 'Scaffold frameworks', count: 5 },
      { rank: 2, text: 'Tests first', count: 3 },
      { rank: 2, text: 'Deleted since', count: 3 },
      { rank: 4, text: 'Pair on it', count: 1 },
    ])
    const words = texts(slide)
    expect(words.slice(0, 2)).toEqual([
      'Dot vote · 4 people voted · Frame: Jobs',
      'Vote: Which first?',
    ])
    for (const line of ['1.', 'Scaffold frameworks', '5 votes', '2.', '3 votes', '4.', '1 vote']) {
      expect(words).toContain(line)
    }
    const rects = slide.elements.filter((e) => e.kind === 'rect')
    const bars = rects.filter((e) => e.box.x === VOTE.bar.x)
    expect(bars.map((b) => +(b.box.w / VOTE.bar.w).toFixed(2))).toEqual([1, 0.6, 0.6, 0.2])
    // Each swatch has its sticky's colour; a sticky deleted since the vote, a neutral grey.
    const swatches = rects.filter((e) => e.box.x === VOTE.swatch.x)
    expect(swatches.map((s) => (s.kind === 'rect' ? s.fill : null))).toEqual([
      '9BC4FD',
      'FED49A',
      'E3E6EC',
      '98D08A',
    ])
    // Inside the body, rows top to bottom.
    const ys = swatches.map((s) => s.box.y)
    expect([...ys].sort((a, b) => a - b)).toEqual(ys)
    expect(ys[0]).toBeGreaterThanOrEqual(CHROME.body.y)
  })

  it('keep the whole list, and who voted in an open vote, in the notes', () => {
    const open = vote('v1', 'Which first?', {
      anonymous: false,
      totals: [
        { stickyId: 'shape:a', text: 'Scaffold frameworks', count: 2, names: ['Ana', 'Ben'] },
      ],
    })
    const [slide] = voteSlides(buildDeck(source([open])))
    expect(slide.notes).toMatch(
      /^Vote: Which first\?\nFrame: Jobs · ended .+ · 4 people voted · open vote\n/,
    )
    expect(slide.notes).toContain('1. Scaffold frameworks — 2 votes (Ana, Ben)')
    // Names are for the notes: the slide shows the ranking.
    expect(texts(slide).join('\n')).not.toContain('Ana')
  })

  it('show the top rows that fit and count the rest; long texts end in an ellipsis', () => {
    const totals = Array.from({ length: 14 }, (_, i) => ({
      stickyId: `shape:s${i}`,
      text: i === 0 ? 'A very long sticky '.repeat(20) : `Sticky ${i}`,
      count: 20 - i,
    }))
    const [slide] = voteSlides(buildDeck(source([vote('v1', 'Many', { totals })])))
    expect(slide.rows.length).toBeLessThanOrEqual(VOTE.maxRows)
    expect(slide.rows.length + slide.more).toBe(14)
    expect(slide.more).toBeGreaterThan(0)
    expect(texts(slide)).toContain(`and ${slide.more} more stickies with votes (all in the notes)`)
    expect(slide.rows[0].text.endsWith('…')).toBe(true)
    const first = slide.elements.find((e) => e.kind === 'text' && e.text === slide.rows[0].text)
    expect(first?.kind === 'text' && first.maxLines).toBe(VOTE.maxLines)
    // Nothing runs past the body.
    for (const e of slide.elements) {
      if (e.box.y > CHROME.body.y && e.box.y < CHROME.footerLeft.y) {
        expect(e.box.y + e.box.h).toBeLessThanOrEqual(CHROME.body.y + CHROME.body.h + 1e-9)
      }
    }
    expect(slide.notes).toContain('14. Sticky 13 — 7 votes')
  })

  it('say so when nobody voted', () => {
    const [slide] = voteSlides(buildDeck(source([vote('v1', 'Quiet', { voters: 0, totals: [] })])))
    expect(slide.rows).toEqual([])
    expect(texts(slide)).toContain('Nobody voted.')
  })
})

describe('vote slides in the files', () => {
  const withVote = () => {
    const deck = sampleSource()
    deck.votes = [vote('v1', 'Which first?')]
    return buildDeck(deck)
  }

  it('are in the PPTX as text', async () => {
    const slides = withVote()
    const zip = await JSZip.loadAsync(await (await writePptx(slides, { title: 't' })).arrayBuffer())
    const last = await zip.file(`ppt/slides/slide${slides.length}.xml`)!.async('string')
    for (const text of ['Vote: Which first?', 'Scaffold frameworks', '5 votes', 'Deleted since']) {
      expect(last).toContain(text)
    }
  })

  it('are in the PDF as text', async () => {
    const slides = withVote()
    const page = pngImage(96, 54)
    const blob = await writePdf(slides, {
      title: 't',
      renderSlide: async () => ({ dataUrl: page.src as string, width: 96, height: 54 }),
    })
    const pdf = await getDocumentProxy(new Uint8Array(await blob.arrayBuffer()))
    const { text } = await extractText(pdf, { mergePages: false })
    expect(text.at(-1)).toContain('Vote: Which first?')
    expect(text.at(-1)).toContain('Scaffold frameworks')
    expect(text.at(-1)).toContain('5 votes')
  })
})
