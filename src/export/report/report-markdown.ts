/**
 * The workshop report as GitHub-flavoured Markdown with its pictures, in a zip: `report.md`
 * (for a wiki, a repository or an issue) and `pictures/*.png`, the "After:" snapshots it
 * shows. The same contents as the HTML report (report-html.ts), from the same outcome; every
 * piece of text people typed is escaped, so a sticky cannot become a link, an image or a table.
 */
import { zipSync } from 'fflate'
import type {
  OutcomeFrame,
  OutcomeSticky,
  OutcomeVote,
  WorkshopOutcome,
  ZoneStickies,
} from '../../protocol/workshop-outcome'
import {
  agendaTotals,
  count,
  escapeMarkdown as md,
  formatDateTime,
  formatDay,
  formatDue,
  formatDuration,
  formatTime,
  frameSteps,
  isPng,
  peopleLine,
  pictureNames,
  plannedText,
  reportTitle,
  safeLink,
  stepTime,
  stickyTags,
  topVoted,
  voteMeta,
} from './report-text'
import { splitLabel } from '../deck'

/** The zip's bytes: `report.md` and the snapshots' pictures it links to. */
export function reportMarkdownZip(
  outcome: WorkshopOutcome,
  pictures: ReadonlyMap<string, Uint8Array>,
): Uint8Array {
  const names = pictureNames(outcome)
  const files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {}
  const included = new Map<string, string>()
  for (const [snapshotId, name] of names) {
    const bytes = pictures.get(snapshotId)
    if (!bytes || !isPng(bytes)) continue
    included.set(snapshotId, `pictures/${name}`)
    // PNGs are compressed already: stored as they are.
    files[`pictures/${name}`] = [bytes, { level: 0 }]
  }
  files['report.md'] = new TextEncoder().encode(reportMarkdown(outcome, included))
  // A fixed time, so the same outcome gives the same bytes.
  return zipSync(files, { mtime: new Date(outcome.generatedAt) })
}

/** `report.md`; `pictures` maps a snapshot id to its path in the zip. */
export function reportMarkdown(
  outcome: WorkshopOutcome,
  pictures: ReadonlyMap<string, string> = new Map(),
): string {
  const out: string[] = []
  const title = reportTitle(outcome)
  out.push(`# ${md(title)}`, '')
  const facts = [
    'Workshop report',
    outcome.date ? `${formatDay(outcome.date)}, started ${formatTime(outcome.date)}` : '',
    peopleLine(outcome.participants) ?? '',
  ].filter(Boolean)
  out.push(`_${facts.join(' · ')}_`, '')
  const board = safeLink(outcome.board.link)
  if (board) out.push(`[Open the board](${board})`, '')

  // At a glance
  out.push('## At a glance', '')
  const { tookMs, planned } = agendaTotals(outcome.steps)
  out.push(
    `- **${count(outcome.decisions.length, 'decision', 'decisions')}**, **${count(outcome.actions.length, 'action', 'actions')}**, **${count(outcome.votes.length, 'vote', 'votes')}**`,
  )
  if (outcome.steps.length) {
    out.push(
      `- ${count(outcome.steps.length, 'step', 'steps')} in ${tookMs ? formatDuration(tookMs) : 'no time yet'}, planned ${planned} min`,
    )
  }
  const top = topVoted(outcome)
  if (top)
    out.push(`- Top vote: ${md(top.text)} (${top.votes === 1 ? '1 vote' : `${top.votes} votes`})`)
  out.push('')

  // The agenda
  if (outcome.steps.length) {
    out.push('## Agenda', '')
    out.push('| # | Step | Took | Planned | Started |', '| ---: | --- | --- | --- | --- |')
    outcome.steps.forEach((step, i) => {
      const took =
        step.durationMs === null
          ? 'not reached'
          : `${formatDuration(step.durationMs)}${step.current ? ' so far' : ''}`
      out.push(
        row([
          String(i + 1),
          md(step.title),
          took,
          plannedText(step),
          step.startedAt ? formatTime(step.startedAt) : '–',
        ]),
      )
    })
    out.push(
      row([
        '',
        '**Total**',
        `**${tookMs ? formatDuration(tookMs) : '–'}**`,
        `**${planned} min**`,
        '',
      ]),
      '',
    )
  }

  // Step by step
  const { lastStepOf, elsewhere } = frameSteps(outcome)
  const frames = new Map(outcome.frames.map((f) => [f.id, f]))
  if (outcome.steps.length) out.push('## Step by step', '')
  outcome.steps.forEach((step, i) => {
    out.push(`### ${i + 1}. ${md(step.title)}`, '', `_${stepTime(step)}_`, '')
    const path = step.snapshot ? pictures.get(step.snapshot.id) : undefined
    if (step.snapshot && path) out.push(`![${md(step.snapshot.title)}](${path})`, '')
    const frame = step.frameId ? frames.get(step.frameId) : undefined
    if (frame && lastStepOf.get(frame.id) === i) out.push(...frameStickies(frame))
    else if (frame) {
      const later = lastStepOf.get(frame.id)!
      out.push(`_The stickies of “${md(frame.title)}” are listed under step ${later + 1}._`, '')
    }
  })
  const rest = elsewhere.filter((f) => f.zones.some((z) => z.stickies.length))
  if (rest.length) {
    out.push(outcome.steps.length ? '## Beyond the agenda’s frames' : '## The board', '')
    for (const frame of rest) {
      out.push(`### ${md(frame.title || 'Untitled frame')}`, '', ...frameStickies(frame))
    }
  }

  // The template's own sections
  for (const section of outcome.sections) {
    out.push(`## ${md(section.title)}`, '')
    if (section.intro.trim()) out.push(md(section.intro), '')
    out.push(...zones(section.zones, '###'))
  }

  // Votes
  if (outcome.votes.length) {
    out.push(outcome.votes.length === 1 ? '## Vote' : '## Votes', '')
    for (const vote of outcome.votes) out.push(...voteLines(vote))
  }

  // Decisions
  out.push('## Decisions', '')
  if (!outcome.decisions.length) out.push('_No decisions were marked._', '')
  outcome.decisions.forEach((d, i) => {
    const where = d.where ? ` _(${md(d.where)})_` : ''
    out.push(`${i + 1}. **${md(d.text)}**${where}${stickyLink(d.link)}`)
  })
  if (outcome.decisions.length) out.push('')

  // Actions
  out.push('## Actions', '')
  if (!outcome.actions.length) out.push('_No actions were marked._', '')
  else {
    out.push('| # | Action | Owner | Due | Sticky |', '| ---: | --- | --- | --- | --- |')
    outcome.actions.forEach((a, i) => {
      const link = safeLink(a.link)
      out.push(
        row([
          String(i + 1),
          md(a.text) + (a.where ? ` _(${md(a.where)})_` : ''),
          a.owner ? md(a.owner) : '**No owner**',
          a.due ? formatDue(a.due) : '–',
          link ? `[Open](${link})` : '',
        ]),
      )
    })
    out.push('')
  }

  out.push(
    '---',
    '',
    `_Made with Switchback · report drawn up ${formatDateTime(outcome.generatedAt)}_`,
    '',
  )
  return out.join('\n')
}

