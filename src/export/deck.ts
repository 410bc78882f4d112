/**
 * The slide deck as data: what the canvas hands over (`DeckSource`, plain data), and
 * `buildDeck`, which turns it into slides with everything placed. Reading order, agenda step
 * matching, sticky grouping and pagination all live here, so they can be tested without a
 * browser; the writers (pptx.ts, pdf.ts) only paint what a slide says.
 */
import type { AgendaSection, BoardStep } from '../board/agenda'
import { oneLine, rankResult, resultText, votersLabel, votesLabel } from '../board/vote-results'
import type { VoteResult } from '../protocol/facilitation'
import type { OutcomeAction, OutcomeDecision, WorkshopOutcome } from '../protocol/workshop-outcome'
import { formatDue } from './report/report-text'
import {
  CHROME,
  COLORS,
  COVER,
  OUTCOME,
  TYPE,
  VOTE,
  fitContain,
  fitText,
  linesHeight,
  arialMeasure,
  paginateList,
  type Box,
  type Measure,
  type ListEntry,
  type ListGroup,
  type TextStyle,
} from './slide-layout'
import { frameAt, stepFrame, zonesAt, type FocusedShape } from './sticky-places'
import { readingOrder } from '../board/geometry'

export type { Box } from './slide-layout'

/** A picture of part of the board: a PNG as a Blob or a data URL, and its size in pixels. */
export interface DeckImage {
  src: Blob | string
  width: number
  height: number
}

export interface DeckFrame {
  id: string
  /** The frame's title (its `name`). */
  name: string
  /** Page coordinates. */
  bounds: Box
  image: DeckImage
}

export interface DeckSticky {
  id: string
  text: string
  /** The sticky's fill as CSS hex ('#FED49A'). */
  color: string
  bounds: Box
  /** The frame the sticky sits in (its outermost frame ancestor), if any. */
  frameId: string | null
  /** A template prompt (locked background), not a participant's answer. */
  background: boolean
}

export interface DeckZone {
  id: string
  /** The zone's text; its first line is the group's heading, the rest its description. */
  label: string
  /** The zone's colour as CSS hex, for the bar beside its heading; null for none. */
  color: string | null
  bounds: Box
  frameId: string | null
}

/** A shape an agenda step focuses on: where it is, and the frames around it (innermost first). */
export type DeckShape = FocusedShape

export interface DeckSource {
  /** The board's title. */
  title: string
  date: Date
  /** How many people took part; null when unknown. */
  participants: number | null
  /** Frames in any order; nested frames are part of their outer frame and not listed. */
  frames: DeckFrame[]
  /** A board without frames: the whole page as one picture (null on an empty page). */
  page: DeckImage | null
  stickies: DeckSticky[]
  zones: DeckZone[]
  agenda: AgendaSection[]
  /** The shapes that agenda steps focus on, by shape id (missing: not on this page). */
  shapes: Record<string, DeckShape>
  /** The board's ended votes, newest first (as the server keeps them); absent: none. */
  votes?: VoteResult[]
  /**
   * The workshop's decisions and actions (from its outcome, src/export/report): a "Decisions"
   * and an "Actions" slide after the votes. Absent or empty: no such slides.
   */
  outcome?: Pick<WorkshopOutcome, 'decisions' | 'actions'> | null
}

// ---------------------------------------------------------------------------------------------
// Slides

export type SlideElement =
  | {
      kind: 'text'
      box: Box
      text: string
      style: TextStyle
      /** The lines the layout made room for: the DOM view cuts the text there, if it must. */
      maxLines: number
    }
  | {
      kind: 'rect'
      box: Box
      /** Hex without '#'; null for none. */
      fill: string | null
      line?: { color: string; width: number }
      /** Corner radius in inches. */
      radius?: number
      /** Degrees, clockwise. */
      rotate?: number
      shadow?: boolean
    }
  | { kind: 'image'; box: Box; image: DeckImage; alt: string }
  | { kind: 'logo'; box: Box }
  | { kind: 'list'; box: Box; entries: ListEntry[] }

interface SlideBase {
  /** 1-based, as printed in the footer. */
  number: number
  title: string
  /** Speaker notes (plain text; empty for none). */
  notes: string
  /** What the progress toast says while this slide is made. */
  label: string
  elements: SlideElement[]
}

