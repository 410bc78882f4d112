import { describe, expect, it } from 'vitest'
import {
  buildDeck,
  ELSEWHERE_IN_FRAME,
  hex,
  NO_FRAMES_TITLE,
  OUTSIDE_FRAMES_TITLE,
  readingOrder,
  splitLabel,
  type DeckFrame,
  type DeckSource,
  type DeckSticky,
  type DeckZone,
  type Slide,
  type SummarySlide,
} from '../../src/export/deck'
import {
  arialMeasure,
  CHROME,
  paginateList,
  SLIDE,
  type Box,
  type Measure,
} from '../../src/export/slide-layout'
import type { AgendaSection } from '../../src/board/agenda'

const IMAGE = { src: 'data:image/png;base64,', width: 1920, height: 1080 }

function frame(id: string, x: number, y: number, name = id): DeckFrame {
  return { id, name, bounds: { x, y, w: 1920, h: 1080 }, image: IMAGE }
}

let stickyCount = 0
function sticky(text: string, x: number, y: number, more: Partial<DeckSticky> = {}): DeckSticky {
  return {
    id: `shape:s${stickyCount++}`,
    text,
    color: '#FED49A',
    bounds: { x, y, w: 200, h: 200 },
    frameId: null,
    background: false,
    ...more,
  }
}

function zone(id: string, label: string, bounds: Box, frameId: string | null = null): DeckZone {
  return { id, label, color: '#099268', bounds, frameId }
}

function source(more: Partial<DeckSource> = {}): DeckSource {
  return {
    title: 'Team retro',
    date: new Date(2026, 10, 24, 12),
    participants: 8,
    frames: [],
    page: null,
    stickies: [],
    zones: [],
    agenda: [],
    shapes: {},
    ...more,
  }
}

function section(steps: AgendaSection['steps'], more: Partial<AgendaSection> = {}): AgendaSection {
  return { instance: 'i1', templateId: 'retro', title: 'Retrospective', steps, notes: '', ...more }
}

const titles = (slides: Slide[]) => slides.map((s) => `${s.kind}:${s.title}`)
const summaries = (slides: Slide[]) => slides.filter((s): s is SummarySlide => s.kind === 'summary')