/** A table row; every cell is already escaped (pipes included) and on one line. */
const row = (cells: string[]) => `| ${cells.join(' | ')} |`

const stickyLink = (url: string) => {
  const link = safeLink(url)
  return link ? ` ([sticky](${link}))` : ''
}

function frameStickies(frame: OutcomeFrame): string[] {
  const total = frame.zones.reduce((n, z) => n + z.stickies.length, 0)
  if (!total) return ['_No stickies in this frame._', '']
  return [
    `**${md(frame.title || 'Untitled frame')}** · ${count(total, 'sticky', 'stickies')}`,
    '',
    ...zones(frame.zones, '####'),
  ]
}

function zones(list: readonly ZoneStickies[], level: string): string[] {
  const out: string[] = []
  for (const zone of list) {
    if (!zone.stickies.length) continue
    const { heading, description } = zone.label.trim()
      ? splitLabel(zone.label)
      : {
          heading: zone.zone === null ? 'Elsewhere in the frame' : 'Untitled zone',
          description: '',
        }
    out.push(`${level} ${md(heading)}`, '')
    if (description) out.push(`_${md(description)}_`, '')
    for (const s of zone.stickies) out.push(`- ${stickyLine(s)}`)
    out.push('')
  }
  return out.length ? out : ['_No stickies here._', '']
}

function stickyLine(s: OutcomeSticky): string {
  const tags = stickyTags(s).map((t) => (t === 'Action' || t === 'Decision' ? `**${t}**` : t))
  const author = s.author ? ` — ${md(s.author)}` : ''
  return `${md(s.text)}${author}${tags.length ? ` · ${tags.join(' · ')}` : ''}${stickyLink(s.link)}`
}

function voteLines(vote: OutcomeVote): string[] {
  const out = [`### ${md(vote.title.trim() || 'Dot vote')}`, '', `_${md(voteMeta(vote))}_`, '']
  if (!vote.ranking.length)
    return [...out, vote.voters ? 'No sticky got a vote.' : 'Nobody voted.', '']
  const most = Math.max(1, ...vote.ranking.map((r) => r.votes))
  out.push('| Rank | Sticky | Votes | |', '| ---: | --- | ---: | --- |')
  for (const r of vote.ranking) {
    const names = r.names?.length ? ` _(${md(r.names.join(', '))})_` : ''
    const gone = r.onBoard ? '' : ' _(deleted since)_'
    // A bar of up to ten blocks: the share at a glance, in any Markdown viewer.
    const bar = '█'.repeat(Math.max(1, Math.round((r.votes / most) * 10)))
    out.push(row([`${r.rank}.`, `${md(r.text)}${gone}${names}`, String(r.votes), bar]))
  }
  out.push('')
  return out
}