export interface TitleSlide extends SlideBase {
  kind: 'title'
  date: string
  participants: string | null
}

export interface FrameSlide extends SlideBase {
  kind: 'frame'
  /** Null for the whole-board slide of a board without frames. */
  frameId: string | null
  image: DeckImage | null
}

export interface SummarySlide extends SlideBase {
  kind: 'summary'
  frameId: string | null
  continued: boolean
  /** The groups on this slide, with the stickies' texts as they are shown. */
  groups: { heading: string; stickies: string[] }[]
}

/** A dot vote's result: "Vote: <title>", its stickies ranked with their counts. */
export interface VoteSlide extends SlideBase {
  kind: 'vote'
  voteId: string
  /** The ranked stickies on the slide (the first `VOTE.maxRows` that fit); all are in the notes. */
  rows: { rank: number; text: string; count: number }[]
  /** Ranked stickies left off the slide for room. */
  more: number
}

/** "Decisions": the stickies marked (or in a zone declared) a decision, numbered. */
export interface DecisionsSlide extends SlideBase {
  kind: 'decisions'
  continued: boolean
  /** The decisions on this slide, as shown; all of them are in the notes. */
  rows: { text: string; where: string | null }[]
}

/** "Actions": each action with its owner and due date, in columns. */
export interface ActionsSlide extends SlideBase {
  kind: 'actions'
  continued: boolean
  /** The actions on this slide, as shown (`due` as printed: "4 Dec 2026"); all in the notes. */
  rows: { text: string; owner: string | null; due: string | null }[]
}

export type Slide =
  TitleSlide | FrameSlide | SummarySlide | VoteSlide | DecisionsSlide | ActionsSlide

export const NO_FRAMES_TITLE = 'The board'
export const ELSEWHERE_IN_FRAME = 'Elsewhere in the frame'
export const OUTSIDE_FRAMES_TITLE = 'Elsewhere on the board'

// ---------------------------------------------------------------------------------------------
// Geometry

// Reading order lives with the board's geometry (presenting orders frames by it too).
export { readingOrder }

// ---------------------------------------------------------------------------------------------
// Text

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})

/** "24 November 2026". */
export const formatDate = (date: Date) => DATE_FORMAT.format(date)

/** "8 people took part"; null when the number is unknown (or nobody). */
export function participantsLine(participants: number | null): string | null {
  if (participants === null || !(participants > 0)) return null
  return participants === 1 ? '1 person took part' : `${participants} people took part`
}

const minutes = (n: number) => `${Number.isInteger(n) ? n : Number(n.toFixed(1))} min`

/** One step in speaker notes: "<title> (N min)" and its instructions under it. */
export function stepNotes(step: BoardStep): string {
  const head = `${step.title} (${minutes(step.minutes)})`
  return step.instructions.trim() ? `${head}\n${step.instructions.trim()}` : head
}

/** The title slide's notes: the agenda with its timings, and the facilitator's notes. */
export function agendaNotes(agenda: readonly AgendaSection[]): string {
  const parts: string[] = []
  for (const section of agenda) {
    const total = section.steps.reduce((sum, s) => sum + s.minutes, 0)
    const steps = section.steps.map((s, i) => `${i + 1}. ${s.title} (${minutes(s.minutes)})`)
    parts.push([`${section.title} (${minutes(total)})`, ...steps].join('\n'))
    if (section.notes.trim()) parts.push(`Facilitator notes: ${section.notes.trim()}`)
  }
  return parts.join('\n\n')
}

/**
 * A zone's label: the first line is the heading, the rest the description. A line that starts
 * in lower case goes on the sentence before it ("Frameworks" / "we use today").
 */
export function splitLabel(label: string): { heading: string; description: string } {
  const lines: string[] = []
  for (const line of label.split('\n').map((l) => l.trim())) {
    if (!line) continue
    if (lines.length > 0 && /^\p{Ll}/u.test(line)) lines[lines.length - 1] += ` ${line}`
    else lines.push(line)
  }
  return { heading: lines[0] ?? 'Untitled zone', description: lines.slice(1).join(' ') }
}

/** tldraw's yellow sticky, for a sticky whose colour is not a hex colour. */
const DEFAULT_STICKY = 'FED49A'
/** The bar beside "Elsewhere in the frame": quieter than any zone's colour. */
const ELSEWHERE_COLOR = 'C9CED6'

