/**
 * After a real dot vote (started, cast and ended through the real server from raw sockets):
 * the results panel opens for everyone on the board, ranks the stickies, copies them as text,
 * shows and hides their counts on the stickies, and keeps a deleted sticky's text; the counts
 * are in the image exports (the dialog's and the command line's) and the vote is a slide of
 * the deck. Screenshots go to VOTE_RESULTS_SHOTS (default /tmp/vote-results-shots), for a person to look at.
 */
import AxeBuilder from '@axe-core/playwright'
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import JSZip from 'jszip'
import { PNG } from 'pngjs'
import { extractText, getDocumentProxy } from 'unpdf'
import { runVote } from '../support/raw-vote'
import { createBoardAsFacilitator, serverShapes, shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const SHOTS = process.env.VOTE_RESULTS_SHOTS ?? '/tmp/vote-results-shots'
const ROOT = resolve(import.meta.dirname, '../..')
const CLIPBOARD = { permissions: ['clipboard-read', 'clipboard-write'] }

const STICKIES = [
  { id: 'shape:scaffold', text: 'Scaffold frameworks', x: 0 },
  { id: 'shape:tests', text: 'Tests first', x: 260 },
  { id: 'shape:pair', text: 'Pair on it', x: 520 },
  { id: 'shape:none', text: 'Nobody picks me', x: 780 },
]

/** The stickies above, made by the facilitator, synced to the server. */
async function addStickies(page: Page, serverUrl: string) {
  await page.evaluate((stickies) => {
    for (const s of stickies) {
      window.editor.createShape({
        id: s.id as never,
        type: 'note',
        x: s.x,
        y: 0,
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: s.text }] }],
          },
        },
      })
    }
  }, STICKIES)
  const roomId = new URL(page.url()).pathname.split('/')[2]
  await expect
    .poll(async () => (await serverShapes(serverUrl, roomId)).filter((s) => s.type === 'note'))
    .toHaveLength(STICKIES.length)
}

/** The board's secrets, as the facilitator's browser keeps them. */
async function secrets(facilitator: Page, roomId: string, participantLink: string) {
  const facilitatorSecret = await facilitator.evaluate(
    (id) => JSON.parse(localStorage.getItem('switchback:boards') ?? '{}')[id]?.f as string,
    roomId,
  )
  const participantKey = new URL(participantLink).hash.match(/k=([\w-]+)/)![1]
  return { facilitatorSecret, participantKey }
}

/** Scaffold 3, Tests 1, Pair 1 (a tie for second), from two voters. */
const FIRST_VOTE = {
  title: 'Which framework first?',
  scopeLabel: 'Selection: 4 stickies',
  stickyIds: STICKIES.map((s) => s.id),
  ballots: [
    { name: 'Ana', dots: ['shape:scaffold', 'shape:scaffold', 'shape:tests'] },
    { name: 'Ben', dots: ['shape:scaffold', 'shape:pair'] },
  ],
}

/** The count drawn on each sticky, by sticky id. */
async function countsOnScreen(page: Page) {
  return page.evaluate(() => {
    const counts: Record<string, string> = {}
    for (const badge of document.querySelectorAll('[data-testid="vote-count"]')) {
      const id = badge.closest('[data-shape-id]')?.getAttribute('data-shape-id')
      if (id) counts[id] = badge.textContent ?? ''
    }
    return counts
  })
}

