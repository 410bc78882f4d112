/**
 * The workshop outcome's builder, from plain board data: step times over revisits, vote ranks
 * with ties, zone-declared actions, stacks counted once, template prompts left out, the
 * "After:" snapshots, report sections; and the actions CSV's quoting, read back by a parser.
 */
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import type { AgendaSection } from '../../src/board/agenda'
import { actionsCsv } from '../../src/export/report/actions-csv'
import {
  buildWorkshopOutcome,
  stepTimes,
  type OutcomeInput,
  type OutcomeNote,
} from '../../src/export/report/outcome'
import { outcomeJson } from '../../src/export/report/outcome-json'
import type { VoteResult } from '../../src/protocol/facilitation'
import { workshopOutcomeSchema, type WorkshopOutcome } from '../../src/protocol/workshop-outcome'

const LINK = 'http://localhost:1999/b/room1'
const T0 = Date.UTC(2026, 11, 2, 13, 0)

let nextIndex = 0
function note(id: string, x: number, y: number, text: string, meta: object = {}): OutcomeNote {
  nextIndex++
  return {
    id,
    text,
    colorName: 'yellow',
    index: `a${String(nextIndex).padStart(3, '0')}`,
    bounds: { x, y, w: 200, h: 200 },
    frameId: null,
    background: false,
    meta: { switchback: meta },
  }
}

const agenda: AgendaSection[] = [
  {
    instance: 'i1',
    templateId: 'retro',
    title: 'Retro',
    notes: '',
    steps: [
      { title: 'Brainstorm', minutes: 10, instructions: '', focus: 'shape:frame' },
      { title: 'Vote', minutes: 5, instructions: '' },
      { title: 'Actions', minutes: 10, instructions: '' },
    ],
    report: [
      {
        title: 'What went well',
        intro: 'Most voted first.',
        zones: ['shape:well'],
        order: 'votes',
      },
    ],
  },
]

function vote(totals: VoteResult['totals'], more: Partial<VoteResult> = {}): VoteResult {
  return {
    id: 'v1',
    title: 'Top issue',
    scopeLabel: 'Frame: Retro',
    anonymous: true,
    votesPerPerson: 3,
    startedAt: T0 + 60_000,
    endedAt: T0 + 120_000,
    voters: 3,
    totals,
    ...more,
  }
}