describe('reading order', () => {
  it('reads a 2 × 2 grid of frames row by row, whatever order they come in', () => {
    const frames = [
      frame('d', 2080, 1240),
      frame('b', 2080, 0),
      frame('c', 0, 1240),
      frame('a', 0, 0),
    ]
    const slides = buildDeck(source({ frames }))
    expect(slides.filter((s) => s.kind === 'frame').map((s) => s.title)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ])
  })

  it('keeps frames that are slightly out of line in one row', () => {
    // b sits 300 px lower than a, c 500 px higher than d: still two rows of two.
    const frames = [
      frame('c', 0, 1540),
      frame('b', 2080, 300),
      frame('a', 0, 0),
      frame('d', 2080, 1040),
    ]
    expect(readingOrder(frames, (f) => f.bounds).map((f) => f.id)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('starts a new row when a frame is more than half a frame height lower', () => {
    const frames = [frame('b', 2080, 600), frame('a', 0, 0)]
    // 600 px apart is more than half of 1080: b is a row of its own, below a.
    expect(readingOrder(frames, (f) => f.bounds).map((f) => f.id)).toEqual(['a', 'b'])
    const right = [frame('b', 2080, 500), frame('a', 0, 0)]
    expect(readingOrder(right, (f) => f.bounds).map((f) => f.id)).toEqual(['a', 'b'])
    const leftLower = [frame('b', 0, 600), frame('a', 2080, 0)]
    expect(readingOrder(leftLower, (f) => f.bounds).map((f) => f.id)).toEqual(['a', 'b'])
    const leftSameRow = [frame('b', 0, 500), frame('a', 2080, 0)]
    expect(readingOrder(leftSameRow, (f) => f.bounds).map((f) => f.id)).toEqual(['b', 'a'])
  })
})

describe('agenda steps in speaker notes', () => {
  const frames = [frame('shape:a', 0, 0, 'Drivers'), frame('shape:b', 2080, 0, 'Experiment')]
  const steps = [
    { title: 'Sort', minutes: 10, instructions: 'Put each sticky in its zone.', focus: 'shape:a' },
    { title: 'Choose', minutes: 5, instructions: 'Pick one.', focus: 'shape:zone-in-b' },
    { title: 'Review', minutes: 2.5, instructions: 'Set a date.', focus: 'shape:outside' },
    { title: 'Gone', minutes: 3, instructions: 'Its shape was deleted.', focus: 'shape:deleted' },
    { title: 'Over b', minutes: 4, instructions: 'Drawn over the frame.', focus: 'shape:over-b' },
    { title: 'Talk', minutes: 15, instructions: 'No focus at all.' },
  ]
  const shapes = {
    'shape:zone-in-b': { bounds: { x: 2200, y: 200, w: 500, h: 300 }, frameIds: ['shape:b'] },
    'shape:outside': { bounds: { x: 0, y: 3000, w: 100, h: 100 }, frameIds: [] },
    // Not a child of the frame, but on top of it.
    'shape:over-b': { bounds: { x: 3000, y: 500, w: 100, h: 100 }, frameIds: [] },
  }
  const slides = buildDeck(
    source({
      frames,
      shapes,
      agenda: [section(steps, { notes: 'Keep it moving.' })],
    }),
  )
  const notesOf = (title: string) => slides.find((s) => s.kind === 'frame' && s.title === title)!

  it('puts a step whose focus is the frame on that frame’s slide', () => {
    expect(notesOf('Drivers').notes).toBe('Sort (10 min)\nPut each sticky in its zone.')
  })

  it('puts a step whose focus lies inside a frame on that frame’s slide', () => {
    expect(notesOf('Experiment').notes).toBe(
      'Choose (5 min)\nPick one.\n\nOver b (4 min)\nDrawn over the frame.',
    )
  })

  it('leaves steps that focus elsewhere, or nowhere, to the agenda on the title slide', () => {
    const all = slides
      .filter((s) => s.kind !== 'title')
      .map((s) => s.notes)
      .join('\n')
    for (const title of ['Review', 'Gone', 'Talk']) expect(all).not.toContain(title)
    expect(slides[0].notes).toBe(
      [
        'Retrospective (39.5 min)',
        '1. Sort (10 min)',
        '2. Choose (5 min)',
        '3. Review (2.5 min)',
        '4. Gone (3 min)',
        '5. Over b (4 min)',
        '6. Talk (15 min)',
        '',
        'Facilitator notes: Keep it moving.',
      ].join('\n'),
    )
  })
})

describe('the title slide', () => {
  it('says the title, the date and how many people took part', () => {
    const [title] = buildDeck(source())
    expect(title).toMatchObject({
      kind: 'title',
      title: 'Team retro',
      date: '24 November 2026',
      participants: '8 people took part',
    })
    const texts = title.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []))
    expect(texts).toEqual([
      'Team retro',
      '24 November 2026',
      '8 people took part',
      'Made with Switchback',
    ])
  })

  it('leaves the participants out when nobody knows, and counts one person as a person', () => {
    const [unknown] = buildDeck(source({ participants: null }))
    const texts = unknown.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []))
    expect(texts).toEqual(['Team retro', '24 November 2026', 'Made with Switchback'])
    expect(buildDeck(source({ participants: 1 }))[0]).toMatchObject({
      participants: '1 person took part',
    })
  })

  it('calls a board without a title an untitled workshop', () => {
    expect(buildDeck(source({ title: '  ' }))[0].title).toBe('Untitled workshop')
  })
})