async function runExporter(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli/export.ts', ...args],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/** The RGB of the PNG's pixel at (x, y). */
function rgb(png: PNG, x: number, y: number) {
  const at = (Math.round(y) * png.width + Math.round(x)) * 4
  return [...png.data.subarray(at, at + 3)]
}

/**
 * Where a sticky's result disc is in a whole-board PNG at scale 1 (32 px padding): inside the
 * dark disc of radius 22 centred 28 px in from the sticky's top-right corner, off its digits.
 */
function discPoint(stickyX: number, boardMinX: number, boardMinY: number) {
  return { x: stickyX - boardMinX + 32 + 200 - 28 - 15, y: 0 - boardMinY + 32 + 28 + 9 }
}
const isDark = ([r, g, b]: number[]) => Math.max(r, g, b) < 70

test('after a vote: the panel opens for everyone, ranks, copies, shows and hides the counts', async ({
  people,
  server,
}) => {
  await mkdir(SHOTS, { recursive: true })
  const facilitator = await people.join('Fran', { viewport: { width: 1440, height: 900 } })
  const roomId = await createBoardAsFacilitator(facilitator, server.url)
  const link = await shareLink(facilitator, 'participant')
  const participant = await people.join('Pat', CLIPBOARD)
  await participant.goto(link)
  await waitForSync(participant)
  await addStickies(facilitator, server.url)
  await facilitator.evaluate(() => {
    window.editor.zoomToFit()
  })

  // Nothing yet: the panel says so, and no sticky has a count.
  await facilitator.getByRole('button', { name: 'Vote results' }).click()
  await expect(facilitator.getByTestId('vote-results')).toContainText('No votes yet')
  await facilitator.keyboard.press('Alt+Shift+R')
  await expect(facilitator.getByTestId('vote-results')).toBeHidden()

  await runVote(server.url, roomId, await secrets(facilitator, roomId, link), FIRST_VOTE)

  // The vote ended: the panel opens by itself on both screens, newest first, ranked.
  for (const page of [facilitator, participant]) {
    const panel = page.getByTestId('vote-results')
    await expect(panel).toBeVisible()
    const result = panel.getByTestId('vote-result').first()
    await expect(result).toContainText('Which framework first?')
    await expect(result).toContainText('2 people voted')
    await expect(result.getByTestId('ranked-sticky')).toHaveText([
      /^1\s*Scaffold frameworks\s*3 votes$/,
      /^2\s*Tests first\s*1 vote$/,
      /^2\s*Pair on it\s*1 vote$/,
    ])
    await expect(result).toContainText('On the board')
    await expect
      .poll(() => countsOnScreen(page))
      .toEqual({ 'shape:scaffold': '3', 'shape:tests': '1', 'shape:pair': '1' })
  }
  await facilitator.screenshot({ path: join(SHOTS, 'results-1440.png') })
  // Drawn over the sticky, not under it: the badge's own pixels are its dark disc.
  const badge = facilitator.locator('[data-shape-id="shape:pair"] [data-testid="vote-count"]')
  const shot = PNG.sync.read(await facilitator.screenshot({ clip: (await badge.boundingBox())! }))
  expect(isDark(rgb(shot, shot.width * 0.2, shot.height / 2))).toBe(true)

  // Copy as text: the ranked list, as a person would paste it.
  await participant.getByRole('button', { name: 'Copy “Which framework first?” as text' }).click()
  // The click starts the copy; the clipboard has the text once it is done.
  const clipboard = () => participant.evaluate(() => navigator.clipboard.readText())
  await expect.poll(clipboard).toMatch(/^Vote: Which framework first\?\n/)
  const copied = await clipboard()
  expect(copied.split('\n')).toEqual([
    'Vote: Which framework first?',
    expect.stringMatching(/^Selection: 4 stickies · ended .+ · 2 people voted · anonymous$/),
    '',
    '1. Scaffold frameworks — 3 votes',
    '2. Tests first — 1 vote',
    '2. Pair on it — 1 vote',
  ])

  // Hide counts clears them for this person only; Show counts brings them back.
  const result = participant.getByTestId('vote-result').first()
  await result.getByRole('button', { name: 'Hide counts' }).click()
  await expect.poll(() => countsOnScreen(participant)).toEqual({})
  expect(Object.keys(await countsOnScreen(facilitator))).toHaveLength(3)
  // Hidden stays hidden after a reload, and the panel does not open again for an old vote.
  await participant.reload()
  await waitForSync(participant)
  // Checked once the results have reached the page again (the exporter's API says when):
  // before that, nothing would show anyway.
  await expect
    .poll(() => participant.evaluate(async () => (await window.switchbackExport!.ready()).votes))
    .toBe(1)
  await expect(participant.getByTestId('vote-results')).toBeHidden()
  expect(await countsOnScreen(participant)).toEqual({})
  await participant.keyboard.press('Alt+Shift+R')
  await participant
    .getByRole('button', { name: 'Show the counts of “Which framework first?” on the stickies' })
    .click()
  await expect
    .poll(() => countsOnScreen(participant))
    .toEqual({ 'shape:scaffold': '3', 'shape:tests': '1', 'shape:pair': '1' })

  // A second vote: listed first, its counts on show; the first one stays listed.
  await runVote(server.url, roomId, await secrets(facilitator, roomId, link), {
    title: 'Open vote',
    stickyIds: ['shape:tests', 'shape:pair'],
    anonymous: false,
    ballots: [
      { name: 'Ana', dots: ['shape:pair'] },
      { name: 'Ben', dots: ['shape:pair'] },
    ],
  })
  const results = facilitator.getByTestId('vote-result')
  await expect(results).toHaveCount(2)
  await expect(results.first()).toContainText('Open vote')
  await expect(results.first()).toContainText('Ana, Ben')
  await expect(results.nth(1)).toContainText('Which framework first?')
  await expect.poll(() => countsOnScreen(facilitator)).toEqual({ 'shape:pair': '2' })
  // Picking the older one shows its counts instead.
  await results
    .nth(1)
    .getByRole('button', { name: 'Show the counts of “Which framework first?” on the stickies' })
    .click()
  await expect
    .poll(() => countsOnScreen(facilitator))
    .toEqual({ 'shape:scaffold': '3', 'shape:tests': '1', 'shape:pair': '1' })

  // A sticky deleted since is still listed, with its text.
  await facilitator.evaluate(() => {
    window.editor.deleteShapes(['shape:tests' as never])
  })
  await expect(results.nth(1).getByTestId('ranked-sticky').nth(1)).toContainText(
    /Tests first\s*no longer on the board/,
  )
  await facilitator.screenshot({ path: join(SHOTS, 'results-1440-two.png') })

  // No serious accessibility problem in the panel (tldraw's canvas is tldraw's own).
  const axe = await new AxeBuilder({ page: facilitator })
    .include('[data-testid="vote-results"]')
    .analyze()
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([])
})

test('on a phone: the results open from the overflow menu and fit the screen', async ({
  people,
  server,
}) => {
  await mkdir(SHOTS, { recursive: true })
  const facilitator = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(facilitator, server.url)
  const link = await shareLink(facilitator, 'participant')
  await addStickies(facilitator, server.url)
  const phone = await people.join('Pat', {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  })
  await phone.goto(link)
  await waitForSync(phone)
  await runVote(server.url, roomId, await secrets(facilitator, roomId, link), FIRST_VOTE)
  const panel = phone.getByTestId('vote-results')
  await expect(panel).toBeVisible()
  await phone.getByRole('button', { name: 'Close the vote results' }).tap()
  await expect(panel).toBeHidden()

  await phone.getByTestId('more-menu').tap()
  await phone.getByRole('menuitemcheckbox', { name: 'Vote results' }).tap()
  await expect(panel).toBeVisible()
  await expect(panel.getByTestId('ranked-sticky')).toHaveCount(3)
  const box = (await panel.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(390)
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await phone.screenshot({ path: join(SHOTS, 'results-390.png') })
})

test('exports show the counts: the SVG and PNG of the dialog and of the command line, and the deck', async ({
  people,
  server,
}) => {
  test.setTimeout(240_000)
  await mkdir(SHOTS, { recursive: true })
  const facilitator = await people.join('Fran')
  const roomId = await createBoardAsFacilitator(facilitator, server.url)
  const link = await shareLink(facilitator, 'participant')
  await addStickies(facilitator, server.url)
  await runVote(server.url, roomId, await secrets(facilitator, roomId, link), FIRST_VOTE)
  await expect(facilitator.getByTestId('vote-results')).toBeVisible()
  const bounds = await facilitator.evaluate(() => {
    const b = window.editor.getCurrentPageBounds()!
    return { x: b.x, y: b.y }
  })

  // The dialog's SVG: a count group on each sticky with votes, with its number.
  const exportFile = async (format: 'SVG' | 'PNG') => {
    await facilitator.keyboard.press('Alt+Shift+E')
    const dialog = facilitator.getByTestId('export-dialog')
    await dialog.getByRole('radio', { name: /^Whole board/ }).check()
    await dialog.getByText('1x', { exact: true }).click()
    await dialog.getByText(format, { exact: true }).click()
    const [download] = await Promise.all([
      facilitator.waitForEvent('download'),
      dialog.getByRole('button', { name: `Download ${format}` }).click(),
    ])
    return readFile((await download.path())!)
  }
  const svg = (await exportFile('SVG')).toString('utf8')
  const groups = [...svg.matchAll(/data-vote-count="(\d+)"/g)].map((m) => Number(m[1]))
  expect(groups.sort()).toEqual([1, 1, 3])

  // The dialog's PNG: the dark disc at each voted sticky's top-right corner, not on the other.
  const png = PNG.sync.read(await exportFile('PNG'))
  for (const s of STICKIES) {
    const at = discPoint(s.x, bounds.x, bounds.y)
    expect(isDark(rgb(png, at.x, at.y)), `${s.text} at ${at.x},${at.y}`).toBe(s.id !== 'shape:none')
  }

  // Hide counts: the same export has no disc.
  await facilitator.getByRole('button', { name: 'Hide counts' }).click()
  const plain = PNG.sync.read(await exportFile('PNG'))
  const at = discPoint(STICKIES[0].x, bounds.x, bounds.y)
  expect(isDark(rgb(plain, at.x, at.y))).toBe(false)

  // The command line, from the view-only link: it waits for the results, shows the newest.
  const out = await mkdtemp(join(tmpdir(), 'switchback-vote-export-'))
  try {
    const viewer = `${server.url}/b/${roomId}`
    const cliPng = await runExporter([
      '--board',
      viewer,
      '--format',
      'png',
      '--scale',
      '1',
      '--out',
      join(out, 'board.png'),
    ])
    expect(cliPng.stderr).toBe('')
    expect(cliPng.stdout).toContain('1 vote result')
    const image = PNG.sync.read(await readFile(join(out, 'board.png')))
    for (const s of STICKIES) {
      const p = discPoint(s.x, bounds.x, bounds.y)
      expect(isDark(rgb(image, p.x, p.y)), s.text).toBe(s.id !== 'shape:none')
    }

    const cliSvg = await runExporter([
      '--board',
      viewer,
      '--format',
      'svg',
      '--out',
      join(out, 'b.svg'),
    ])
    expect(cliSvg.code).toBe(0)
    expect(await readFile(join(out, 'b.svg'), 'utf8')).toContain('data-vote-count="3"')

    const deck = await runExporter([
      '--board',
      viewer,
      '--format',
      'pptx',
      '--out',
      join(out, 'b.pptx'),
    ])
    expect(deck.code).toBe(0)
    const zip = await JSZip.loadAsync(await readFile(join(out, 'b.pptx')))
    const slides = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f))
    const last = await zip.file(`ppt/slides/slide${slides.length}.xml`)!.async('string')
    expect(last).toContain('Vote: Which framework first?')
    expect(last).toContain('Scaffold frameworks')
    expect(last).toContain('3 votes')
    const pdf = await runExporter([
      '--board',
      viewer,
      '--format',
      'pdf',
      '--out',
      join(out, 'b.pdf'),
    ])
    expect(pdf.code).toBe(0)
    const document = await getDocumentProxy(new Uint8Array(await readFile(join(out, 'b.pdf'))))
    const { text } = await extractText(document, { mergePages: false })
    expect(text.at(-1)).toContain('Vote: Which framework first?')
    expect(text.at(-1)).toContain('3 votes')
    await copyFile(join(out, 'b.pdf'), join(SHOTS, 'deck.pdf'))
    await copyFile(join(out, 'board.png'), join(SHOTS, 'export-with-counts.png'))
  } finally {
    await rm(out, { recursive: true, force: true })
  }
})