/** '#fed49a' or '#fd9' as 'FED49A' (what both writers take); null for anything else. */
export function hex(css: string | null): string | null {
  const match = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(css?.trim() ?? '')
  if (!match) return null
  const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join('') : match[1]
  return digits.toUpperCase()
}

// ---------------------------------------------------------------------------------------------
// The deck

interface Section {
  frame: DeckFrame | null
  title: string
  image: DeckImage | null
  steps: BoardStep[]
  stickies: DeckSticky[]
  zones: DeckZone[]
}

export interface BuildOptions {
  /**
   * The metrics of the font the slides will be set in, for wrapping and pagination: Arial's
   * by default (the PPTX); the DOM's own for the PDF.
   */
  measure?: Measure
}

export function buildDeck(source: DeckSource, options: BuildOptions = {}): Slide[] {
  const measure = options.measure ?? arialMeasure
  const frames = readingOrder(source.frames, (f) => f.bounds)
  const frameOf = (item: { bounds: Box; frameId: string | null }) => frameAt(item, frames)

  const sections: Section[] = frames.map((frame) => ({
    frame,
    title: frame.name.trim() || 'Untitled frame',
    image: frame.image,
    steps: [],
    stickies: [],
    zones: [],
  }))
  // Everything outside the frames: the whole board when there are none.
  const outside: Section = {
    frame: null,
    title: frames.length ? OUTSIDE_FRAMES_TITLE : NO_FRAMES_TITLE,
    image: frames.length ? null : source.page,
    steps: [],
    stickies: [],
    zones: [],
  }
  const sectionOf = (frame: DeckFrame | null) => (frame ? sections[frames.indexOf(frame)] : outside)

  for (const step of source.agenda.flatMap((s) => s.steps)) {
    const frame = frames.length ? stepFrame(step, frames, source.shapes) : null
    // Without frames the whole-board slide takes every step; with them, steps that focus on
    // no frame are only in the agenda on the title slide.
    if (frame || !frames.length) sectionOf(frame).steps.push(step)
  }
  for (const sticky of source.stickies) {
    if (sticky.background || !sticky.text.trim()) continue
    sectionOf(frameOf(sticky)).stickies.push(sticky)
  }
  for (const zone of source.zones) sectionOf(frameOf(zone)).zones.push(zone)

  const slides: Omit<Slide, 'number'>[] = [titleSlide(source, measure)]
  for (const section of sections) {
    slides.push(frameSlide(section, sections.length, sections.indexOf(section) + 1, measure))
    slides.push(...summarySlides(section, measure))
  }
  if (!frames.length) slides.push(frameSlide(outside, 1, 1, measure))
  slides.push(...summarySlides(outside, measure))
  // The votes close the deck, in the order they were taken: the workshop's decisions.
  const colors = new Map(source.stickies.map((s) => [s.id, hex(s.color) ?? DEFAULT_STICKY]))
  for (const vote of [...(source.votes ?? [])].reverse()) {
    slides.push(voteSlide(vote, colors, measure))
  }
  // Then what the workshop decided and who does what by when.
  slides.push(...decisionSlides(source.outcome?.decisions ?? [], measure))
  slides.push(...actionSlides(source.outcome?.actions ?? [], measure))

  return slides.map((slide, i) => {
    const number = i + 1
    const elements =
      slide.kind === 'title'
        ? slide.elements
        : [...slide.elements, ...footer(source, number, measure)]
    return { ...slide, number, elements } as Slide
  })
}