describe('sticky summaries', () => {
  const f = frame('shape:f', 0, 0, 'Retro')
  const big = zone('shape:big', 'To improve\nWhat slowed us down', {
    x: 0,
    y: 200,
    w: 1000,
    h: 800,
  })
  const small = zone('shape:small', 'Top three', { x: 500, y: 500, w: 450, h: 450 }, 'shape:f')
  const other = zone('shape:other', 'Went well', { x: 1100, y: 200, w: 700, h: 800 }, 'shape:f')
  const stickies = [
    // In the small zone, which lies inside the big one: the small zone wins.
    sticky('Flaky tests', 600, 600, { frameId: 'shape:f' }),
    // In the big zone only, in reading order: top row left to right, then the next row.
    sticky('Too many priorities', 300, 600, { frameId: 'shape:f' }),
    sticky('Late API news', 260, 250, { frameId: 'shape:f' }),
    sticky('Estimates', 50, 240, { frameId: 'shape:f' }),
    // Not in a zone.
    sticky('Coffee was good', 1200, 20, { frameId: 'shape:f' }),
    // The template's prompt: not an answer.
    sticky('What slowed us down?', 780, 220, { frameId: 'shape:f', background: true }),
    sticky('   ', 100, 700, { frameId: 'shape:f' }),
    // No frame id, but its centre is in the frame and in "Went well".
    sticky('Pairing', 1200, 300),
  ]
  const slides = buildDeck(source({ frames: [f], zones: [small, other, big], stickies }))

  it('follows each frame slide with its stickies, grouped by zone, in reading order', () => {
    expect(titles(slides)).toEqual(['title:Team retro', 'frame:Retro', 'summary:Retro'])
    expect(summaries(slides)[0].groups).toEqual([
      { heading: 'To improve', stickies: ['Estimates', 'Late API news', 'Too many priorities'] },
      { heading: 'Top three', stickies: ['Flaky tests'] },
      { heading: 'Went well', stickies: ['Pairing'] },
      { heading: ELSEWHERE_IN_FRAME, stickies: ['Coffee was good'] },
    ])
  })

  it('shows the rest of a zone’s label under its heading, and counts the stickies', () => {
    const [summary] = summaries(slides)
    const headings = summary.elements.flatMap((e) =>
      e.kind === 'list' ? e.entries.filter((x) => x.kind === 'heading') : [],
    )
    expect(headings[0]).toMatchObject({ text: 'To improve', description: 'What slowed us down' })
    expect(summary.elements[0]).toMatchObject({ kind: 'text', text: '6 stickies' })
  })

  it('skips the summary of a frame that holds only the template’s prompts', () => {
    const prompts = [sticky('What helped?', 100, 100, { frameId: 'shape:f', background: true })]
    const deck = buildDeck(source({ frames: [f], stickies: prompts }))
    expect(titles(deck)).toEqual(['title:Team retro', 'frame:Retro'])
  })

  it('lists the stickies of a frame without zones without headings', () => {
    const deck = buildDeck(
      source({ frames: [f], stickies: [sticky('One', 0, 0), sticky('Two', 300, 0)] }),
    )
    const [summary] = summaries(deck)
    const list = summary.elements.filter((e) => e.kind === 'list')
    expect(list.flatMap((e) => (e.kind === 'list' ? e.entries.map((x) => x.kind) : []))).toEqual([
      'sticky',
      'sticky',
    ])
  })

  it('adds the stickies outside every frame at the end', () => {
    const deck = buildDeck(
      source({ frames: [f], stickies: [sticky('In', 100, 100), sticky('Out', 5000, 5000)] }),
    )
    expect(titles(deck)).toEqual([
      'title:Team retro',
      'frame:Retro',
      'summary:Retro',
      `summary:${OUTSIDE_FRAMES_TITLE}`,
    ])
    expect(summaries(deck)[1].groups).toEqual([{ heading: 'Not in a zone', stickies: ['Out'] }])
  })
})