function input(more: Partial<OutcomeInput> = {}): OutcomeInput {
  const stickies = [
    // The template's grey prompt: never an answer.
    { ...note('shape:prompt', 20, 120, 'What went well?'), background: true, colorName: 'grey' },
    note('shape:w1', 40, 300, 'Good pairing'),
    note('shape:w2', 300, 300, 'Fast reviews'),
    // In the actions zone, which declares every sticky in it an action.
    note('shape:a1', 40, 1100, 'Book a room\nfor the planning day'),
    note('shape:a2', 300, 1100, 'Write the ADR', {
      outcome: { kind: 'action', owner: 'Ana', due: '2026-12-24' },
    }),
    note('shape:d1', 560, 300, 'We ship weekly', { outcome: { kind: 'decision' } }),
    // A stack of three near-duplicates: listed once, its action counted once.
    note('shape:s1', 40, 700, 'Too many meetings', { stack: 'st' }),
    note('shape:s2', 50, 710, 'Too many meetings!', { stack: 'st' }),
    note('shape:s3', 60, 720, 'too many meetings', {
      stack: 'st',
      outcome: { kind: 'action', owner: 'Ben' },
    }),
    // Outside every frame.
    note('shape:out', 3000, 0, 'Parking lot'),
  ]
  return {
    board: { id: 'room1', title: 'Team retro', link: LINK },
    now: T0 + 600_000,
    frames: [{ id: 'shape:frame', name: 'Retro', bounds: { x: 0, y: 0, w: 1200, h: 1400 } }],
    stickies,
    zones: [
      {
        id: 'shape:well',
        label: 'Went well\nWhat helped us',
        bounds: { x: 0, y: 100, w: 1200, h: 500 },
        frameId: 'shape:frame',
        meta: {},
      },
      {
        id: 'shape:actions',
        label: 'Actions',
        bounds: { x: 0, y: 1000, w: 1200, h: 400 },
        frameId: 'shape:frame',
        meta: { switchback: { zone: { capacity: 3, outcome: 'action' } } },
      },
    ],
    agenda,
    shapes: {},
    stepLog: [
      { step: { instance: 'i1', index: 0 }, at: T0 },
      { step: { instance: 'i1', index: 1 }, at: T0 + 120_000 },
      // Back to the brainstorm for a minute, then on to the actions (the current step).
      { step: { instance: 'i1', index: 0 }, at: T0 + 180_000 },
      { step: { instance: 'i1', index: 2 }, at: T0 + 240_000 },
    ],
    currentStep: { instance: 'i1', index: 2 },
    votes: [
      vote([
        { stickyId: 'shape:w2', text: 'Fast reviews', count: 4 },
        { stickyId: 'shape:w1', text: 'Good pairing', count: 2 },
        { stickyId: 'shape:d1', text: 'We ship weekly', count: 2 },
        { stickyId: 'shape:gone', text: 'Deleted since', count: 1 },
      ]),
    ],
    snapshots: [
      {
        id: 'snap-newer1',
        title: 'After: Brainstorm',
        createdAt: T0 + 240_000,
        width: 800,
        height: 600,
        url: `${LINK.replace('/b/', '/parties/board/')}/snapshots/snap-newer1.png`,
      },
      {
        id: 'snap-older1',
        title: 'After: Brainstorm',
        createdAt: T0 + 120_000,
        width: 800,
        height: 600,
        url: `${LINK.replace('/b/', '/parties/board/')}/snapshots/snap-older1.png`,
      },
      {
        id: 'snap-nopict',
        title: 'After: Vote',
        createdAt: T0,
        width: null,
        height: null,
        url: null,
      },
    ],
    participants: 4,
    ...more,
  }
}