function titleSlide(source: DeckSource, measure: Measure): Omit<TitleSlide, 'number'> {
  const title = source.title.trim() || 'Untitled workshop'
  const date = formatDate(source.date)
  const participants = participantsLine(source.participants)

  // One line if a slightly smaller size allows it, else two, else three at most.
  const fit = (sizes: number[], lines: number) =>
    fitText(title, COVER.w, TYPE.display, sizes, lines, measure)
  const oneLine = fit([44, 40], 1)
  const twoLines = fit([44, 40, 36], 2)
  const fitted = !oneLine.truncated
    ? oneLine
    : !twoLines.truncated
      ? twoLines
      : fit([36, 32, 28], 3)
  const titleH = linesHeight(fitted.lines.length, fitted.style)
  const subtitleH = linesHeight(1, TYPE.subtitle)
  const ruleGap = 0.3
  const titleGap = 0.22
  const blockH =
    COVER.rule.h + ruleGap + titleH + titleGap + subtitleH * (participants ? 2 : 1) + 0.04
  let y = COVER.centreY - blockH / 2

  const elements: SlideElement[] = []
  for (const s of COVER.stickies) {
    elements.push({
      kind: 'rect',
      box: { x: s.x - s.size / 2, y: s.y - s.size / 2, w: s.size, h: s.size },
      fill: s.color,
      radius: 0.06,
      rotate: s.rotate,
      shadow: true,
    })
  }
  elements.push({
    kind: 'rect',
    box: { x: COVER.x, y, w: COVER.rule.w, h: COVER.rule.h },
    fill: COLORS.accent,
    radius: COVER.rule.h / 2,
  })
  y += COVER.rule.h + ruleGap
  elements.push({
    kind: 'text',
    box: { x: COVER.x, y, w: COVER.w, h: titleH },
    text: fitted.lines.join(' '),
    style: fitted.style,
    maxLines: fitted.lines.length,
  })
  y += titleH + titleGap
  elements.push({
    kind: 'text',
    box: { x: COVER.x, y, w: COVER.w, h: subtitleH },
    text: date,
    style: TYPE.subtitle,
    maxLines: 1,
  })
  y += subtitleH + 0.04
  if (participants) {
    elements.push({
      kind: 'text',
      box: { x: COVER.x, y, w: COVER.w, h: subtitleH },
      text: participants,
      style: TYPE.subtitle,
      maxLines: 1,
    })
  }
  elements.push({ kind: 'logo', box: COVER.logo })
  elements.push({
    kind: 'text',
    box: COVER.brand,
    text: 'Made with Switchback',
    style: TYPE.brand,
    maxLines: 1,
  })

  return {
    kind: 'title',
    title,
    date,
    participants,
    notes: agendaNotes(source.agenda),
    label: 'Title slide',
    elements,
  }
}

/** Kicker and title, the top of every content slide. */
function heading(kicker: string, title: string, measure: Measure): SlideElement[] {
  // One line, smaller if it must; a very long title gets two lines at the smallest size.
  const oneLine = fitText(title, CHROME.title.w, TYPE.title, [28, 24, 20, 18], 1, measure)
  const lines = oneLine.truncated
    ? fitText(title, CHROME.title.w, TYPE.title, [18], 2, measure)
    : oneLine
  return [
    { kind: 'text', box: CHROME.kicker, text: kicker, style: TYPE.kicker, maxLines: 1 },
    {
      kind: 'text',
      box: CHROME.title,
      text: lines.lines.join(' '),
      style: lines.style,
      maxLines: lines.lines.length,
    },
  ]
}

function footer(source: DeckSource, number: number, measure: Measure): SlideElement[] {
  const style = TYPE.footer
  return [
    {
      kind: 'text',
      box: CHROME.footerLeft,
      text: fitText(
        source.title.trim() || 'Untitled workshop',
        CHROME.footerLeft.w,
        style,
        [10],
        1,
        measure,
      ).lines[0],
      style,
      maxLines: 1,
    },
    {
      kind: 'text',
      box: CHROME.footerRight,
      text: String(number),
      style: { ...style, align: 'right' },
      maxLines: 1,
    },
  ]
}

function frameSlide(
  section: Section,
  count: number,
  index: number,
  measure: Measure,
): Omit<FrameSlide, 'number'> {
  const kicker = section.frame ? `Frame ${index} of ${count}` : 'The whole board'
  const elements = heading(kicker, section.title, measure)
  if (section.image) {
    const box = fitContain(CHROME.body, section.image.width, section.image.height)
    elements.push({ kind: 'image', box, image: section.image, alt: section.title })
    // A hairline around the picture, drawn over its edge: a white frame on a white slide.
    elements.push({ kind: 'rect', box, fill: null, line: { color: COLORS.line, width: 1 } })
  } else {
    elements.push({
      kind: 'text',
      box: {
        x: CHROME.body.x,
        y: CHROME.body.y + CHROME.body.h / 2 - 0.2,
        w: CHROME.body.w,
        h: 0.4,
      },
      text: 'Nothing on the board yet.',
      style: TYPE.empty,
      maxLines: 1,
    })
  }
  return {
    kind: 'frame',
    frameId: section.frame?.id ?? null,
    title: section.title,
    image: section.image,
    notes: section.steps.map(stepNotes).join('\n\n'),
    label: `“${section.title}”`,
    elements,
  }
}

