/**
 * Small pure helpers the report's renderers (HTML and Markdown) and the deck's outcome slides
 * share, so they say a duration, a date, a count or a sticky the same way, and escape what
 * people typed in the same careful way. No DOM: they run in the browser and in the CLI alike.
 */
import type {
  OutcomeStep,
  OutcomeSticky,
  OutcomeVote,
  WorkshopOutcome,
} from '../../protocol/workshop-outcome'

// ---------------------------------------------------------------------------------------------
// Escaping

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text for HTML content and attribute values (both quote kinds escaped). */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch])

/**
 * Text for Markdown, inline: every character GitHub-flavoured Markdown could read as syntax is
 * backslash-escaped (emphasis, links, images, headings, tables, HTML), and line
 * breaks become spaces, so a sticky stays on its line and can never become markup.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_{}[\]<>#|~!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
}

/** A sticky's text on one line: line breaks and runs of white space as one space. */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

/** Only web links become links: anything else (javascript:, data:) is left as plain text. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers, durations and dates

/** "1 sticky", "3 stickies". */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

const minutesText = (n: number) => {
  const rounded = Number.isInteger(n) ? n : Number(n.toFixed(1))
  return `${rounded} min`
}

/** "12 min", "1 h 5 min", "under a minute"; rounded to the minute. */
export function formatDuration(ms: number): string {
  if (ms < 30_000) return 'under a minute'
  const total = Math.round(ms / 60_000)
  if (total < 60) return `${total} min`
  const hours = Math.floor(total / 60)
  const rest = total % 60
  return rest ? `${hours} h ${rest} min` : `${hours} h`
}

/** A step's planned time: "10 min". */
export const plannedText = (step: Pick<OutcomeStep, 'plannedMinutes'>) =>
  minutesText(step.plannedMinutes)

/** "12 min, planned 10"; "4 min so far, planned 10"; "not reached, planned 10". */
export function stepTime(step: OutcomeStep): string {
  const planned = `planned ${Number(step.plannedMinutes.toFixed(1))}`
  if (step.durationMs === null) return `not reached, ${planned}`
  const took = formatDuration(step.durationMs)
  return `${took}${step.current ? ' so far' : ''}, ${planned}`
}

/** How the actual time compares: over the plan by more than a minute, under, or on time. */
export function stepPace(step: OutcomeStep): 'over' | 'under' | 'on-time' | 'not-reached' {
  if (step.durationMs === null) return 'not-reached'
  const diff = step.durationMs / 60_000 - step.plannedMinutes
  return diff > 1 ? 'over' : diff < -1 ? 'under' : 'on-time'
}

/** All steps together: the time taken (of those reached) and the time planned. */
export function agendaTotals(steps: readonly OutcomeStep[]): { tookMs: number; planned: number } {
  return {
    tookMs: steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0),
    planned: steps.reduce((sum, s) => sum + s.plannedMinutes, 0),
  }
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' })
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
// A due date is a calendar day, not an instant: read and shown in UTC so it never shifts.
const DUE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

/** "Tuesday 24 November 2026", in the local time zone (like the deck's title slide). */
export const formatDay = (iso: string) => LONG_DATE.format(new Date(iso))
/** "13:05". */
export const formatTime = (iso: string) => TIME.format(new Date(iso))
/** "24 Nov 2026, 13:05". */
export const formatDateTime = (iso: string) => DATE_TIME.format(new Date(iso))
/** A due date ("2026-12-01") as "1 Dec 2026". */
export const formatDue = (isoDate: string) => DUE.format(new Date(`${isoDate}T00:00:00Z`))

/** "3 people took part"; null when unknown. */
export function peopleLine(participants: number | null): string | null {
  if (participants === null) return null
  return participants === 1 ? '1 person took part' : `${participants} people took part`
}

// ---------------------------------------------------------------------------------------------
// Stickies, votes and the whole outcome

/** tldraw's light-mode sticky fills by colour name; anything unknown shows as yellow. */
const STICKY_FILL: Record<string, string> = {
  black: '#1D1D1D',
  grey: '#C0CAD3',
  'light-violet': '#E9C6F7',
  violet: '#DFB0F9',
  blue: '#8AA3FF',
  'light-blue': '#9BC4FD',
  yellow: '#FED49A',
  orange: '#FAA475',
  green: '#6FC896',
  'light-green': '#98D08A',
  'light-red': '#F7A5A1',
  red: '#FC8282',
  white: '#FFFFFF',
}

/** A sticky's fill as CSS hex, from its colour name (never the raw name: it is user data). */
export const stickyFill = (color: string) => STICKY_FILL[color] ?? STICKY_FILL.yellow

/** What a sticky shows besides its text: "×5", "3 votes", "Action", "Decision". */
export function stickyTags(sticky: OutcomeSticky): string[] {
  const tags: string[] = []
  if (sticky.stacked > 1) tags.push(`×${sticky.stacked}`)
  if (sticky.votes) tags.push(sticky.votes === 1 ? '1 vote' : `${sticky.votes} votes`)
  if (sticky.outcome === 'action') tags.push('Action')
  if (sticky.outcome === 'decision') tags.push('Decision')
  return tags
}

/** "3 people voted · anonymous · ended 24 Nov 2026, 13:05". */
export function voteMeta(vote: OutcomeVote): string {
  return [
    vote.scope,
    vote.voters === 1 ? '1 person voted' : `${vote.voters} people voted`,
    vote.anonymous ? 'anonymous' : 'open vote',
    `ended ${formatDateTime(vote.endedAt)}`,
  ]
    .filter(Boolean)
    .join(' · ')
}

/** The report's title: the board's, else a stand-in. */
export const reportTitle = (outcome: WorkshopOutcome) =>
  outcome.board.title.trim() || 'Untitled workshop'

/** The first sticky of the most recent vote's top rank, for the summary. */
export function topVoted(outcome: WorkshopOutcome): { text: string; votes: number } | null {
  const vote = outcome.votes.at(-1)
  const top = vote?.ranking[0]
  return top ? { text: oneLine(top.text), votes: top.votes } : null
}

/** The frames in the order the report shows them, each once, with the step it goes under. */
export function frameSteps(outcome: WorkshopOutcome): {
  /** The index of the step under which a frame's stickies are listed (its last step). */
  lastStepOf: Map<string, number>
  /** Frames no step focuses on. */
  elsewhere: WorkshopOutcome['frames']
} {
  const known = new Set(outcome.frames.map((f) => f.id))
  const lastStepOf = new Map<string, number>()
  outcome.steps.forEach((step, i) => {
    if (step.frameId && known.has(step.frameId)) lastStepOf.set(step.frameId, i)
  })
  return { lastStepOf, elsewhere: outcome.frames.filter((f) => !lastStepOf.has(f.id)) }
}

/** A file name for a picture: "after-jobs.png", made unique with "-2", "-3"… */
export function pictureNames(outcome: WorkshopOutcome): Map<string, string> {
  const names = new Map<string, string>()
  const used = new Set<string>()
  for (const step of outcome.steps) {
    if (!step.snapshot || names.has(step.snapshot.id)) continue
    const base =
      step.snapshot.title
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || 'snapshot'
    let name = base
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`
    used.add(name)
    names.set(step.snapshot.id, `${name}.png`)
  }
  return names
}

/** Bytes as base64, in browsers and in Node alike. */
export function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** True for PNG bytes (the signature), so a broken picture is left out, not inlined. */
export const isPng = (bytes: Uint8Array) =>
  bytes.length > 8 &&
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)