describe('buildWorkshopOutcome', () => {
  const outcome = buildWorkshopOutcome(input())

  it('is valid against its schema', () => {
    expect(workshopOutcomeSchema.safeParse(outcome).success).toBe(true)
    expect(outcome.participants).toBe(4)
    expect(outcome.date).toBe(new Date(T0).toISOString())
  })

  it('sums the time of every visit to a step; the current one runs until now', () => {
    const [brainstorm, voting, actions] = outcome.steps
    expect(brainstorm).toMatchObject({
      title: 'Brainstorm',
      durationMs: 120_000 + 60_000,
      startedAt: new Date(T0 + 180_000).toISOString(),
      current: false,
      frameId: 'shape:frame',
    })
    expect(voting).toMatchObject({ durationMs: 60_000, current: false, snapshot: null })
    expect(actions).toMatchObject({ durationMs: 600_000 - 240_000, current: true })
    expect(stepTimes([], T0)).toEqual([])
  })

  it('gives a step the newest "After:" snapshot that has a picture', () => {
    expect(outcome.steps[0].snapshot).toMatchObject({ id: 'snap-newer1', width: 800 })
    expect(outcome.steps[0].snapshot?.imageUrl).toMatch(/^http:\/\/.*snap-newer1\.png$/)
  })

  it('ranks the votes with ties sharing a rank, and says which stickies are gone', () => {
    const [result] = outcome.votes
    expect(result.ranking.map((r) => [r.stickyId, r.votes, r.rank, r.onBoard])).toEqual([
      ['shape:w2', 4, 1, true],
      ['shape:w1', 2, 2, true],
      ['shape:d1', 2, 2, true],
      ['shape:gone', 1, 4, false],
    ])
    expect(result.ranking[0].names).toBeUndefined()
    const open = buildWorkshopOutcome(
      input({
        votes: [
          vote([{ stickyId: 'shape:w1', text: 'Good pairing', count: 2, names: ['Ana', 'Ana'] }], {
            anonymous: false,
          }),
        ],
      }),
    )
    expect(open.votes[0].ranking[0].names).toEqual(['Ana ×2'])
  })

  it('lists the stickies frame by frame and zone by zone, prompts left out, stacks once', () => {
    const [retro, outside] = outcome.frames
    expect(retro.title).toBe('Retro')
    expect(retro.zones.map((z) => [z.label, z.stickies.map((s) => s.id)])).toEqual([
      ['Went well', ['shape:w1', 'shape:w2', 'shape:d1']],
      ['Actions', ['shape:a1', 'shape:a2']],
      ['Elsewhere in the frame', ['shape:s3']],
    ])
    const stack = retro.zones[2].stickies[0]
    expect(stack).toMatchObject({ stacked: 3, outcome: 'action' })
    expect(retro.zones[0].stickies[0]).toMatchObject({ votes: 2, stacked: 1, author: null })
    expect(outside).toMatchObject({ id: '', title: 'Elsewhere on the board' })
    expect(JSON.stringify(outcome)).not.toContain('What went well?')
  })

  it('collects decisions and actions, zone-declared ones included, a stack counted once', () => {
    expect(outcome.decisions).toEqual([
      {
        stickyId: 'shape:d1',
        text: 'We ship weekly',
        where: 'Retro › Went well',
        link: `${LINK}?sticky=shape%3Ad1`,
      },
    ])
    expect(outcome.actions.map((a) => [a.stickyId, a.owner, a.due, a.where])).toEqual([
      ['shape:a1', null, null, 'Retro › Actions'],
      ['shape:a2', 'Ana', '2026-12-24', 'Retro › Actions'],
      ['shape:s3', 'Ben', null, 'Retro'],
    ])
    expect(new URL(outcome.actions[0].link).searchParams.get('sticky')).toBe('shape:a1')
  })

  it("fills the template's report sections, most voted first", () => {
    expect(outcome.sections).toHaveLength(1)
    const [section] = outcome.sections
    expect(section).toMatchObject({ title: 'What went well', intro: 'Most voted first.' })
    expect(section.zones[0].label).toBe('Went well')
    expect(section.zones[0].stickies.map((s) => s.id)).toEqual(['shape:w2', 'shape:w1', 'shape:d1'])
  })

  it('refuses to write JSON that does not match the schema', () => {
    expect(JSON.parse(outcomeJson(outcome))).toEqual(outcome)
    const broken = { ...outcome, participants: -1 } as WorkshopOutcome
    expect(() => outcomeJson(broken)).toThrow(/participants/)
  })
})

describe('actionsCsv', () => {
  const base = buildWorkshopOutcome(input())

  it('writes the columns issue trackers import, with a BOM and CRLF', () => {
    const csv = actionsCsv(base)
    expect(csv.startsWith('\uFEFFSummary,Description,Assignee,Due date,Link\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data
    expect(rows).toHaveLength(4)
    expect(rows[1][0]).toBe('Book a room')
    expect(rows[1][1]).toContain('Book a room\nfor the planning day')
    expect(rows[1][1]).toContain('From “Team retro”, Retro › Actions.')
    expect(rows[2].slice(2)).toEqual(['Ana', '2026-12-24', `${LINK}?sticky=shape%3Aa2`])
  })

  it('quotes commas, quotes and line breaks, and disarms formulas', () => {
    const outcome: WorkshopOutcome = {
      ...base,
      actions: [
        {
          stickyId: 'shape:x',
          text: 'Ask "Ops", then decide\r\nsecond line',
          owner: 'Zoë, team lead',
          due: null,
          where: null,
          link: `${LINK}?sticky=shape%3Ax`,
        },
        {
          stickyId: 'shape:y',
          text: '=HYPERLINK("http://evil")',
          owner: '@ops',
          due: null,
          where: null,
          link: `${LINK}?sticky=shape%3Ay`,
        },
      ],
    }
    const csv = actionsCsv(outcome)
    expect(csv).toContain('"Ask ""Ops"", then decide"')
    expect(csv).toContain('"Zoë, team lead"')
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data
    expect(rows[1][0]).toBe('Ask "Ops", then decide')
    expect(rows[1][2]).toBe('Zoë, team lead')
    expect(rows[2][0]).toBe(`'=HYPERLINK("http://evil")`)
    expect(rows[2][2]).toBe(`'@ops`)
  })
})