/** The stickies of a section, grouped by zone, as one or more list slides. */
function summarySlides(section: Section, measure: Measure): Omit<SummarySlide, 'number'>[] {
  if (section.stickies.length === 0) return []
  const zones = readingOrder(section.zones, (z) => z.bounds)
  const byZone = new Map<DeckZone | null, DeckSticky[]>()
  for (const sticky of section.stickies) {
    const zone = zonesAt(sticky, zones)[0] ?? null
    byZone.set(zone, [...(byZone.get(zone) ?? []), sticky])
  }
  const groups: ListGroup[] = []
  for (const zone of [...zones, null]) {
    const stickies = byZone.get(zone)
    if (!stickies) continue
    const label = zone ? splitLabel(zone.label) : { heading: ELSEWHERE_IN_FRAME, description: '' }
    if (!zone && section.frame === null) label.heading = 'Not in a zone'
    groups.push({
      ...label,
      color: zone ? (hex(zone.color) ?? COLORS.accent) : ELSEWHERE_COLOR,
      items: readingOrder(stickies, (s) => s.bounds).map((s) => ({
        text: s.text.trim(),
        color: hex(s.color) ?? DEFAULT_STICKY,
      })),
    })
  }
  // When every sticky is outside the zones, a lone "Elsewhere" heading says nothing.
  const onlyElsewhere = groups.length === 1 && zones.length === 0
  const pages = paginateList(onlyElsewhere ? [{ ...groups[0], heading: '' }] : groups, measure)
  const count = section.stickies.length
  const kicker = `${count} ${count === 1 ? 'sticky' : 'stickies'}`

  return pages.map((columns, page) => {
    const continued = page > 0
    const title = continued ? `${section.title} (continued)` : section.title
    const elements: SlideElement[] = heading(kicker, title, measure)
    columns.forEach((entries) => {
      if (entries.length === 0) return
      const first = entries[0].box
      const last = entries[entries.length - 1].box
      elements.push({
        kind: 'list',
        box: { x: first.x, y: first.y, w: first.w, h: last.y + last.h - first.y },
        entries,
      })
    })
    const shown = new Map<number, { heading: string; stickies: string[] }>()
    for (const entry of columns.flat()) {
      const item = shown.get(entry.group) ?? { heading: groups[entry.group].heading, stickies: [] }
      if (entry.kind === 'sticky') item.stickies.push(entry.text)
      shown.set(entry.group, item)
    }
    return {
      kind: 'summary',
      frameId: section.frame?.id ?? null,
      continued,
      title,
      groups: [...shown.values()],
      notes: '',
      label: `Stickies in “${section.title}”`,
      elements,
    }
  })
}

/** A sticky deleted since the vote: its text is still listed, with a neutral swatch. */
const GONE_STICKY = 'E3E6EC'
const WHEN_ENDED = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' })

/**
 * "Vote: <title>": the ranked stickies with a bar and a count each, as many as fit (at most
 * `VOTE.maxRows`), and a line saying how many more there are; the notes hold the whole list,
 * with who voted in an open vote.
 */
