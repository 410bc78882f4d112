/**
 * The workshop outcome's data exports on one real board: the four framework jobs template,
 * stickies marked as decisions and actions (written through the editor as the Outcomes UI
 * writes them), two steps run, a dot vote ended and an "After:" snapshot taken; then the
 * outcome JSON and the actions CSV from the Export dialog and from the command line with the
 * view-only link, read back (decisions, actions with owners and dates, the vote's ranking,
 * step times), the published JSON Schema served, and a sticky's link zooming to it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import Papa from 'papaparse'
import { workshopOutcomeSchema, type WorkshopOutcome } from '../../src/protocol/workshop-outcome'
import { runVote } from '../support/raw-vote'
import { serverShapes, shareLink, waitForSync } from './board-helpers'
import { runExporter } from '../support/cli-export'
import { expect, test } from './fixtures'

const ROOT = resolve(import.meta.dirname, '../..')

const STICKIES = [
  { id: 'shape:okr', zone: 'frameworks', text: 'OKRs', mark: { kind: 'decision' } },
  {
    id: 'shape:wiki',
    zone: 'scaffold',
    text: 'Onboarding wiki\nwith a checklist, per team',
    mark: { kind: 'action', owner: 'Pia', due: '2026-12-24' },
  },
  {
    id: 'shape:scrum',
    zone: 'federated',
    text: 'Scrum of scrums',
    mark: { kind: 'action', owner: 'Per' },
  },
  { id: 'shape:dod', zone: 'quality', text: 'Definition of done', mark: null },
] as const

/** The stickies above, each over the middle of its zone, marked as the Outcomes UI marks them. */
async function addStickies(page: Page) {
  await page.evaluate((stickies) => {
    const editor = window.editor
    for (const s of stickies) {
      const zone = editor
        .getCurrentPageShapes()
        .find((z) => (z.meta.switchback as { element?: string } | undefined)?.element === s.zone)!
      const bounds = editor.getShapePageBounds(zone)!
      editor.createShape({
        id: s.id as never,
        type: 'note',
        x: bounds.center.x - 100,
        y: bounds.center.y - 60,
        meta: s.mark ? { switchback: { outcome: s.mark } } : {},
        props: {
          richText: {
            type: 'doc',
            content: s.text
              .split('\n')
              .map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
          },
        },
      })
    }
  }, STICKIES)
}

async function download(page: Page, button: RegExp) {
  await page.keyboard.press('Alt+Shift+E')
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog).toBeVisible()
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: button }).click(),
  ])
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') }
}

/** What every copy of the outcome must say about this workshop. */
function checkOutcome(outcome: WorkshopOutcome, serverUrl: string) {
  expect(workshopOutcomeSchema.safeParse(outcome).success).toBe(true)
  expect(outcome.board.link).toMatch(new RegExp(`^${serverUrl}/b/[\\w-]+$`))
  expect(outcome.decisions.map((d) => [d.stickyId, d.text, d.where])).toEqual([
    ['shape:okr', 'OKRs', 'The four framework jobs › Frameworks we use today'],
  ])
  expect(outcome.actions.map((a) => [a.stickyId, a.owner, a.due])).toEqual([
    ['shape:wiki', 'Pia', '2026-12-24'],
    ['shape:scrum', 'Per', null],
  ])
  const [vote] = outcome.votes
  expect(vote.title).toBe('Which job hurts most?')
  expect(vote.ranking.map((r) => [r.stickyId, r.votes, r.rank])).toEqual([
    ['shape:okr', 3, 1],
    ['shape:wiki', 1, 2],
    ['shape:scrum', 1, 2],
  ])
  const [first, second, ...rest] = outcome.steps
  expect(first).toMatchObject({ title: 'List the frameworks', current: false })
  expect(first.durationMs).toBeGreaterThan(1000)
  expect(first.snapshot?.title).toBe('After: List the frameworks')
  expect(first.snapshot?.imageUrl).toMatch(new RegExp(`^${serverUrl}/parties/board/.+\\.png$`))
  expect(second).toMatchObject({ title: 'Sort by job', current: true })
  expect(second.durationMs).toBeGreaterThan(0)
  expect(rest.every((step) => step.durationMs === null)).toBe(true)
  // The template's grey prompts are not stickies of the workshop.
  const texts = outcome.frames.flatMap((f) => f.zones.flatMap((z) => z.stickies.map((s) => s.text)))
  expect(texts.sort()).toEqual(STICKIES.map((s) => s.text).sort())
}

