/**
 * The workshop report, read back: the HTML page (parsed) and the Markdown zip (unzipped) made
 * from the four framework jobs fixture hold its step times, stickies by zone, stacks, vote,
 * decisions and actions; the page fetches nothing, runs nothing and escapes what people typed.
 */
import { unzipSync } from 'fflate'
import { parse, type HTMLElement } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { REPORT_CSP, reportHtml } from '../../src/export/report/report-html'
import { reportMarkdown, reportMarkdownZip } from '../../src/export/report/report-markdown'
import {
  escapeMarkdown,
  formatDue,
  formatDuration,
  stepTime,
} from '../../src/export/report/report-text'
import type { WorkshopOutcome } from '../../src/protocol/workshop-outcome'
import { JOBS_OUTCOME } from './fixtures/workshop-outcome'
import { JOBS_PICTURES } from './fixtures/workshop-pictures'

const page = (outcome: WorkshopOutcome = JOBS_OUTCOME) => parse(reportHtml(outcome, JOBS_PICTURES))
const text = (el: HTMLElement | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim()
const section = (doc: HTMLElement, id: string) =>
  doc.querySelector(`section[aria-labelledby=${id}]`)

describe('report helpers', () => {
  it('say durations, step times and due dates as people do', () => {
    expect(formatDuration(12 * 60_000)).toBe('12 min')
    expect(formatDuration(65 * 60_000)).toBe('1 h 5 min')
    expect(formatDuration(10_000)).toBe('under a minute')
    const [first, , , , last] = JOBS_OUTCOME.steps
    expect(stepTime(first)).toBe('9 min, planned 8')
    expect(stepTime(last)).toBe('12 min so far, planned 13')
    expect(stepTime({ ...first, durationMs: null })).toBe('not reached, planned 8')
    expect(formatDue('2026-12-04')).toBe('4 Dec 2026')
    expect(escapeMarkdown('a | b *c* [d](e) <f>\nnext')).toBe(
      'a \\| b \\*c\\* \\[d\\](e) \\<f\\> next',
    )
  })
})

describe('the HTML report', () => {
  it('says what the workshop was, when, and how many took part', () => {
    const doc = page()
    expect(text(doc.querySelector('title'))).toBe(
      'Four framework jobs: platform team: workshop report',
    )
    expect(text(doc.querySelector('h1'))).toBe('Four framework jobs: platform team')
    const facts = text(doc.querySelector('.facts'))
    expect(facts).toContain('24 November 2026')
    expect(facts).toContain('3 people took part')
    const stats = doc.querySelectorAll('.stat').map(text)
    expect(stats).toEqual(
      expect.arrayContaining([
        '2 decisions',
        '3 actions',
        '1 vote',
        '1 h 4 min 5 of 5 steps, planned 60 min',
      ]),
    )
    expect(text(doc.querySelector('.glance'))).toContain('Top vote OKRs (5 votes)')
  })

  it('lists the agenda with the time each step took against its plan', () => {
    const rows = section(page(), 'agenda')!.querySelectorAll('tbody tr')
    expect(rows.map((r) => r.querySelectorAll('td').map(text))).toEqual([
      ['1', 'List the frameworksFour framework jobs', '9 min on time', '8 min', '13:00'].map(
        (t, i) => (i === 4 ? expect.any(String) : t),
      ),
      expect.arrayContaining(['15 min over', '12 min']),
      expect.arrayContaining(['6 min on time', '7 min']),
      expect.arrayContaining(['22 min over', '20 min']),
      expect.arrayContaining(['12 min so far on time', '13 min']),
    ])
    const steps = page().querySelectorAll('article.step')
    expect(steps.map((s) => text(s.querySelector('.step-time')))).toEqual([
      '9 min, planned 8',
      '15 min, planned 12',
      '6 min, planned 7',
      '22 min, planned 20',
      '12 min so far, planned 13',
    ])
  })

  it('shows each step’s “After:” picture inline, and its frame’s stickies by zone once', () => {
    const doc = page()
    const step3 = doc.getElementById('step-3')!
    const img = step3.querySelector('figure img')!
    expect(img.getAttribute('alt')).toBe('After: Vote on mismatches')
    const src = img.getAttribute('src')!
    expect(src.startsWith('data:image/png;base64,')).toBe(true)
    const bytes = Buffer.from(src.slice('data:image/png;base64,'.length), 'base64')
    expect(new Uint8Array(bytes)).toEqual(JOBS_PICTURES.get('snap-jobs'))
    // Two steps focus on "The four jobs": its stickies are listed under the later one.
    expect(doc.getElementById('step-2')!.querySelector('.zone')).toBeNull()
    expect(text(doc.getElementById('step-2'))).toContain('listed under step 3')
    const zones = step3.querySelectorAll('.zone').map((z) => ({
      heading: text(z.querySelector('h4')),
      stickies: z.querySelectorAll('.sticky-text').map(text),
      tags: z.querySelectorAll('.sticky').map((s) => s.querySelectorAll('.tag').map(text)),
    }))
    expect(zones).toEqual([
      {
        heading: '1 · Scaffold / practice environment',
        stickies: ['Opportunity solution trees'],
        tags: [['1 vote']],
      },
      {
        heading: '3 · Federated interface',
        stickies: ['OKRs — Ana', 'Scrum ceremonies'],
        // A stack shows once, with its count.
        tags: [
          ['×3', '5 votes'],
          ['×2', '2 votes'],
        ],
      },
      {
        heading: '4 · Quality assurance aid',
        stickies: ['PRD template — Ben'],
        tags: [['4 votes']],
      },
    ])
    expect(
      doc.querySelectorAll('.sticky-text').filter((s) => text(s) === 'OKRs — Ana'),
    ).toHaveLength(
      // Once under its step, once in the "Jobs and mismatches" section the template asked for.
      2,
    )
    expect(doc.querySelectorAll('figure img')).toHaveLength(2)
    // Each sticky links back to itself on the board.
    const okrs = step3.querySelector('.sticky-text a')!
    expect(text(okrs)).toBe('Opportunity solution trees')
    expect(okrs.getAttribute('href')).toBe(JOBS_OUTCOME.frames[1].zones[0].stickies[0].link)
  })

  it('has the template’s report sections, the ranked vote, the decisions and the actions', () => {
    const doc = page()
    const jobs = section(doc, 'section-jobs-and-mismatches')!
    expect(text(jobs.querySelector('h2'))).toBe('Jobs and mismatches')
    expect(text(jobs.querySelector('.intro'))).toContain('Which job each framework does')
    expect(jobs.querySelectorAll('.zone h4').map(text)).toEqual([
      '3 · Federated interface',
      'Meant for X, used for Y',
    ])

    const vote = section(doc, 'votes')!
    expect(text(vote.querySelector('h3'))).toBe('Which mismatches hurt most?')
    expect(text(vote.querySelector('.muted'))).toContain('3 people voted · anonymous')
    const ranking = vote.querySelectorAll('.vote-row').map((r) => ({
      rank: text(r.querySelector('.rank')),
      text: text(r.querySelector('.vote-text')),
      votes: text(r.querySelector('.vote-count')),
      bar: r.querySelector('.bar span')!.getAttribute('style'),
    }))
    expect(ranking).toEqual([
      { rank: '1.', text: 'OKRs', votes: '5 votes', bar: 'width:100%' },
      { rank: '2.', text: 'PRD template', votes: '4 votes', bar: 'width:80%' },
      { rank: '3.', text: 'Scrum ceremonies', votes: '2 votes', bar: 'width:40%' },
      { rank: '4.', text: 'Design sprints (deleted since)', votes: '1 vote', bar: 'width:20%' },
    ])

    const decisions = section(doc, 'decisions')!.querySelectorAll('.decision')
    expect(decisions.map((d) => text(d.querySelector('.decision-text')))).toEqual([
      'OKRs are a federated interface, not a scaffold',
      'PRDs stay a quality checklist: one page, no essays',
    ])
    expect(decisions[0].querySelector('a')!.getAttribute('href')).toBe(
      JOBS_OUTCOME.decisions[0].link,
    )

    const actions = section(doc, 'actions')!.querySelectorAll('tbody tr')
    expect(
      actions.map((r) => {
        const cells = r.querySelectorAll('td')
        return [
          text(cells[1].childNodes[0] as HTMLElement),
          text(cells[2]),
          text(cells[3]),
          cells[4].querySelector('a')?.getAttribute('href'),
        ]
      }),
    ).toEqual([
      ['Rewrite the OKR guide for newcomers', 'Ana', '4 Dec 2026', JOBS_OUTCOME.actions[0].link],
      ['Run a PRD retro with two teams', 'Ben Okafor', '11 Dec 2026', JOBS_OUTCOME.actions[1].link],
      ['Ask leads which job Scrum does for them', 'No owner', '–', JOBS_OUTCOME.actions[2].link],
    ])
  })

  it('fetches nothing, runs nothing, and escapes what people typed', () => {
    const html = reportHtml(JOBS_OUTCOME, JOBS_PICTURES)
    const doc = parse(html)
    expect(
      doc.querySelector('meta[http-equiv=Content-Security-Policy]')!.getAttribute('content'),
    ).toBe(REPORT_CSP)
    expect(doc.querySelectorAll('script, link, iframe, object, embed, base')).toHaveLength(0)
    // Pictures are data URLs; links go only to the board, its stickies, or within the page.
    for (const img of doc.querySelectorAll('[src]')) {
      expect(img.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    }
    const allowed = new Set([
      JOBS_OUTCOME.board.link,
      ...JOBS_OUTCOME.frames.flatMap((f) => f.zones.flatMap((z) => z.stickies.map((s) => s.link))),
      ...JOBS_OUTCOME.decisions.map((d) => d.link),
      ...JOBS_OUTCOME.actions.map((a) => a.link),
    ])
    for (const a of doc.querySelectorAll('[href]')) {
      const href = a.getAttribute('href')!
      if (!href.startsWith('#')) expect(allowed).toContain(href)
      else expect(doc.getElementById(href.slice(1))).not.toBeNull()
    }
    expect(html).not.toMatch(/url\(|@import/)
    // The XSS sticky is text, not an element.
    expect(doc.querySelectorAll('img').map((i) => i.getAttribute('src')?.slice(0, 5))).toEqual([
      'data:',
      'data:',
    ])
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;')
    const xss = doc.querySelectorAll('.sticky-text').find((s) => text(s).includes('onerror'))
    expect(text(xss!)).toBe('<img src=x onerror=alert(1)> & "quotes" | pipes *stars*')
  })

  it('makes a link only of a web address, and says so when there is nothing yet', () => {
    const empty: WorkshopOutcome = {
      ...JOBS_OUTCOME,
      board: { ...JOBS_OUTCOME.board, title: '  ', link: 'javascript:alert(1)' },
      participants: null,
      steps: [],
      frames: [],
      sections: [],
      votes: [],
      decisions: [],
      actions: [],
    }
    const doc = page(empty)
    expect(doc.querySelectorAll('a[href^=javascript]')).toHaveLength(0)
    expect(text(doc.querySelector('h1'))).toBe('Untitled workshop')
    expect(text(section(doc, 'decisions'))).toContain('No decisions were marked.')
    expect(text(section(doc, 'actions'))).toContain('No actions were marked.')
    expect(section(doc, 'votes')).toBeNull()
    expect(section(doc, 'agenda')).toBeNull()
  })

  it('prints: big sections start a page, pictures and rows are not split, links show no URL', () => {
    const html = reportHtml(JOBS_OUTCOME, JOBS_PICTURES)
    const print = html.slice(html.indexOf('@media print'))
    expect(print).toMatch(/\.page\{break-before:page\}/)
    expect(print).toMatch(/figure[^{]*\{break-inside:avoid\}/)
    expect(print).toMatch(/a\[href\]::after\{content:none/)
    const doc = parse(html)
    expect(
      doc.querySelectorAll('section.page').map((s) => s.getAttribute('aria-labelledby')),
    ).toEqual(['steps', 'section-jobs-and-mismatches', 'votes', 'decisions'])
  })
})

describe('the Markdown report', () => {
  const files = unzipSync(reportMarkdownZip(JOBS_OUTCOME, JOBS_PICTURES))
  const report = new TextDecoder().decode(files['report.md'])

  it('zips report.md and the pictures it shows, as PNGs', () => {
    expect(Object.keys(files).sort()).toEqual([
      'pictures/after-meant-for-x-used-for-y.png',
      'pictures/after-vote-on-mismatches.png',
      'report.md',
    ])
    expect(files['pictures/after-vote-on-mismatches.png']).toEqual(JOBS_PICTURES.get('snap-jobs'))
    for (const name of Object.keys(files).filter((n) => n.endsWith('.png'))) {
      expect([...files[name].subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
      expect(report).toContain(`](${name})`)
    }
    expect(report).toContain('![After: Vote on mismatches](pictures/after-vote-on-mismatches.png)')
  })

  it('has the title, the agenda’s times, the stickies by zone, the vote, decisions and actions', () => {
    expect(report.startsWith('# Four framework jobs: platform team\n')).toBe(true)
    expect(report).toContain('3 people took part')
    expect(report).toContain('| 2 | Sort by job | 15 min | 12 min |')
    expect(report).toContain('| 5 | Agree the job | 12 min so far | 13 min |')
    expect(report).toContain('### 3. Vote on mismatches\n\n_6 min, planned 7_')
    expect(report).toContain(
      '#### 3 · Federated interface\n\n_Many teams share one language and one cadence._',
    )
    expect(report).toContain(
      `- OKRs — Ana · ×3 · 5 votes ([sticky](${JOBS_OUTCOME.frames[1].zones[1].stickies[0].link}))`,
    )
    expect(report).toContain('## Jobs and mismatches')
    expect(report).toMatch(/\| 1\. \| OKRs \| 5 \| █{10} \|/)
    expect(report).toContain('| 4. | Design sprints _(deleted since)_ | 1 | ██ |')
    expect(report).toContain(
      `1. **OKRs are a federated interface, not a scaffold** _(Agreed job)_ ([sticky](${JOBS_OUTCOME.decisions[0].link}))`,
    )
    expect(report).toContain(
      `| 1 | Rewrite the OKR guide for newcomers _(Meant for X, used for Y)_ | Ana | 4 Dec 2026 | [Open](${JOBS_OUTCOME.actions[0].link}) |`,
    )
    expect(report).toContain(
      '| 3 | Ask leads which job Scrum does for them _(Meant for X, used for Y)_ | **No owner** | – |',
    )
  })

  it('escapes what people typed: no raw HTML, and pipes cannot break a table', () => {
    expect(report).toContain(
      '\\<img src=x onerror=alert(1)\\> &amp; "quotes" \\| pipes \\*stars\\*',
    )
    expect(report).not.toMatch(/(?<!\\)<img/)
    const piped = reportMarkdown({
      ...JOBS_OUTCOME,
      actions: [{ ...JOBS_OUTCOME.actions[0], text: 'a | b\nc', owner: 'x|y' }],
    })
    const row = piped.split('\n').find((l) => l.startsWith('| 1 | a'))!
    // Five cells: the escaped pipes are not separators.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5)
    expect(row).toContain('a \\| b c')
  })

  it('is the same bytes for the same outcome', () => {
    expect(reportMarkdownZip(JOBS_OUTCOME, JOBS_PICTURES)).toEqual(
      reportMarkdownZip(JOBS_OUTCOME, JOBS_PICTURES),
    )
  })
})