function voteSlide(
  vote: VoteResult,
  colors: ReadonlyMap<string, string>,
  measure: Measure,
): Omit<VoteSlide, 'number'> {
  const title = `Vote: ${vote.title}`
  const kicker = `Dot vote · ${votersLabel(vote.voters)} · ${vote.scopeLabel}`
  const elements = heading(kicker, title, measure)
  const ranked = rankResult(vote)
  const most = Math.max(1, ...ranked.map((r) => r.count))
  const lineH = linesHeight(1, TYPE.item)
  const moreH = linesHeight(1, TYPE.description) + VOTE.rowGap
  const bottom = CHROME.body.y + CHROME.body.h
  const rows: VoteSlide['rows'] = []
  let y = CHROME.body.y
  for (const [i, entry] of ranked.entries()) {
    const text = fitText(
      oneLine(entry.text),
      VOTE.text.w,
      TYPE.item,
      [TYPE.item.size],
      VOTE.maxLines,
      measure,
    )
    const h = linesHeight(text.lines.length, TYPE.item)
    const last = i === ranked.length - 1
    if (i >= VOTE.maxRows || y + h > (last ? bottom : bottom - moreH)) break
    const rankStyle = { ...TYPE.item, bold: true, color: COLORS.inkSoft }
    elements.push(
      {
        kind: 'text',
        box: { x: VOTE.rank.x, y, w: VOTE.rank.w, h: lineH },
        text: `${entry.rank}.`,
        style: rankStyle,
        maxLines: 1,
      },
      {
        kind: 'rect',
        box: {
          x: VOTE.swatch.x,
          y: y + (lineH - VOTE.swatch.size) / 2,
          w: VOTE.swatch.size,
          h: VOTE.swatch.size,
        },
        fill: colors.get(entry.stickyId) ?? GONE_STICKY,
        line: { color: 'C9CED6', width: 0.5 },
        radius: 0.03,
      },
      {
        kind: 'text',
        box: { x: VOTE.text.x, y, w: VOTE.text.w, h },
        text: text.lines.join(' '),
        style: TYPE.item,
        maxLines: text.lines.length,
      },
      {
        kind: 'rect',
        box: {
          x: VOTE.bar.x,
          y: y + (lineH - VOTE.bar.h) / 2,
          w: Math.max(0.04, (VOTE.bar.w * entry.count) / most),
          h: VOTE.bar.h,
        },
        fill: entry.rank === 1 ? COLORS.accent : 'A7BAF5',
        radius: 0.04,
      },
      {
        kind: 'text',
        box: { x: VOTE.count.x, y, w: VOTE.count.w, h: lineH },
        text: votesLabel(entry.count),
        style: { ...TYPE.item, bold: true, align: 'right' },
        maxLines: 1,
      },
    )
    rows.push({ rank: entry.rank, text: text.lines.join(' '), count: entry.count })
    y += h + VOTE.rowGap
  }
  const more = ranked.length - rows.length
  if (ranked.length === 0) {
    elements.push({
      kind: 'text',
      box: {
        x: CHROME.body.x,
        y: CHROME.body.y + CHROME.body.h / 2 - 0.2,
        w: CHROME.body.w,
        h: 0.4,
      },
      text: vote.voters > 0 ? 'No sticky got a vote.' : 'Nobody voted.',
      style: TYPE.empty,
      maxLines: 1,
    })
  } else if (more > 0) {
    elements.push({
      kind: 'text',
      box: { x: VOTE.text.x, y, w: VOTE.text.w, h: linesHeight(1, TYPE.description) },
      text: `and ${more} more ${more === 1 ? 'sticky' : 'stickies'} with votes (all in the notes)`,
      style: TYPE.description,
      maxLines: 1,
    })
  }
  return {
    kind: 'vote',
    voteId: vote.id,
    title,
    rows,
    more,
    notes: resultText(vote, { formatDate: (t) => WHEN_ENDED.format(t) }),
    label: `“${title}”`,
    elements,
  }
}

// ---------------------------------------------------------------------------------------------
// Decisions and actions

const BODY_BOTTOM = CHROME.body.y + CHROME.body.h

/** A row's number, as on the vote slides. */
const numberText = (n: number, y: number): SlideElement => ({
  kind: 'text',
  box: { x: OUTCOME.number.x, y, w: OUTCOME.number.w, h: linesHeight(1, TYPE.item) },
  text: `${n}.`,
  style: { ...TYPE.item, bold: true, color: COLORS.inkSoft },
  maxLines: 1,
})

const hairline = (y: number): SlideElement => ({
  kind: 'rect',
  box: { x: CHROME.body.x, y, w: CHROME.body.w, h: 0.01 },
  fill: COLORS.line,
})

/** A text fitted to its column (at most `lines` lines), as an element and its height. */
function cell(
  text: string,
  x: number,
  w: number,
  y: number,
  style: TextStyle,
  lines: number,
  measure: Measure,
): { element: SlideElement; h: number; text: string } {
  const fitted = fitText(text, w, style, [style.size], lines, measure)
  const shown = fitted.lines.join(' ')
  const h = linesHeight(fitted.lines.length, style)
  return {
    element: {
      kind: 'text',
      box: { x, y, w, h },
      text: shown,
      style,
      maxLines: fitted.lines.length,
    },
    h,
    text: shown,
  }
}

