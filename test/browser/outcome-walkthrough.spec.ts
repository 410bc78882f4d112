/**
 * What comes out of a workshop, run as a new facilitator would on the four framework jobs
 * board with three participants (one on a phone): a private brainstorm, the reveal, Stack
 * duplicates, Group by theme, a dot vote, two decisions and three actions, two steps with their
 * "After:" snapshots, then the report: the HTML page opened in Chromium, the Markdown zip, the
 * actions CSV and the deck's outcome slides, each read back for the decisions, the actions, the
 * vote and the step times. Each feature has its own spec; this one checks they work together,
 * and leaves screenshots for a person to look at (OUTCOME_SHOTS, else /tmp/outcome-walkthrough).
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import JSZip from 'jszip'
import Papa from 'papaparse'
import { workshopOutcomeSchema } from '../../src/protocol/workshop-outcome'
import { formatDuration } from '../../src/export/report/report-text'
import { shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'
import { addSticky, clickSticky, showAll, stickyId, stickyTexts } from './workshop-helpers'

const SHOTS = process.env.OUTCOME_SHOTS ?? '/tmp/outcome-walkthrough'
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

const WRITES = {
  Ana: ['Too many meetings', 'OKRs set every quarter', 'Onboarding wiki for new hires'],
  Ben: ['too many meetings!', 'Quarterly OKRs planning', 'Scrum sprint rituals'],
  Cy: ['Too many meetings.', 'Scrum sprints feel rushed', 'New hires onboarding checklist'],
} as const

/** Selects every sticky people wrote (not the template's prompts). */
const selectWritten = (page: Page) =>
  page.evaluate(() => {
    const editor = window.editor
    const ids = editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note' && !s.isLocked)
      .map((s) => s.id)
    editor.select(...ids)
    return ids.length
  })

const select = (page: Page, id: string) =>
  page.evaluate((id) => {
    window.editor.select(id as never)
  }, id)

/** A file from the Export dialog: its name and bytes. */
async function exported(page: Page, button: RegExp) {
  await page.keyboard.press('Alt+Shift+E')
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog).toBeVisible()
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    dialog.getByRole('button', { name: button }).click(),
  ])
  const path = await file.path()
  return { name: file.suggestedFilename(), path, bytes: await readFile(path) }
}

/** The page centre x of a sticky: stickies grouped together share a column. */
const columnOf = (page: Page, id: string) =>
  page.evaluate((id) => Math.round(window.editor.getShapePageBounds(id as never)!.x), id)