describe('long lists', () => {
  const f = frame('shape:f', 0, 0, 'Ideas')
  const left = zone('shape:l', 'Keep', { x: 0, y: 0, w: 900, h: 1080 }, 'shape:f')
  const right = zone('shape:r', 'Drop', { x: 1000, y: 0, w: 900, h: 1080 }, 'shape:f')
  const texts = Array.from({ length: 90 }, (_, i) =>
    i % 5 === 0 ? `Idea ${i}: ${'a rather long thought that wraps '.repeat(3)}` : `Idea ${i}`,
  )
  const stickies = texts.map((text, i) =>
    sticky(text, i < 60 ? 10 + (i % 4) * 210 : 1010 + (i % 4) * 210, Math.floor(i / 4) * 30, {
      frameId: 'shape:f',
    }),
  )
  const slides = buildDeck(source({ frames: [f], zones: [left, right], stickies }))
  const lists = summaries(slides)

  it('goes on over more slides, each called "(continued)"', () => {
    expect(lists.length).toBeGreaterThan(1)
    expect(lists[0].title).toBe('Ideas')
    for (const slide of lists.slice(1)) {
      expect(slide.title).toBe('Ideas (continued)')
      expect(slide.continued).toBe(true)
    }
  })

  it('shows every sticky once, in order, and nothing below the body', () => {
    const shown = lists.flatMap((s) => s.groups.flatMap((g) => g.stickies))
    const keep = readingOrder(stickies.slice(0, 60), (s) => s.bounds).map((s) => s.text)
    const drop = readingOrder(stickies.slice(60), (s) => s.bounds).map((s) => s.text)
    expect(shown).toEqual([...keep, ...drop].map((t) => t.trim()))
    const bottom = CHROME.body.y + CHROME.body.h + 1e-6
    for (const slide of lists) {
      for (const element of slide.elements) {
        if (element.kind !== 'list') continue
        for (const entry of element.entries) {
          expect(entry.box.y + entry.box.h).toBeLessThanOrEqual(bottom)
          expect(entry.box.x + entry.box.w).toBeLessThanOrEqual(SLIDE.w)
        }
      }
    }
  })

  it('repeats the heading of a group that goes on in the next column', () => {
    const headings = lists.flatMap((s) =>
      s.elements.flatMap((e) =>
        e.kind === 'list' ? e.entries.flatMap((x) => (x.kind === 'heading' ? [x.text] : [])) : [],
      ),
    )
    expect(headings[0]).toBe('Keep')
    expect(headings).toContain('Keep (continued)')
    expect(headings).toContain('Drop')
    // Every column starts with a heading: never a sticky without its group.
    for (const slide of lists) {
      for (const element of slide.elements) {
        if (element.kind === 'list') expect(element.entries[0].kind).toBe('heading')
      }
    }
  })

  it('lays out a list in a wider font, where a repeated heading takes two lines', () => {
    // A font a third wider than Arial: "… (continued)" wraps, leaving less room under it.
    const wide: Measure = (text, font) => arialMeasure(text, font) * 1.35
    const group = {
      heading: 'Elsewhere in the frame',
      description: '',
      color: null,
      // 18 lines each: as many as a column holds under a one-line heading, one too many
      // under a two-line one.
      items: Array.from({ length: 6 }, (_, i) => ({
        text: [`Sticky ${i}`, ...Array(17).fill('more')].join('\n'),
        color: 'FED49A',
      })),
    }
    const pages = paginateList([group], wide)
    const entries = pages.flat(2)
    const firsts = entries.filter((e) => e.kind === 'sticky' && e.swatch)
    expect(firsts.map((e) => e.text.split(/\s/)[1])).toEqual(group.items.map((_, i) => String(i)))
    // Every line once: "Sticky n" and its 17 "more"s, whether the sticky was cut or not.
    const lines = entries.map((e) =>
      e.kind === 'sticky' ? (e.text.match(/more|Sticky/g) ?? []).length : 0,
    )
    expect(lines.reduce((a, b) => a + b, 0)).toBe(6 * 18)
    const bottom = CHROME.body.y + CHROME.body.h + 1e-6
    for (const entry of entries) expect(entry.box.y + entry.box.h).toBeLessThanOrEqual(bottom)
  })

  it('cuts a sticky longer than a whole column between lines', () => {
    const essay = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')
    const deck = buildDeck(source({ frames: [f], stickies: [sticky(essay, 10, 10)] }))
    const pieces = summaries(deck).flatMap((s) =>
      s.elements.flatMap((e) => (e.kind === 'list' ? e.entries : [])),
    )
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.map((p) => p.text).join(' ')).toBe(essay)
    expect(pieces.filter((p) => p.kind === 'sticky' && p.swatch)).toHaveLength(1)
  })
})

