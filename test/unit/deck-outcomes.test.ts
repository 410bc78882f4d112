/**
 * The deck's "Decisions" and "Actions" slides: after the vote slides, from a workshop
 * outcome's decisions and actions, continued on more slides when long, with everything in the
 * speaker notes; real text in the PPTX and in the PDF's text layer.
 */
import JSZip from 'jszip'
import { extractText, getDocumentProxy } from 'unpdf'
import { describe, expect, it } from 'vitest'
import {
  buildDeck,
  type ActionsSlide,
  type DecisionsSlide,
  type DeckSource,
  type Slide,
} from '../../src/export/deck'
import { writePdf } from '../../src/export/pdf'
import { writePptx } from '../../src/export/pptx'
import { CHROME, OUTCOME } from '../../src/export/slide-layout'
import type { VoteResult } from '../../src/protocol/facilitation'
import { pngImage, sampleSource } from '../support/sample-deck'
import { JOBS_OUTCOME } from './fixtures/workshop-outcome'

const vote: VoteResult = {
  id: 'v1',
  title: 'Which mismatches hurt most?',
  scopeLabel: 'Frame: The four jobs',
  anonymous: true,
  votesPerPerson: 3,
  startedAt: Date.UTC(2026, 10, 24, 13, 24),
  endedAt: Date.UTC(2026, 10, 24, 13, 29),
  voters: 3,
  totals: [{ stickyId: 'shape:okrs', text: 'OKRs', count: 5 }],
}

function source(outcome: DeckSource['outcome'] = JOBS_OUTCOME): DeckSource {
  return {
    title: 'Four framework jobs',
    date: new Date(2026, 10, 24, 13),
    participants: 3,
    frames: [],
    page: null,
    stickies: [],
    zones: [],
    agenda: [],
    shapes: {},
    votes: [vote],
    outcome,
  }
}

const texts = (slide: Slide) => slide.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []))
const isDecisions = (s: Slide): s is DecisionsSlide => s.kind === 'decisions'
const isActions = (s: Slide): s is ActionsSlide => s.kind === 'actions'