/**
 * Rows top to bottom under a slide's title, on as many slides as they need ("(continued)"):
 * `row` lays one out at `y` and says how tall it is; a row that does not fit below the last
 * goes on the next slide (one always fits on an empty slide: its lines are capped).
 */
function paginateRows<T, R>(
  items: readonly T[],
  top: number,
  row: (item: T, index: number, y: number) => { elements: SlideElement[]; h: number; shown: R },
): { elements: SlideElement[]; rows: R[] }[] {
  const pages: { elements: SlideElement[]; rows: R[] }[] = []
  let page: { elements: SlideElement[]; rows: R[] } | null = null
  let y = top
  items.forEach((item, index) => {
    let laid = row(item, index, y)
    if (!page || (page.rows.length > 0 && y + laid.h > BODY_BOTTOM + 1e-9)) {
      page = { elements: [], rows: [] }
      pages.push(page)
      y = top
      laid = row(item, index, y)
    }
    page.elements.push(...laid.elements)
    page.rows.push(laid.shown)
    y += laid.h
  })
  return pages
}

/** One outcome in the notes: its whole text, then what the slide shows beside it. */
function outcomeNote(n: number, text: string, details: (string | null)[], link: string): string {
  const extra = details.filter(Boolean).join(' · ')
  return `${n}. ${oneLine(text)}${extra ? ` (${extra})` : ''}\n   ${link}`
}

function decisionSlides(
  decisions: readonly OutcomeDecision[],
  measure: Measure,
): Omit<DecisionsSlide, 'number'>[] {
  if (decisions.length === 0) return []
  const textStyle: TextStyle = { ...TYPE.item, bold: true }
  const lineH = linesHeight(1, TYPE.item)
  const pages = paginateRows(decisions, CHROME.body.y, (decision, _index, y) => {
    const text = cell(
      oneLine(decision.text),
      OUTCOME.decision.x,
      OUTCOME.decision.w,
      y,
      textStyle,
      OUTCOME.maxLines,
      measure,
    )
    const where = decision.where
      ? cell(
          decision.where,
          OUTCOME.decision.x,
          OUTCOME.decision.w,
          y + text.h + 0.03,
          TYPE.description,
          1,
          measure,
        )
      : null
    const contentH = text.h + (where ? where.h + 0.03 : 0)
    const size = OUTCOME.check.size
    const elements: SlideElement[] = [
      {
        kind: 'rect',
        box: { x: OUTCOME.check.x, y: y + (lineH - size) / 2, w: size, h: size },
        fill: OUTCOME.good,
        radius: 0.05,
      },
      {
        kind: 'text',
        box: { x: OUTCOME.check.x, y: y + (lineH - size) / 2 + 0.005, w: size, h: size },
        text: '✓',
        style: {
          ...TYPE.item,
          size: 13,
          lineHeight: 18,
          bold: true,
          color: 'FFFFFF',
          align: 'center',
        },
        maxLines: 1,
      },
      text.element,
      ...(where ? [where.element] : []),
      hairline(y + contentH + OUTCOME.rowPad),
    ]
    return {
      elements,
      h: contentH + 2 * OUTCOME.rowPad,
      shown: { text: text.text, where: decision.where },
    }
  })
  const notes = [
    'Decisions',
    ...decisions.map((d, i) => outcomeNote(i + 1, d.text, [d.where], d.link)),
  ].join('\n')
  const kicker = `${decisions.length} ${decisions.length === 1 ? 'decision' : 'decisions'}`
  return pages.map((page, i) => {
    const title = i > 0 ? 'Decisions (continued)' : 'Decisions'
    return {
      kind: 'decisions',
      continued: i > 0,
      title,
      rows: page.rows,
      notes,
      label: `“${title}”`,
      elements: [...heading(kicker, title, measure), ...page.elements],
    }
  })
}