test('outcome JSON and actions CSV, from the dialog and the command line; sticky links', async ({
  people,
  server,
}) => {
  test.setTimeout(240_000)
  const fran = await people.join('Fran', { viewport: { width: 1440, height: 900 } })
  await fran.goto(`${server.url}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  const roomId = new URL(fran.url()).pathname.split('/')[2]
  const participantLink = await shareLink(fran, 'participant')
  const viewerLink = await shareLink(fran, 'viewer')

  await addStickies(fran)
  await expect
    .poll(async () =>
      (await serverShapes(server.url, roomId))
        .filter((s) => s.type === 'note')
        .filter(
          (s) => (s as { meta?: { switchback?: { outcome?: unknown } } }).meta?.switchback?.outcome,
        )
        .map((s) => s.id)
        .sort(),
    )
    .toEqual(['shape:okr', 'shape:scrum', 'shape:wiki'])

  // Two steps, with the automatic "After: <step>" snapshot on.
  await fran.evaluate(() => localStorage.setItem('switchback:auto-snapshot', 'true'))
  await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
  await expect(fran.getByTestId('step-title')).toContainText('List the frameworks')
  await fran.waitForTimeout(1_200)
  await fran.keyboard.press('Alt+Shift+N')
  await expect(fran.getByTestId('step-title')).toContainText('Sort by job')
  await expect
    .poll(async () => {
      const list = await (await fetch(`${server.url}/parties/board/${roomId}/snapshots`)).json()
      return (list as { snapshots: { title: string }[] }).snapshots.map((s) => s.title)
    })
    .toEqual(['After: List the frameworks'])

  const facilitatorSecret = await fran.evaluate(
    (id) => JSON.parse(localStorage.getItem('switchback:boards') ?? '{}')[id]?.f as string,
    roomId,
  )
  const participantKey = new URL(participantLink).hash.match(/k=([\w-]+)/)![1]
  await runVote(
    server.url,
    roomId,
    { facilitatorSecret, participantKey },
    {
      title: 'Which job hurts most?',
      stickyIds: STICKIES.map((s) => s.id),
      ballots: [
        { name: 'Pia', dots: ['shape:okr', 'shape:okr', 'shape:wiki'] },
        { name: 'Per', dots: ['shape:okr', 'shape:scrum'] },
      ],
    },
  )
  await expect(fran.getByTestId('vote-results')).toBeVisible()
  await fran.keyboard.press('Alt+Shift+R')

  // From the Export dialog.
  const json = await download(fran, /Outcome \(\.json\)/)
  expect(json.name).toBe('the-four-framework-jobs-outcome.json')
  const fromDialog = JSON.parse(json.text) as WorkshopOutcome
  checkOutcome(fromDialog, server.url)
  await expect(fran.getByText('Downloaded the-four-framework-jobs-outcome.json')).toBeVisible()

  const csv = await download(fran, /Actions \(\.csv\)/)
  expect(csv.name).toBe('the-four-framework-jobs-actions.csv')
  expect(csv.text.startsWith('\uFEFFSummary,Description,Assignee,Due date,Link\r\n')).toBe(true)
  const rows = Papa.parse<string[]>(csv.text.slice(1), { skipEmptyLines: true }).data
  expect(rows.slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
    ['Onboarding wiki', 'Pia', '2026-12-24'],
    ['Scrum of scrums', 'Per', ''],
  ])
  expect(rows[1][1]).toContain('Onboarding wiki\nwith a checklist, per team')
  expect(rows[1][1]).toContain('The four framework jobs › 1 · Scaffold / practice environment.')
  expect(new URL(rows[1][4]).searchParams.get('sticky')).toBe('shape:wiki')

  // From the command line, with the view-only link.
  const dir = await mkdtemp(join(tmpdir(), 'outcome-'))
  try {
    const help = await runExporter(['--help'])
    expect(help.stdout).toContain('report|md|csv|json')
    for (const format of ['json', 'csv']) {
      const out = join(dir, `outcome.${format}`)
      const run = await runExporter(['--board', viewerLink, '--format', format, '--out', out])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
    }
    const fromCli = JSON.parse(await readFile(join(dir, 'outcome.json'), 'utf8')) as WorkshopOutcome
    checkOutcome(fromCli, server.url)
    expect(fromCli.steps[0].durationMs).toBe(fromDialog.steps[0].durationMs)
    const cliCsv = await readFile(join(dir, 'outcome.csv'), 'utf8')
    expect(Papa.parse<string[]>(cliCsv.slice(1), { skipEmptyLines: true }).data).toEqual(rows)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }

  // The JSON Schema is served where the README says.
  const schema = await fetch(`${server.url}/schema/workshop-outcome.v1.json`)
  expect(schema.status).toBe(200)
  const published = JSON.parse(
    await readFile(join(ROOT, 'public/schema/workshop-outcome.v1.json'), 'utf8'),
  )
  expect(await schema.json()).toEqual(published)

  // A sticky's link opens the board zoomed to it, nothing selected.
  const viewer = await people.join('Val', { viewport: { width: 1440, height: 900 } })
  await viewer.goto(fromDialog.actions[1].link)
  await waitForSync(viewer)
  await expect
    .poll(() =>
      viewer.evaluate(() => {
        const editor = window.editor
        const sticky = editor.getShapePageBounds('shape:scrum' as never)!
        const view = editor.getViewportPageBounds()
        return {
          zoom: editor.getZoomLevel(),
          centred:
            Math.abs(sticky.center.x - view.center.x) < 2 &&
            Math.abs(sticky.center.y - view.center.y) < 2,
          selected: editor.getSelectedShapeIds().length,
        }
      }),
    )
    .toEqual({ zoom: 1, centred: true, selected: 0 })
})
