/**
 * The workshop outcome from plain data: the board's stickies, zones and frames, its agenda,
 * the step log, the ended votes, the snapshots and the people count, all gathered elsewhere
 * (`gather-outcome.ts` reads them off the canvas and the server). Pure, so what the report,
 * the CSV and the JSON say is tested without a browser; every rule about where a sticky is
 * comes from `sticky-places.ts`, the one the deck's sticky lists use.
 */
import type { AgendaSection } from '../../board/agenda'
import type { Box } from '../../board/geometry'
import { outcomeFor, readOutcomeMark, type OutcomeMark } from '../../board/outcome-marks'
import { noteAuthor, noteStack, readShapeMeta } from '../../board/shape-meta'
import { stacksOf } from '../../board/stacks'
import { rankResult } from '../../board/vote-results'
import type { StepLog, StepRef, VoteResult } from '../../protocol/facilitation'
import type { SnapshotSummary } from '../../protocol/snapshots'
import {
  WORKSHOP_OUTCOME_FORMAT,
  type OutcomeAction,
  type OutcomeDecision,
  type OutcomeFrame,
  type OutcomeSection,
  type OutcomeStep,
  type OutcomeSticky,
  type OutcomeVote,
  type WorkshopOutcome,
  type ZoneStickies,
} from '../../protocol/workshop-outcome'
import {
  ELSEWHERE_IN_FRAME,
  NO_FRAMES_TITLE,
  OUTSIDE_FRAMES_TITLE,
  readingOrder,
  splitLabel,
} from '../deck'
import { frameAt, stepFrame, zonesAt, type FocusedShape } from '../sticky-places'

export interface OutcomeNote {
  id: string
  text: string
  /** tldraw's colour name. */
  colorName: string
  /** tldraw's fractional index: the highest of a stack is its top. */
  index: string
  bounds: Box
  frameId: string | null
  /** A template prompt (locked background): never an answer. */
  background: boolean
  meta: unknown
}

export interface OutcomeZoneShape {
  id: string
  label: string
  bounds: Box
  frameId: string | null
  meta: unknown
}

export interface OutcomeInput {
  board: { id: string; title: string; /** The view-only link. */ link: string }
  /** Now on the server's clock (the step log's clock), in ms. */
  now: number
  frames: readonly { id: string; name: string; bounds: Box }[]
  stickies: readonly OutcomeNote[]
  zones: readonly OutcomeZoneShape[]
  agenda: readonly AgendaSection[]
  /** The shapes agenda steps focus on, by id. */
  shapes: Readonly<Record<string, FocusedShape>>
  /** When the workshop moved to each step, oldest first. */
  stepLog: StepLog
  /** The step the workshop is on now, if any. */
  currentStep: StepRef | null
  /** Ended votes, newest first (as the server sends them). */
  votes: readonly VoteResult[]
  /** The board's snapshots, newest first (as the server lists them). */
  snapshots: readonly SnapshotSummary[]
  participants: number | null
}

/** The link that opens the board zoomed to one sticky (view-only, like the board's). */
export function stickyLink(boardLink: string, stickyId: string): string {
  const url = new URL(boardLink)
  url.hash = ''
  url.searchParams.set('sticky', stickyId)
  return url.toString()
}

/** The snapshot the facilitator keeps when a step ends ("After: <step>", snapshots/actions.ts). */
export const afterStepTitle = (stepTitle: string) => `After: ${stepTitle}`

const sameStep = (a: StepRef, b: StepRef) => a.instance === b.instance && a.index === b.index
const iso = (ms: number) => new Date(ms).toISOString()

/** Per step: the time of all its visits together (a visit lasts until the next step change). */
export function stepTimes(
  log: StepLog,
  now: number,
): { step: StepRef; totalMs: number; lastStart: number }[] {
  const times: { step: StepRef; totalMs: number; lastStart: number }[] = []
  log.forEach((entry, i) => {
    const end = i + 1 < log.length ? log[i + 1].at : now
    const spent = Math.max(0, Math.round(end - entry.at))
    const known = times.find((t) => sameStep(t.step, entry.step))
    if (known) {
      known.totalMs += spent
      known.lastStart = entry.at
    } else times.push({ step: entry.step, totalMs: spent, lastStart: entry.at })
  })
  return times
}