describe('outcome slides', () => {
  it('follow the vote slides: Decisions, then Actions', () => {
    const slides = buildDeck(source())
    expect(slides.map((s) => `${s.kind}:${s.title}`)).toEqual([
      'title:Four framework jobs',
      'frame:The board',
      'vote:Vote: Which mismatches hurt most?',
      'decisions:Decisions',
      'actions:Actions',
    ])
    // The footer, like every content slide.
    expect(texts(slides[4]).slice(-2)).toEqual(['Four framework jobs', '5'])
  })

  it('are left out without an outcome, or when it has neither', () => {
    expect(buildDeck(source(null)).map((s) => s.kind)).toEqual(['title', 'frame', 'vote'])
    expect(buildDeck({ ...source(), outcome: undefined }).some(isActions)).toBe(false)
    const onlyDecisions = buildDeck(source({ decisions: JOBS_OUTCOME.decisions, actions: [] }))
    expect(onlyDecisions.map((s) => s.kind).slice(-2)).toEqual(['vote', 'decisions'])
  })

  it('list the decisions with where they sit, and every one in the notes', () => {
    const slide = buildDeck(source()).find(isDecisions)!
    expect(slide.rows).toEqual([
      { text: 'OKRs are a federated interface, not a scaffold', where: 'Agreed job' },
      { text: 'PRDs stay a quality checklist: one page, no essays', where: 'Agreed job' },
    ])
    const words = texts(slide)
    expect(words.slice(0, 2)).toEqual(['2 decisions', 'Decisions'])
    expect(words).toContain('OKRs are a federated interface, not a scaffold')
    expect(words).toContain('Agreed job')
    expect(slide.notes).toContain(
      `1. OKRs are a federated interface, not a scaffold (Agreed job)\n   ${JOBS_OUTCOME.decisions[0].link}`,
    )
  })

  it('put each action’s owner and due date in their columns', () => {
    const slide = buildDeck(source()).find(isActions)!
    expect(slide.rows).toEqual([
      { text: 'Rewrite the OKR guide for newcomers', owner: 'Ana', due: '4 Dec 2026' },
      { text: 'Run a PRD retro with two teams', owner: 'Ben Okafor', due: '11 Dec 2026' },
      { text: 'Ask leads which job Scrum does for them', owner: null, due: null },
    ])
    const at = (text: string) =>
      slide.elements.find((e) => e.kind === 'text' && e.text === text)?.box
    expect(texts(slide).slice(0, 2)).toEqual(['3 actions · 2 with an owner', 'Actions'])
    for (const [header, column] of [
      ['Action', OUTCOME.action],
      ['Owner', OUTCOME.owner],
      ['Due', OUTCOME.due],
    ] as const) {
      expect(at(header)?.x).toBe(column.x)
    }
    expect(at('Ana')?.x).toBe(OUTCOME.owner.x)
    expect(at('4 Dec 2026')?.x).toBe(OUTCOME.due.x)
    // On the action's row.
    expect(at('Ana')?.y).toBe(at('Rewrite the OKR guide for newcomers')?.y)
    expect(at('No owner')?.y).toBe(at('Ask leads which job Scrum does for them')?.y)
    expect(slide.notes).toContain(
      '1. Rewrite the OKR guide for newcomers (owner: Ana · due 4 Dec 2026 · Meant for X, used for Y)',
    )
    expect(slide.notes).toContain('3. Ask leads which job Scrum does for them (no owner')
  })

  it('continue on more slides when long, nothing past the body, all in every slide’s notes', () => {
    const actions = Array.from({ length: 23 }, (_, i) => ({
      ...JOBS_OUTCOME.actions[0],
      stickyId: `shape:a${i}`,
      text:
        i === 3 ? 'A very long action that goes on and on '.repeat(12) : `Action number ${i + 1}`,
    }))
    const slides = buildDeck(source({ decisions: [], actions })).filter(isActions)
    expect(slides.length).toBeGreaterThan(1)
    expect(slides.map((s) => s.title)).toEqual([
      'Actions',
      ...slides.slice(1).map(() => 'Actions (continued)'),
    ])
    expect(slides.flatMap((s) => s.rows).map((r) => r.text.slice(0, 16))).toEqual(
      actions.map((a) => a.text.slice(0, 16)),
    )
    expect(slides[0].rows[3].text.endsWith('…')).toBe(true)
    for (const slide of slides) {
      expect(texts(slide)).toContain('Owner')
      for (const e of slide.elements) {
        if (e.box.y >= CHROME.body.y && e.box.y < CHROME.footerLeft.y) {
          expect(e.box.y + e.box.h).toBeLessThanOrEqual(CHROME.body.y + CHROME.body.h + 1e-9)
        }
      }
      expect(slide.notes).toContain('23. Action number 23')
    }
  })
})

describe('outcome slides in the files', () => {
  const deck = () => {
    const s = sampleSource()
    s.outcome = JOBS_OUTCOME
    return buildDeck(s)
  }

  it('are in the PPTX as text, with the notes', async () => {
    const slides = deck()
    const zip = await JSZip.loadAsync(await (await writePptx(slides, { title: 't' })).arrayBuffer())
    const n = slides.length
    const decisions = await zip.file(`ppt/slides/slide${n - 1}.xml`)!.async('string')
    const actions = await zip.file(`ppt/slides/slide${n}.xml`)!.async('string')
    expect(decisions).toContain('OKRs are a federated interface, not a scaffold')
    for (const text of [
      'Actions',
      'Rewrite the OKR guide for newcomers',
      'Ben Okafor',
      '11 Dec 2026',
    ]) {
      expect(actions).toContain(text)
    }
    const notes = Object.keys(zip.files).filter((f) => /notesSlide\d+\.xml$/.test(f))
    const all = await Promise.all(notes.map((f) => zip.file(f)!.async('string')))
    expect(all.some((xml) => xml.includes('owner: Ben Okafor'))).toBe(true)
  })

  it('are in the PDF as text', async () => {
    const slides = deck()
    const page = pngImage(96, 54)
    const blob = await writePdf(slides, {
      title: 't',
      renderSlide: async () => ({ dataUrl: page.src as string, width: 96, height: 54 }),
    })
    const pdf = await getDocumentProxy(new Uint8Array(await blob.arrayBuffer()))
    const { text } = await extractText(pdf, { mergePages: false })
    expect(text.at(-2)).toContain('PRDs stay a quality checklist')
    expect(text.at(-1)).toContain('Run a PRD retro with two teams')
    expect(text.at(-1)).toContain('Ben Okafor')
  })
})