test('after the workshop: stack, group, vote, decide, assign, and the report in every form', async ({
  people,
  server,
}) => {
  test.setTimeout(300_000)
  await mkdir(SHOTS, { recursive: true })
  const desktop = { viewport: { width: 1440, height: 900 } }
  const fran = await people.join('Fran', desktop)
  await fran.goto(`${server.url}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  await fran.evaluate(() => localStorage.setItem('switchback:auto-snapshot', 'true'))
  const link = await shareLink(fran, 'participant')
  const ana = await people.join('Ana', desktop)
  const ben = await people.join('Ben', desktop)
  const cy = await people.join('Cy', { viewport: { width: 390, height: 844 }, isMobile: true })
  const participants = { Ana: ana, Ben: ben, Cy: cy }
  for (const page of Object.values(participants)) {
    await page.goto(link)
    await waitForSync(page)
  }

  // 1. The first step, and a private brainstorm on the whole board.
  await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
  await expect(fran.getByTestId('step-title')).toContainText('List the frameworks')
  await fran.keyboard.press('Alt+Shift+I')
  await fran.getByTestId('private-dialog').getByRole('button', { name: 'Start' }).click()
  for (const [name, page] of Object.entries(participants)) {
    await expect(page.getByTestId('private-bar')).toContainText('visible only to you')
    const texts = WRITES[name as keyof typeof WRITES]
    for (const [i, text] of texts.entries()) {
      const column = Object.keys(participants).indexOf(name)
      await addSticky(page, 'frameworks', 24 + column * 60 + i * 20, 80 + i * 120, text)
    }
    await expect.poll(() => stickyTexts(page)).toEqual([...texts].sort())
  }
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 3', 'Ben: 3', 'Cy: 3'])

  // 2. The reveal; then the second step (its "After:" snapshot is taken on the way).
  await fran.getByTestId('private-bar').getByRole('button', { name: 'Reveal', exact: true }).click()
  const all = Object.values(WRITES).flat().sort()
  for (const page of [fran, ana, ben, cy]) await expect.poll(() => stickyTexts(page)).toEqual(all)
  await showAll(fran)
  await shot(fran, '1-revealed')
  await fran.keyboard.press('Alt+Shift+N')
  await expect(fran.getByTestId('step-title')).toContainText('Sort by job')

  // 3. Stack duplicates: the three "too many meetings" become one stack of three.
  expect(await selectWritten(fran)).toBe(9)
  await fran.keyboard.press('Alt+Shift+U')
  await expect(fran.getByText('Stacked 3 stickies into 1 stack')).toBeVisible()
  for (const page of [fran, cy]) {
    await showAll(page)
    await expect(page.locator('[data-testid="note-outcome"][data-stack="3"]')).toHaveCount(1)
  }

  // 4. Group by theme: OKRs, Scrum and onboarding each in a column of their own.
  await selectWritten(fran)
  await fran.keyboard.press('Alt+Shift+C')
  await expect(fran.getByText(/Grouped 9 stickies into \d+ themes/)).toBeVisible()
  const columns = async (a: string, b: string) => [
    await columnOf(ana, await stickyId(ana, a)),
    await columnOf(ana, await stickyId(ana, b)),
  ]
  const pairs = [
    ['OKRs set every quarter', 'Quarterly OKRs planning'],
    ['Scrum sprint rituals', 'Scrum sprints feel rushed'],
    ['Onboarding wiki for new hires', 'New hires onboarding checklist'],
  ] as const
  const seen = new Set<number>()
  for (const [a, b] of pairs) {
    await expect
      .poll(() => columns(a, b), { message: `${a} / ${b}` })
      .toEqual([
        await columnOf(fran, await stickyId(fran, a)),
        await columnOf(fran, await stickyId(fran, a)),
      ])
    seen.add(await columnOf(fran, await stickyId(fran, a)))
  }
  expect(seen.size).toBe(3)
  await fran.evaluate(() => {
    window.editor.selectNone()
  })
  await showAll(fran)
  await shot(fran, '2-grouped')

  // 5. A dot vote on everything written: two dots each.
  await selectWritten(fran)
  await fran.keyboard.press('Alt+Shift+D')
  const dialog = fran.getByTestId('start-vote')
  await dialog.getByLabel('Title').fill('What do we fix first?')
  await dialog.getByLabel('Votes per person').fill('2')
  const scope = dialog.getByLabel('Stickies to vote on')
  const labels = await scope.locator('option').allTextContents()
  const selected = labels.find((label) => /selected stickies/.test(label))
  expect(selected, labels.join(' | ')).toBeTruthy()
  await scope.selectOption({ label: selected! })
  await dialog.getByRole('button', { name: 'Start the vote' }).click()
  await expect(ana.getByTestId('votes-left')).toContainText('2 of 2')
  for (const page of [ana, ben, cy]) await showAll(page)
  await clickSticky(ana, 'Scrum sprint rituals')
  await clickSticky(ana, 'OKRs set every quarter')
  await clickSticky(ben, 'Scrum sprint rituals')
  await clickSticky(cy, 'Scrum sprint rituals')
  await expect(fran.getByTestId('vote-progress')).toContainText('3 people voted')
  await fran.getByTestId('vote-bar').getByRole('button', { name: 'End vote' }).click()
  await expect(fran.getByTestId('ranked-sticky').first()).toContainText('Scrum sprint rituals')
  await fran.keyboard.press('Alt+Shift+R')

  // 6. Two decisions (the facilitator's) and three actions, one marked by Cy on his phone.
  for (const text of ['Scrum sprint rituals', 'OKRs set every quarter']) {
    await select(fran, await stickyId(fran, text))
    await fran.keyboard.press('Alt+Shift+J')
  }
  const assign = async (page: Page, text: string, owner: string, due: string) => {
    await select(page, await stickyId(page, text))
    const action = page.getByTestId('action-dialog')
    if ((page.viewportSize()?.width ?? 0) < 820) {
      await page.getByTestId('more-menu').click()
      await page.getByRole('menuitem', { name: 'Mark as action…' }).click()
    } else {
      await page.keyboard.press('Alt+Shift+K')
    }
    await action.getByRole('button', { name: owner, exact: true }).click()
    await action.getByLabel('Due date').fill(due)
    await action.getByRole('button', { name: 'Mark as action' }).click()
    await expect(action).toBeHidden()
  }
  await assign(fran, 'Onboarding wiki for new hires', 'Ana', '2026-12-18')
  await assign(fran, 'New hires onboarding checklist', 'Ben', '2027-01-15')
  await assign(cy, 'Scrum sprints feel rushed', 'Cy', '2027-01-08')
  for (const page of [fran, cy]) {
    await expect(page.locator('[data-testid="note-outcome"][data-outcome="decision"]')).toHaveCount(
      2,
    )
    await expect(page.locator('[data-testid="note-outcome"][data-outcome="action"]')).toHaveCount(3)
  }
  await fran.evaluate(() => {
    window.editor.selectNone()
  })
  await fran.keyboard.press('Alt+Shift+O')
  await expect(fran.getByTestId('outcomes-panel').getByTestId('outcome-action')).toHaveCount(3)
  await shot(fran, '3-outcomes')
  await shot(cy, '3-outcomes-cy-phone')
  await fran.keyboard.press('Alt+Shift+O')

  // 7. On to the third step: "After: Sort by job" is kept too.
  await fran.keyboard.press('Alt+Shift+N')
  await expect(fran.getByTestId('step-title')).not.toContainText('Sort by job')
  const roomId = new URL(fran.url()).pathname.split('/')[2]
  await expect
    .poll(async () => {
      const list = await (await fetch(`${server.url}/parties/board/${roomId}/snapshots`)).json()
      return (list as { snapshots: { title: string }[] }).snapshots.map((s) => s.title).sort()
    })
    .toEqual(['After: List the frameworks', 'After: Sort by job'])

  // 8. The outcome, and every form of the report read back.
  const json = await exported(fran, /Outcome \(\.json\)/)
  const outcome = workshopOutcomeSchema.parse(JSON.parse(json.bytes.toString('utf8')))
  expect(outcome.participants).toBe(4)
  expect(outcome.decisions.map((d) => d.text).sort()).toEqual([
    'OKRs set every quarter',
    'Scrum sprint rituals',
  ])
  const actions = outcome.actions.map((a) => [a.text, a.owner, a.due]).sort()
  expect(actions).toEqual([
    ['New hires onboarding checklist', 'Ben', '2027-01-15'],
    ['Onboarding wiki for new hires', 'Ana', '2026-12-18'],
    ['Scrum sprints feel rushed', 'Cy', '2027-01-08'],
  ])
  const [vote] = outcome.votes
  expect(vote.title).toBe('What do we fix first?')
  expect(vote.ranking.map((r) => [r.text, r.votes, r.rank])).toEqual([
    ['Scrum sprint rituals', 3, 1],
    ['OKRs set every quarter', 1, 2],
  ])
  const [listed, sorted, third] = outcome.steps
  for (const step of [listed, sorted]) {
    expect(step.durationMs).toBeGreaterThan(0)
    expect(step.snapshot?.title).toBe(`After: ${step.title}`)
  }
  expect(third.current).toBe(true)
  const meetings = outcome.frames
    .flatMap((f) => f.zones.flatMap((z) => z.stickies))
    .filter((s) => /meetings/i.test(s.text))
  expect(meetings.map((s) => s.stacked)).toEqual([3])

  // The HTML page, opened in Chromium: everything above is on it, and it fetches nothing.
  const html = await exported(fran, /HTML report/)
  expect(html.name).toMatch(/\.html$/)
  const reader = await fran.context().newPage()
  const fetched: string[] = []
  reader.on('request', (request) => {
    if (!request.url().startsWith('data:')) fetched.push(request.url())
  })
  await reader.setViewportSize({ width: 1200, height: 900 })
  // As a browser opens the downloaded file (the download's own path has no .html to go by).
  await reader.setContent(html.bytes.toString('utf8'))
  const page = reader.locator('body')
  for (const text of [
    'What do we fix first?',
    'Scrum sprint rituals',
    'OKRs set every quarter',
    'Onboarding wiki for new hires',
    'Ana',
    'Ben',
    'Cy',
    'List the frameworks',
    formatDuration(listed.durationMs!),
    formatDuration(sorted.durationMs!),
  ]) {
    await expect(page).toContainText(text)
  }
  expect(await reader.locator('img[src^="data:image/png"]').count()).toBeGreaterThanOrEqual(2)
  expect(fetched).toEqual([])
  await reader.screenshot({ path: join(SHOTS, '4-report-top.png') })
  await reader.screenshot({ path: join(SHOTS, '4-report.png'), fullPage: true })
  await reader.setViewportSize({ width: 390, height: 844 })
  await reader.screenshot({ path: join(SHOTS, '4-report-phone.png') })
  await reader.close()

  // The Markdown zip: report.md with the same facts, and its pictures.
  const md = await exported(fran, /Markdown/)
  const zip = await JSZip.loadAsync(md.bytes)
  const report = await zip.file('report.md')!.async('string')
  for (const text of [
    '## Decisions',
    '## Actions',
    'What do we fix first?',
    '| Scrum sprints feel rushed | Cy | 8 Jan 2027 |',
  ]) {
    expect(report).toContain(text)
  }
  expect(report).toContain(formatDuration(listed.durationMs!))
  const pictures = Object.keys(zip.files).filter((name) => name.startsWith('pictures/'))
  expect(pictures.length).toBeGreaterThanOrEqual(2)
  for (const name of pictures) {
    expect(report).toContain(name)
    const bytes = await zip.file(name)!.async('uint8array')
    expect([...bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47])
  }

  // The actions CSV, as an issue tracker imports it.
  const csv = await exported(fran, /Actions \(\.csv\)/)
  const rows = Papa.parse<string[]>(csv.bytes.toString('utf8').slice(1), {
    skipEmptyLines: true,
  }).data
  expect(rows[0]).toEqual(['Summary', 'Description', 'Assignee', 'Due date', 'Link'])
  expect(
    rows
      .slice(1)
      .map((r) => [r[0], r[2], r[3]])
      .sort(),
  ).toEqual(actions)

  // The deck ends with its Decisions and Actions slides.
  const deck = await exported(fran, /PowerPoint/)
  const slides = await JSZip.loadAsync(deck.bytes)
  const slideTexts = await Promise.all(
    Object.keys(slides.files)
      .filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
      .map((name) => slides.file(name)!.async('string')),
  )
  const decisionSlide = slideTexts.find((xml) => xml.includes('>Decisions<'))
  const actionSlide = slideTexts.find((xml) => xml.includes('>Actions<'))
  expect(decisionSlide).toContain('Scrum sprint rituals')
  expect(actionSlide).toContain('Scrum sprints feel rushed')
  expect(actionSlide).toContain('Cy')
})