export function buildWorkshopOutcome(input: OutcomeInput): WorkshopOutcome {
  const link = (id: string) => stickyLink(input.board.link, id)
  const frames = readingOrder(input.frames, (f) => f.bounds)
  const zones = readingOrder(input.zones, (z) => z.bounds)
  const zoneOutcome = (zone: OutcomeZoneShape) => readShapeMeta(zone).zone?.outcome

  // The newest vote that counted each sticky (the votes come newest first).
  const votesOf = new Map<string, number>()
  for (const vote of input.votes) {
    for (const t of vote.totals) if (!votesOf.has(t.stickyId)) votesOf.set(t.stickyId, t.count)
  }

  // A stack is listed once, as its top sticky, with how many it holds.
  const answers = input.stickies.filter((s) => !s.background && s.text.trim() !== '')
  const stacks = stacksOf(
    answers.map((s) => ({ id: s.id, stack: noteStack(s), index: s.index, bounds: s.bounds })),
  )
  const under = new Set([...stacks.values()].flatMap((ids) => ids.slice(1)))
  const listed = answers.filter((s) => !under.has(s.id))

  interface Placed {
    note: OutcomeNote
    sticky: OutcomeSticky
    mark: OutcomeMark | null
    frame: (typeof frames)[number] | null
    zone: OutcomeZoneShape | null
  }
  const placed: Placed[] = listed.map((note) => {
    const frame = frameAt(note, frames)
    // A sticky counts in the zones of its own frame (or, outside frames, in none's).
    const around = zonesAt(
      note,
      zones.filter((z) => frameAt(z, frames)?.id === frame?.id),
    )
    const mark = outcomeFor(readOutcomeMark(note), around.map(zoneOutcome))
    return {
      note,
      mark,
      frame,
      zone: around[0] ?? null,
      sticky: {
        id: note.id,
        text: note.text.trim(),
        color: note.colorName,
        author: noteAuthor(note),
        votes: votesOf.get(note.id) ?? null,
        outcome: mark?.kind ?? null,
        stacked: stacks.get(note.id)?.length ?? 1,
        link: link(note.id),
      },
    }
  })

  const zoneLabel = (zone: OutcomeZoneShape | null, inFrame: boolean) =>
    zone ? splitLabel(zone.label).heading : inFrame ? ELSEWHERE_IN_FRAME : 'Not in a zone'
  /** The stickies of one frame (null: outside every frame), zone by zone in reading order. */
  const byZone = (frameId: string | null): ZoneStickies[] => {
    const here = placed.filter((p) => (p.frame?.id ?? null) === frameId)
    const groups: ZoneStickies[] = []
    for (const zone of [...zones, null]) {
      const inZone = here.filter((p) => p.zone === zone)
      if (inZone.length === 0) continue
      groups.push({
        zone: zone?.id ?? null,
        label: zoneLabel(zone, frameId !== null),
        stickies: readingOrder(inZone, (p) => p.note.bounds).map((p) => p.sticky),
      })
    }
    return groups
  }
  const outcomeFrames: OutcomeFrame[] = frames.map((frame) => ({
    id: frame.id,
    title: frame.name || 'Untitled frame',
    zones: byZone(frame.id),
  }))
  const outside = byZone(null)
  if (outside.length > 0) {
    // Stickies outside every frame: listed last, under a frame with no id.
    outcomeFrames.push({
      id: '',
      title: frames.length > 0 ? OUTSIDE_FRAMES_TITLE : NO_FRAMES_TITLE,
      zones: outside,
    })
  }
  const frameTitle = (id: string) => outcomeFrames.find((f) => f.id === id)?.title ?? ''

  // In board order: frame by frame, zone by zone.
  const inOrder = outcomeFrames.flatMap((frame) =>
    frame.zones.flatMap((zone) =>
      zone.stickies.map((sticky) => ({
        sticky,
        place: placed.find((p) => p.sticky === sticky)!,
        where:
          [frame.id ? frame.title : null, zone.zone ? zone.label : null]
            .filter((part): part is string => !!part)
            .join(' › ') || null,
      })),
    ),
  )
  const decisions: OutcomeDecision[] = inOrder
    .filter(({ place }) => place.mark?.kind === 'decision')
    .map(({ sticky, where }) => ({
      stickyId: sticky.id,
      text: sticky.text,
      where,
      link: sticky.link,
    }))
  const actions: OutcomeAction[] = inOrder.flatMap(({ sticky, place, where }) =>
    place.mark?.kind === 'action'
      ? [
          {
            stickyId: sticky.id,
            text: sticky.text,
            owner: place.mark.owner ?? null,
            due: place.mark.due ?? null,
            where,
            link: sticky.link,
          },
        ]
      : [],
  )

  const sections: OutcomeSection[] = input.agenda.flatMap((section) =>
    (section.report ?? []).map((report) => ({
      title: report.title,
      intro: report.intro,
      zones: report.zones.flatMap((id): ZoneStickies[] => {
        const zone = zones.find((z) => z.id === id)
        const frame = frames.find((f) => f.id === id)
        const inIt = zone
          ? placed.filter((p) => p.zone === zone)
          : frame
            ? placed.filter((p) => p.frame === frame)
            : null
        if (!inIt) return []
        const ordered = readingOrder(inIt, (p) => p.note.bounds).map((p) => p.sticky)
        if (report.order === 'votes') {
          // Most voted first; as many votes (or none), board order. Sort is stable.
          ordered.sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0))
        }
        return [
          {
            zone: id,
            label: zone ? zoneLabel(zone, true) : frameTitle(id),
            stickies: ordered,
          },
        ]
      }),
    })),
  )

  const times = stepTimes(input.stepLog, input.now)
  const steps: OutcomeStep[] = input.agenda.flatMap((section) =>
    section.steps.map((step, index): OutcomeStep => {
      const ref = { instance: section.instance, index }
      const time = times.find((t) => sameStep(t.step, ref))
      const snapshot = input.snapshots.find(
        (s) => s.title === afterStepTitle(step.title) && s.url !== null,
      )
      return {
        section: section.title,
        title: step.title,
        plannedMinutes: Math.max(0, step.minutes),
        startedAt: time ? iso(time.lastStart) : null,
        durationMs: time ? time.totalMs : null,
        current: input.currentStep !== null && sameStep(input.currentStep, ref),
        frameId: stepFrame(step, frames, input.shapes)?.id ?? null,
        snapshot:
          snapshot && snapshot.url !== null
            ? {
                id: snapshot.id,
                title: snapshot.title,
                imageUrl: snapshot.url,
                width: snapshot.width,
                height: snapshot.height,
              }
            : null,
      }
    }),
  )

  const onBoard = new Set(input.stickies.map((s) => s.id))
  const votes: OutcomeVote[] = [...input.votes].reverse().map((vote) => ({
    title: vote.title,
    scope: vote.scopeLabel,
    endedAt: iso(vote.endedAt),
    voters: vote.voters,
    anonymous: vote.anonymous,
    ranking: rankResult(vote).map((entry) => ({
      stickyId: entry.stickyId,
      text: entry.text,
      votes: entry.count,
      rank: entry.rank,
      onBoard: onBoard.has(entry.stickyId),
      ...(vote.anonymous ? {} : { names: entry.names }),
    })),
  }))

  return {
    format: WORKSHOP_OUTCOME_FORMAT,
    board: { id: input.board.id, title: input.board.title, link: input.board.link },
    generatedAt: iso(input.now),
    date: input.stepLog.length > 0 ? iso(input.stepLog[0].at) : null,
    participants: input.participants,
    steps,
    frames: outcomeFrames,
    sections,
    votes,
    decisions,
    actions,
  }
}