describe('a board without frames', () => {
  it('has one slide of the whole page, with every step in its notes', () => {
    const page = { src: 'data:image/png;base64,', width: 4000, height: 1000 }
    const deck = buildDeck(
      source({
        page,
        stickies: [sticky('Hello', 0, 0)],
        agenda: [section([{ title: 'Draw', minutes: 5, instructions: 'Anything.' }])],
      }),
    )
    expect(titles(deck)).toEqual([
      'title:Team retro',
      `frame:${NO_FRAMES_TITLE}`,
      `summary:${NO_FRAMES_TITLE}`,
    ])
    const [, board] = deck
    expect(board).toMatchObject({ kind: 'frame', image: page, notes: 'Draw (5 min)\nAnything.' })
    // The picture keeps its 4:1 shape, inside the body, centred.
    const image = board.elements.find((e) => e.kind === 'image')!
    expect(image.box.w / image.box.h).toBeCloseTo(4)
    expect(image.box.x + image.box.w / 2).toBeCloseTo(CHROME.body.x + CHROME.body.w / 2)
    expect(image.box.w).toBeCloseTo(CHROME.body.w)
  })

  it('says so when the page is empty', () => {
    const deck = buildDeck(source())
    expect(titles(deck)).toEqual(['title:Team retro', `frame:${NO_FRAMES_TITLE}`])
    const texts = deck[1].elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []))
    expect(texts).toContain('Nothing on the board yet.')
  })
})

describe('slides', () => {
  it('are numbered, with the number and the board’s title in the footer', () => {
    const deck = buildDeck(source({ frames: [frame('a', 0, 0), frame('b', 2080, 0)] }))
    expect(deck.map((s) => s.number)).toEqual([1, 2, 3])
    const footer = deck[2].elements.slice(-2)
    expect(footer.map((e) => (e.kind === 'text' ? e.text : ''))).toEqual(['Team retro', '3'])
  })

  it('set a long frame title smaller, and a very long one on two lines, cut at the end', () => {
    const titleOf = (name: string) => {
      const slide = buildDeck(source({ frames: [frame('a', 0, 0, name)] }))[1]
      const [, title] = slide.elements
      if (title.kind !== 'text') throw new Error('no title')
      return title
    }
    expect(titleOf('Short').style.size).toBe(28)
    expect(titleOf('Short').maxLines).toBe(1)
    const long = titleOf(
      'A frame title that goes on and on and on, well past what fits on one line at 28 pt',
    )
    expect(long.style.size).toBeLessThan(28)
    expect(long.maxLines).toBe(1)
    const endless = titleOf('Endless '.repeat(40).trim())
    expect(endless.style.size).toBe(18)
    expect(endless.maxLines).toBe(2)
    expect(endless.text.endsWith('…')).toBe(true)
    expect(endless.text.length).toBeLessThan(320)
  })

  it('take colours as six hex digits', () => {
    expect(hex('#fed49a')).toBe('FED49A')
    expect(hex('#fd9')).toBe('FFDD99')
    expect(hex('rgb(1, 2, 3)')).toBeNull()
    expect(hex(null)).toBeNull()
  })

  it('split a zone’s label into heading and description', () => {
    expect(splitLabel('D · Drivers\nThe goal.\nTwo at most.')).toEqual({
      heading: 'D · Drivers',
      description: 'The goal. Two at most.',
    })
    expect(splitLabel('Frameworks\nwe use today')).toEqual({
      heading: 'Frameworks we use today',
      description: '',
    })
    expect(splitLabel('')).toEqual({ heading: 'Untitled zone', description: '' })
  })
})