function actionSlides(
  actions: readonly OutcomeAction[],
  measure: Measure,
): Omit<ActionsSlide, 'number'>[] {
  if (actions.length === 0) return []
  const headerStyle: TextStyle = { ...TYPE.kicker, color: COLORS.inkFaint }
  const header = (y: number): SlideElement[] => [
    ...(
      [
        ['Action', OUTCOME.action],
        ['Owner', OUTCOME.owner],
        ['Due', OUTCOME.due],
      ] as const
    ).map(([text, column]): SlideElement => ({
      kind: 'text',
      box: { x: column.x, y, w: column.w, h: OUTCOME.header.h },
      text,
      style: headerStyle,
      maxLines: 1,
    })),
    hairline(y + OUTCOME.header.h),
  ]
  const top = CHROME.body.y + OUTCOME.header.h + OUTCOME.rowPad
  const noOwner: TextStyle = { ...TYPE.item, color: COLORS.inkFaint }
  const pages = paginateRows(actions, top, (action, index, y) => {
    const text = cell(
      oneLine(action.text),
      OUTCOME.action.x,
      OUTCOME.action.w,
      y,
      TYPE.item,
      OUTCOME.maxLines,
      measure,
    )
    const where = action.where
      ? cell(
          action.where,
          OUTCOME.action.x,
          OUTCOME.action.w,
          y + text.h + 0.03,
          TYPE.description,
          1,
          measure,
        )
      : null
    const owner = cell(
      action.owner ? oneLine(action.owner) : 'No owner',
      OUTCOME.owner.x,
      OUTCOME.owner.w,
      y,
      action.owner ? TYPE.item : noOwner,
      OUTCOME.ownerLines,
      measure,
    )
    const dueText = action.due ? formatDue(action.due) : '–'
    const due = cell(
      dueText,
      OUTCOME.due.x,
      OUTCOME.due.w,
      y,
      action.due ? TYPE.item : noOwner,
      1,
      measure,
    )
    const contentH = Math.max(text.h + (where ? where.h + 0.03 : 0), owner.h, due.h)
    return {
      elements: [
        numberText(index + 1, y),
        text.element,
        ...(where ? [where.element] : []),
        owner.element,
        due.element,
        hairline(y + contentH + OUTCOME.rowPad),
      ],
      h: contentH + 2 * OUTCOME.rowPad,
      shown: {
        text: text.text,
        owner: action.owner ? owner.text : null,
        due: action.due ? dueText : null,
      },
    }
  })
  const notes = [
    'Actions',
    ...actions.map((a, i) =>
      outcomeNote(
        i + 1,
        a.text,
        [
          a.owner ? `owner: ${oneLine(a.owner)}` : 'no owner',
          a.due ? `due ${formatDue(a.due)}` : null,
          a.where,
        ],
        a.link,
      ),
    ),
  ].join('\n')
  const owned = actions.filter((a) => a.owner).length
  const kicker = `${actions.length} ${actions.length === 1 ? 'action' : 'actions'} · ${owned} with an owner`
  return pages.map((page, i) => {
    const title = i > 0 ? 'Actions (continued)' : 'Actions'
    return {
      kind: 'actions',
      continued: i > 0,
      title,
      rows: page.rows,
      notes,
      label: `“${title}”`,
      elements: [...heading(kicker, title, measure), ...header(CHROME.body.y), ...page.elements],
    }
  })
}

/** An image as a data URL: as it is, or read from its Blob (in browsers and in Node). */
export async function imageDataUrl(src: Blob | string): Promise<string> {
  if (typeof src === 'string') return src
  const bytes = new Uint8Array(await src.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return `data:${src.type || 'image/png'};base64,${btoa(binary)}`
}

/** Every piece of text on a slide with its box: the PDF's invisible text layer. */
export function slideText(slide: Slide): { text: string; box: Box; style: TextStyle }[] {
  return slide.elements.flatMap((element) => {
    if (element.kind === 'text') return [element]
    if (element.kind !== 'list') return []
    return element.entries.flatMap((entry) =>
      entry.kind === 'sticky'
        ? [{ text: entry.text, box: entry.textBox, style: TYPE.item }]
        : [
            ...(entry.text ? [{ text: entry.text, box: entry.textBox, style: TYPE.heading }] : []),
            ...(entry.descriptionBox
              ? [{ text: entry.description, box: entry.descriptionBox, style: TYPE.description }]
              : []),
          ],
    )
  })
}
