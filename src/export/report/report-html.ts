/**
 * The workshop report as one standalone HTML page: what a facilitator sends the team after the
 * workshop. Everything is in the one file (inline CSS, the snapshots' pictures as data URLs),
 * nothing is fetched and no script runs: the page carries a Content-Security-Policy that
 * forbids both, so a sticky's text can never load or run anything even if escaping failed.
 * It reads at 390 px on a phone and prints to PDF cleanly (`@media print`).
 */
import type {
  OutcomeFrame,
  OutcomeStep,
  OutcomeSticky,
  OutcomeVote,
  WorkshopOutcome,
  ZoneStickies,
} from '../../protocol/workshop-outcome'
import {
  agendaTotals,
  base64,
  count,
  escapeHtml as h,
  formatDateTime,
  formatDay,
  formatDue,
  formatDuration,
  formatTime,
  frameSteps,
  isPng,
  oneLine,
  peopleLine,
  plannedText,
  reportTitle,
  safeLink,
  stepPace,
  stickyFill,
  stickyTags,
  topVoted,
  voteMeta,
} from './report-text'
import { splitLabel } from '../deck'

/** What the page allows itself: no scripts, no requests, only its own styles and data pictures. */
export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

/** The report page; `pictures` are the snapshots' PNG bytes by snapshot id, inlined. */
export function reportHtml(
  outcome: WorkshopOutcome,
  pictures: ReadonlyMap<string, Uint8Array>,
): string {
  const title = reportTitle(outcome)
  const body = [
    header(outcome, title),
    summary(outcome),
    agenda(outcome),
    steps(outcome, pictures),
    ...outcome.sections.map(
      (section) => `<section class="block page" aria-labelledby="${id('section', section.title)}">
<h2 id="${id('section', section.title)}">${h(section.title)}</h2>
${section.intro.trim() ? `<p class="intro">${h(section.intro.trim())}</p>` : ''}
${zones(section.zones, 'section')}
</section>`,
    ),
    votes(outcome.votes),
    decisions(outcome),
    actions(outcome),
    footer(outcome),
  ].join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Switchback">
<title>${h(title)}: workshop report</title>
<style>${STYLE}</style>
</head>
<body>
<main class="report">
${body}
</main>
</body>
</html>
`
}

// ---------------------------------------------------------------------------------------------
// Parts of the page

/** A stable, safe element id for a heading (only letters, digits and dashes). */
function id(prefix: string, text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return `${prefix}-${slug || 'untitled'}`
}

/** A link to a sticky or the board, when it is a web link; plain text otherwise. */
function link(url: string | null | undefined, text: string, label?: string): string {
  const href = safeLink(url)
  if (!href) return h(text)
  const aria = label ? ` aria-label="${h(label)}"` : ''
  return `<a href="${h(href)}"${aria}>${h(text)}</a>`
}

/** A sticky's text as a link back to it, styled as text (it is there to click, not to read). */
function quietLink(url: string, text: string): string {
  const href = safeLink(url)
  return href ? `<a class="quiet" href="${h(href)}">${h(text)}</a>` : h(text)
}

function header(outcome: WorkshopOutcome, title: string): string {
  const facts = [
    outcome.date ? `<time datetime="${h(outcome.date)}">${h(formatDay(outcome.date))}</time>` : '',
    outcome.date ? h(`started ${formatTime(outcome.date)}`) : '',
    h(peopleLine(outcome.participants) ?? ''),
  ].filter(Boolean)
  return `<header class="masthead">
<p class="kicker">Workshop report</p>
<h1>${h(title)}</h1>
${facts.length ? `<p class="facts">${facts.join('<span class="dot" aria-hidden="true"> · </span>')}</p>` : ''}
<p class="board-link">${link(outcome.board.link, 'Open the board', `Open the board “${title}”`)}</p>
</header>`
}

function summary(outcome: WorkshopOutcome): string {
  const { tookMs, planned } = agendaTotals(outcome.steps)
  const reached = outcome.steps.filter((s) => s.durationMs !== null).length
  const stats = [
    stat(outcome.decisions.length, 'decision', 'decisions', '#decisions'),
    stat(outcome.actions.length, 'action', 'actions', '#actions'),
    stat(outcome.votes.length, 'vote', 'votes', '#votes'),
    outcome.steps.length
      ? `<div class="stat"><span class="stat-value">${h(tookMs ? formatDuration(tookMs) : '–')}</span> <span class="stat-label">${h(`${reached} of ${count(outcome.steps.length, 'step', 'steps')}, planned ${planned} min`)}</span></div>`
      : '',
  ].join('')
  const top = topVoted(outcome)
  const lines: string[] = []
  if (top) {
    lines.push(
      `<li><span class="glance-label">Top vote</span> ${h(top.text)} <span class="muted">(${h(top.votes === 1 ? '1 vote' : `${top.votes} votes`)})</span></li>`,
    )
  }
  for (const decision of outcome.decisions.slice(0, 3)) {
    lines.push(`<li><span class="glance-label">Decided</span> ${h(oneLine(decision.text))}</li>`)
  }
  const owners = [...new Set(outcome.actions.map((a) => a.owner).filter((o) => o !== null))]
  if (outcome.actions.length) {
    const ownerText = owners.length ? `, owned by ${owners.join(', ')}` : ''
    const unowned = outcome.actions.filter((a) => !a.owner).length
    lines.push(
      `<li><span class="glance-label">To do</span> ${h(count(outcome.actions.length, 'action', 'actions') + ownerText)}${unowned ? ` <span class="warn">(${h(count(unowned, 'without an owner', 'without an owner'))})</span>` : ''}</li>`,
    )
  }
  return `<section class="summary" aria-labelledby="summary">
<h2 id="summary" class="visually-hidden">At a glance</h2>
<div class="stats">${stats}</div>
${lines.length ? `<ul class="glance">${lines.join('\n')}</ul>` : ''}
</section>`
}

function stat(n: number, one: string, many: string, href: string): string {
  // An in-page link only (the page's own fragment ids), so nothing leaves the page.
  return `<a class="stat" href="${href}"><span class="stat-value">${n}</span> <span class="stat-label">${n === 1 ? one : many}</span></a>`
}

function agenda(outcome: WorkshopOutcome): string {
  if (!outcome.steps.length) return ''
  const rows = outcome.steps.map((step, i) => {
    const pace = stepPace(step)
    const took =
      step.durationMs === null
        ? '<span class="muted">not reached</span>'
        : `${h(formatDuration(step.durationMs))}${step.current ? ' <span class="muted">so far</span>' : ''}`
    const paceText = { over: 'over', under: 'under', 'on-time': 'on time', 'not-reached': '' }[pace]
    return `<tr class="pace-${pace}">
<td class="num">${i + 1}</td>
<td><a href="#step-${i + 1}">${h(step.title)}</a>${step.section ? `<span class="cell-note">${h(step.section)}</span>` : ''}</td>
<td class="time" data-label="Took">${took}${paceText ? ` <span class="pace">${paceText}</span>` : ''}</td>
<td class="time" data-label="Planned">${h(plannedText(step))}</td>
<td class="time" data-label="Started">${step.startedAt ? h(formatTime(step.startedAt)) : '<span class="muted">–</span>'}</td>
</tr>`
  })
  const { tookMs, planned } = agendaTotals(outcome.steps)
  return `<section class="block" aria-labelledby="agenda">
<h2 id="agenda">Agenda</h2>
<table class="agenda">
<thead><tr><th scope="col" class="num">#</th><th scope="col">Step</th><th scope="col">Took</th><th scope="col">Planned</th><th scope="col">Started</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
<tfoot><tr><td></td><th scope="row">Total</th><td class="time" data-label="Took">${h(tookMs ? formatDuration(tookMs) : '–')}</td><td class="time" data-label="Planned">${planned} min</td><td></td></tr></tfoot>
</table>
</section>`
}

function steps(outcome: WorkshopOutcome, pictures: ReadonlyMap<string, Uint8Array>): string {
  const { lastStepOf, elsewhere } = frameSteps(outcome)
  const frames = new Map(outcome.frames.map((f) => [f.id, f]))
  const parts = outcome.steps.map((step, i) => {
    const frame =
      step.frameId && lastStepOf.get(step.frameId) === i ? frames.get(step.frameId) : undefined
    const laterStep = step.frameId ? lastStepOf.get(step.frameId) : undefined
    const seeLater =
      laterStep !== undefined && laterStep > i
        ? `<p class="muted">The stickies of “${h(frames.get(step.frameId!)!.title)}” are listed under <a href="#step-${laterStep + 1}">step ${laterStep + 1}</a>.</p>`
        : ''
    return `<article class="step" id="step-${i + 1}" aria-labelledby="step-${i + 1}-title">
<h3 id="step-${i + 1}-title"><span class="step-num">${i + 1}</span> ${h(step.title)}</h3>
<p class="step-time ${`pace-${stepPace(step)}`}">${h(stepTimeText(step))}</p>
${picture(step, pictures)}
${frame ? frameStickies(frame) : seeLater}
</article>`
  })
  const rest = elsewhere
    .filter((f) => f.zones.some((z) => z.stickies.length))
    .map(
      // frameStickies names the frame (or "Elsewhere on the board" for what is in none).
      (frame) => `<article class="step">
${frameStickies(frame)}
</article>`,
    )
  if (!parts.length && !rest.length) return ''
  return `<section class="block page" aria-labelledby="steps">
<h2 id="steps">${parts.length ? 'Step by step' : 'The board'}</h2>
${parts.join('\n')}
${rest.length && parts.length ? '<h2 class="sub">Beyond the agenda’s frames</h2>' : ''}
${rest.join('\n')}
</section>`
}

function stepTimeText(step: OutcomeStep): string {
  const planned = `planned ${Number(step.plannedMinutes.toFixed(1))}`
  if (step.durationMs === null) return `Not reached (${planned} min)`
  return `${formatDuration(step.durationMs)}${step.current ? ' so far' : ''}, ${planned}`
}

function picture(step: OutcomeStep, pictures: ReadonlyMap<string, Uint8Array>): string {
  const snapshot = step.snapshot
  const bytes = snapshot ? pictures.get(snapshot.id) : undefined
  if (!snapshot || !bytes || !isPng(bytes)) return ''
  return `<figure class="picture">
<img src="data:image/png;base64,${base64(bytes)}" width="${snapshot.width}" height="${snapshot.height}" alt="${h(snapshot.title)}">
<figcaption>${h(snapshot.title)}</figcaption>
</figure>`
}

function frameStickies(frame: OutcomeFrame): string {
  const total = frame.zones.reduce((n, z) => n + z.stickies.length, 0)
  if (!total) return '<p class="muted">No stickies in this frame.</p>'
  return `<div class="frame-stickies">
<p class="frame-title">${h(frame.title || 'Untitled frame')} <span class="muted">· ${h(count(total, 'sticky', 'stickies'))}</span></p>
${zones(frame.zones, 'frame')}
</div>`
}

function zones(list: readonly ZoneStickies[], kind: 'frame' | 'section'): string {
  const shown = list.filter((z) => z.stickies.length > 0)
  if (!shown.length) return '<p class="muted">No stickies here.</p>'
  return `<div class="zones zones-${kind}">
${shown
  .map((zone) => {
    const { heading, description } = zoneHeading(zone)
    return `<div class="zone">
<h4>${h(heading)}</h4>
${description ? `<p class="zone-note">${h(description)}</p>` : ''}
<ul class="stickies">
${zone.stickies.map(sticky).join('\n')}
</ul>
</div>`
  })
  .join('\n')}
</div>`
}

/** A zone's first line as its heading, the rest as a note ("Frameworks" / "we use today"). */
function zoneHeading(zone: ZoneStickies): { heading: string; description: string } {
  if (!zone.label.trim()) {
    return {
      heading: zone.zone === null ? 'Elsewhere in the frame' : 'Untitled zone',
      description: '',
    }
  }
  return splitLabel(zone.label)
}

function sticky(s: OutcomeSticky): string {
  const tags = stickyTags(s)
    .map((tag) => {
      const kind =
        tag === 'Action'
          ? 'action'
          : tag === 'Decision'
            ? 'decision'
            : tag.startsWith('×')
              ? 'stack'
              : 'votes'
      const label = kind === 'stack' ? ` title="A stack of ${s.stacked} similar stickies"` : ''
      return `<span class="tag tag-${kind}"${label}>${h(tag)}</span>`
    })
    .join('')
  return `<li class="sticky"><span class="swatch" style="background:${stickyFill(s.color)}" aria-hidden="true"></span><span class="sticky-text">${quietLink(s.link, s.text.trim())}${s.author ? ` <span class="author">— ${h(s.author)}</span>` : ''}</span>${tags ? `<span class="tags">${tags}</span>` : ''}</li>`
}

function votes(list: readonly OutcomeVote[]): string {
  if (!list.length) return ''
  return `<section class="block page" aria-labelledby="votes">
<h2 id="votes">${list.length === 1 ? 'Vote' : 'Votes'}</h2>
${list.map(vote).join('\n')}
</section>`
}

function vote(v: OutcomeVote): string {
  const most = Math.max(1, ...v.ranking.map((r) => r.votes))
  const rows = v.ranking.map((r) => {
    const width = Math.max(2, Math.round((r.votes / most) * 100))
    return `<li class="vote-row${r.rank === 1 ? ' top' : ''}">
<span class="rank">${r.rank}.</span>
<span class="vote-text">${h(oneLine(r.text))}${r.onBoard ? '' : ' <span class="muted">(deleted since)</span>'}${r.names?.length ? `<span class="cell-note">${h(r.names.join(', '))}</span>` : ''}</span>
<span class="bar" aria-hidden="true"><span style="width:${width}%"></span></span>
<span class="vote-count">${h(r.votes === 1 ? '1 vote' : `${r.votes} votes`)}</span>
</li>`
  })
  return `<div class="vote">
<h3>${h(v.title.trim() || 'Dot vote')}</h3>
<p class="muted">${h(voteMeta(v))}</p>
${rows.length ? `<ol class="ranking">${rows.join('\n')}</ol>` : `<p class="muted">${v.voters ? 'No sticky got a vote.' : 'Nobody voted.'}</p>`}
</div>`
}

function decisions(outcome: WorkshopOutcome): string {
  const items = outcome.decisions.map(
    (d) => `<li class="decision">
<span class="check" aria-hidden="true"></span>
<div><p class="decision-text">${h(d.text.trim())}</p>
<p class="muted">${d.where ? `${h(d.where)} · ` : ''}${link(d.link, 'Open the sticky', `Open the sticky “${oneLine(d.text)}”`)}</p></div>
</li>`,
  )
  return `<section class="block page" aria-labelledby="decisions">
<h2 id="decisions">Decisions</h2>
${items.length ? `<ol class="decisions">${items.join('\n')}</ol>` : '<p class="muted">No decisions were marked.</p>'}
</section>`
}

function actions(outcome: WorkshopOutcome): string {
  const rows = outcome.actions.map(
    (a, i) => `<tr>
<td class="num">${i + 1}</td>
<td class="action-text">${h(a.text.trim())}${a.where ? `<span class="cell-note">${h(a.where)}</span>` : ''}</td>
<td data-label="Owner">${a.owner ? h(a.owner) : '<span class="warn">No owner</span>'}</td>
<td data-label="Due" class="time">${a.due ? `<time datetime="${h(a.due)}">${h(formatDue(a.due))}</time>` : '<span class="muted">–</span>'}</td>
<td data-label="Sticky">${link(a.link, 'Open', `Open the sticky “${oneLine(a.text)}”`)}</td>
</tr>`,
  )
  return `<section class="block" aria-labelledby="actions">
<h2 id="actions">Actions</h2>
${
  rows.length
    ? `<table class="actions">
<thead><tr><th scope="col" class="num">#</th><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Sticky</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : '<p class="muted">No actions were marked.</p>'
}
</section>`
}

function footer(outcome: WorkshopOutcome): string {
  return `<footer class="colophon">
<p>Made with Switchback · report drawn up ${h(formatDateTime(outcome.generatedAt))} · ${link(outcome.board.link, 'the board')}</p>
</footer>`
}

// ---------------------------------------------------------------------------------------------
// The style sheet: the app's palette (src/app/theme.css) and system fonts, so nothing loads.

const STYLE = `
:root{--ink:#1c1f24;--ink-soft:#4b5260;--ink-faint:#6b7280;--line:#e3e6ec;--surface:#fff;--surface-soft:#f6f7f9;--accent:#2f5bea;--accent-soft:#e8eefd;--good:#0e7a55;--good-soft:#e3f5ed;--warn:#a4430a;--warn-soft:#fdf0e6;--radius:10px;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--surface-soft);color:var(--ink);font:16px/1.55 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
.report{max-width:960px;margin:0 auto;padding:48px 32px 64px}
a{color:var(--accent);text-underline-offset:2px}
a.quiet{color:inherit;text-decoration:none}
a.quiet:hover{text-decoration:underline}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px;border-radius:4px}
h1,h2,h3,h4{line-height:1.25;margin:0}
h1{font-size:2.25rem;letter-spacing:-.02em;margin:.15em 0 .35em;overflow-wrap:anywhere}
h2{font-size:1.5rem;letter-spacing:-.01em;margin-bottom:16px}
h2.sub{font-size:1.2rem;margin:32px 0 12px}
h3{font-size:1.15rem}
h4{font-size:.95rem;margin-bottom:8px}
p{margin:0}
.muted{color:var(--ink-faint)}
.warn{color:var(--warn);font-weight:600}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.kicker{color:var(--accent);font-size:.8rem;font-weight:700;letter-spacing:.12em;text-transform:uppercase}
.masthead{margin-bottom:28px}
.facts{color:var(--ink-soft);font-size:1.05rem}
.board-link{margin-top:6px;font-size:.95rem}
.summary,.block{background:var(--surface);border:1px solid var(--line);border-radius:var(--radius);padding:28px;margin-bottom:24px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.stat{display:flex;flex-direction:column;padding:14px 16px;border-radius:8px;background:var(--accent-soft);color:var(--ink);text-decoration:none}
.stat-value{overflow-wrap:anywhere;font-size:1.75rem;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums}
.stat-label{color:var(--ink-soft);font-size:.9rem}
.glance{list-style:none;margin:20px 0 0;padding:0;display:grid;gap:8px}
.glance li{overflow-wrap:anywhere}
.glance-label{display:inline-block;min-width:84px;font-size:.75rem;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:var(--ink-faint)}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:10px 12px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:.75rem;letter-spacing:.08em;text-transform:uppercase;color:var(--ink-faint);font-weight:700}
tfoot th,tfoot td{border-bottom:0;font-weight:700}
td.num,th.num{width:2.5em;color:var(--ink-faint);font-variant-numeric:tabular-nums}
td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
.cell-note{display:block;color:var(--ink-faint);font-size:.85rem}
.pace{display:inline-block;margin-left:6px;padding:0 7px;border-radius:999px;font-size:.75rem;font-weight:600;background:var(--surface-soft);color:var(--ink-soft)}
.pace-over .pace{background:var(--warn-soft);color:var(--warn)}
.pace-under .pace,.pace-on-time .pace{background:var(--good-soft);color:var(--good)}
.step{padding:24px 0;border-top:1px solid var(--line)}
.step:first-of-type{border-top:0;padding-top:4px}
.step h3{display:flex;align-items:baseline;gap:10px;overflow-wrap:anywhere}
.step-num{flex:none;display:inline-grid;place-items:center;width:1.7em;height:1.7em;border-radius:999px;background:var(--accent);color:#fff;font-size:.85rem;font-weight:700}
.step-time{margin:4px 0 16px calc(1.7em + 10px);color:var(--ink-soft)}
.step-time.pace-over{color:var(--warn)}
.picture{margin:0 0 20px}
.picture img{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:8px;background:#fff}
.picture figcaption{margin-top:6px;font-size:.85rem;color:var(--ink-faint)}
.frame-title{font-weight:700;margin-bottom:12px}
.intro{color:var(--ink-soft);margin:-6px 0 18px;max-width:65ch}
.zones{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:20px 28px}
.zone{min-width:0}
.zone h4{padding-left:10px;border-left:4px solid var(--accent);margin-bottom:2px}
.zone-note{color:var(--ink-faint);font-size:.85rem;padding-left:14px}
.zone .stickies{margin-top:10px}
.stickies{list-style:none;margin:0;padding:0;display:grid;gap:6px}
.sticky{display:flex;gap:10px;align-items:flex-start;font-size:.95rem}
.swatch{flex:none;width:14px;height:14px;margin-top:.3em;border-radius:3px;border:1px solid rgba(0,0,0,.12)}
.sticky-text{flex:1;min-width:0;white-space:pre-line;overflow-wrap:anywhere}
.author{color:var(--ink-faint);font-size:.85rem}
.tags{flex:none;display:flex;gap:4px;flex-wrap:wrap;justify-content:flex-end;max-width:45%}
.tag{padding:1px 7px;border-radius:999px;font-size:.75rem;font-weight:700;background:var(--surface-soft);color:var(--ink-soft);white-space:nowrap}
.tag-stack{background:var(--ink);color:#fff}
.tag-votes{background:var(--accent-soft);color:var(--accent)}
.tag-action{background:var(--warn-soft);color:var(--warn)}
.tag-decision{background:var(--good-soft);color:var(--good)}
.vote+.vote{margin-top:28px}
.vote h3{margin-bottom:2px}
.ranking{list-style:none;margin:16px 0 0;padding:0;display:grid;gap:10px}
.vote-row{display:grid;grid-template-columns:2em minmax(0,1fr) minmax(80px,30%) 5.5em;gap:12px;align-items:center}
.rank{color:var(--ink-faint);font-weight:700;font-variant-numeric:tabular-nums}
.vote-text{overflow-wrap:anywhere}
.bar{height:12px;border-radius:999px;background:var(--surface-soft);overflow:hidden}
.bar span{display:block;height:100%;border-radius:999px;background:#a7baf5}
.top .bar span{background:var(--accent)}
.vote-count{text-align:right;font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}
.decisions{list-style:none;margin:0;padding:0;display:grid;gap:14px}
.decision{display:flex;gap:12px}
.check{flex:none;width:22px;height:22px;margin-top:2px;border-radius:6px;background:var(--good);position:relative}
.check::after{content:"";position:absolute;left:7px;top:3px;width:6px;height:11px;border:solid #fff;border-width:0 2.5px 2.5px 0;transform:rotate(45deg)}
.decision-text{font-weight:600;white-space:pre-line;overflow-wrap:anywhere}
.decision .muted{font-size:.9rem}
.action-text{white-space:pre-line;overflow-wrap:anywhere;font-weight:600}
.action-text .cell-note{font-weight:400}
.colophon{color:var(--ink-faint);font-size:.85rem;text-align:center;margin-top:32px}
@media (max-width:640px){
  .report{padding:24px 14px 40px}
  h1{font-size:1.75rem}
  .summary,.block{padding:18px 16px}
  .stats{grid-template-columns:repeat(2,1fr)}
  table,tbody,tr,td{display:block}
  thead{display:none}
  tr{padding:10px 0;border-bottom:1px solid var(--line)}
  td{border:0;padding:2px 0}
  td.num{display:none}
  td.time{display:inline-block;margin-right:16px}
  td[data-label]::before{content:attr(data-label) ": ";color:var(--ink-faint);font-size:.85rem}
  tfoot tr{border-bottom:0}
  tfoot th{display:none}
  .vote-row{grid-template-columns:1.6em minmax(0,1fr) 4.8em;row-gap:4px}
  .bar{grid-column:2/4;grid-row:2}
  .tags{max-width:none}
  .sticky{flex-wrap:wrap}
  .tags{margin-left:24px;justify-content:flex-start;flex-basis:100%}
}
@media print{
  @page{margin:16mm 14mm}
  body{background:#fff;font-size:11pt}
  .report{max-width:none;padding:0}
  .summary,.block{border:0;padding:0;margin:0 0 20px;border-radius:0}
  .page{break-before:page}
  h2,h3,h4,.step-time,.frame-title,.zone-note{break-after:avoid}
  figure,.picture img,tr,.zone h4,.sticky,.vote-row,.decision,.stat{break-inside:avoid}
  .step{break-inside:auto}
  a{color:inherit;text-decoration:none}
  a[href]::after{content:none !important}
  .board-link{display:none}
  .stat{background:none;border:1px solid var(--line)}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`
