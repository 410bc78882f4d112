/**
 * One workshop as a new facilitator runs it, on the four framework jobs board, with two
 * participants (one on a tablet): a silent brainstorm, the reveal, a dot vote on the jobs
 * frame, its results on the stickies and in the panel, the frame frozen, and a slide deck with
 * the vote's slide. Each feature has its own spec; this one checks they work together, and
 * leaves screenshots for a person to look at (WALKTHROUGH_SHOTS, else /tmp/walkthrough).
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'
import { extractText, getDocumentProxy } from 'unpdf'
import { shareLink, waitForSync } from './board-helpers'
import { addSticky, clickSticky, showAll, stickyId, stickyTexts } from './workshop-helpers'
import { expect, test } from './fixtures'

const ROOT = resolve(import.meta.dirname, '../..')
const SHOTS = process.env.WALKTHROUGH_SHOTS ?? '/tmp/walkthrough'

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

test('a whole workshop: silent brainstorm, reveal, dot vote, results, a frozen frame, the deck', async ({
  people,
  server,
}) => {
  test.setTimeout(180_000)
  await mkdir(SHOTS, { recursive: true })
  const desktop = { viewport: { width: 1440, height: 900 } }
  const fran = await people.join('Fran', desktop)
  await fran.goto(`${server.url}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  const link = await shareLink(fran, 'participant')
  const ana = await people.join('Ana', desktop)
  const ben = await people.join('Ben', {
    viewport: { width: 768, height: 1024 },
    hasTouch: true,
    isMobile: true,
  })
  for (const page of [ana, ben]) {
    await page.goto(link)
    await waitForSync(page)
  }

  // 1. A silent brainstorm on the whole board.
  await fran.keyboard.press('Alt+Shift+I')
  await fran.getByTestId('private-dialog').getByRole('button', { name: 'Start' }).click()
  await expect(ana.getByTestId('private-bar')).toContainText('visible only to you')
  await addSticky(ana, 'frameworks', 24, 80, 'OKRs')
  await addSticky(ana, 'frameworks', 24, 300, 'Scrum')
  await addSticky(ben, 'frameworks', 200, 80, 'PRD template')
  await addSticky(ben, 'frameworks', 200, 300, 'Opportunity trees')
  await expect.poll(() => stickyTexts(ana)).toEqual(['OKRs', 'Scrum'])
  await expect.poll(() => stickyTexts(ben)).toEqual(['Opportunity trees', 'PRD template'])
  await expect(fran.getByTestId('private-count')).toHaveText(['Ana: 2', 'Ben: 2'])
  // The counts leave before the room sees the pushes: Fran's screen is checked once it has a
  // rectangle each participant drew after their stickies (it goes through the room, as a
  // leaked sticky would). They are gone again before the screenshots.
  const markers = [
    [ana, 'shape:ana-marker'],
    [ben, 'shape:ben-marker'],
  ] as const
  const onFran = (id: string) =>
    fran.evaluate((id) => window.editor.getShape(id as TLShapeId) !== undefined, id)
  for (const [page, id] of markers) {
    await page.evaluate((id) => {
      window.editor.createShape({ id: id as TLShapeId, type: 'geo', x: 0, y: -2000 })
    }, id)
  }
  for (const [, id] of markers) await expect.poll(() => onFran(id)).toBe(true)
  expect(await stickyTexts(fran)).toEqual([])
  for (const [page, id] of markers) {
    await page.evaluate((id) => {
      window.editor.deleteShapes([id as TLShapeId])
    }, id)
  }
  for (const [, id] of markers) await expect.poll(() => onFran(id)).toBe(false)
  for (const [page, name] of [
    [fran, '1-brainstorm-facilitator'],
    [ana, '1-brainstorm-ana'],
    [ben, '1-brainstorm-ben-tablet'],
  ] as const) {
    await showAll(page)
    await shot(page, name)
  }

  // 2. The reveal: everyone has all four, with their authors' names.
  await fran.getByTestId('private-bar').getByRole('button', { name: 'Reveal', exact: true }).click()
  const all = ['OKRs', 'Opportunity trees', 'PRD template', 'Scrum']
  for (const page of [fran, ana, ben]) await expect.poll(() => stickyTexts(page)).toEqual(all)
  await expect(fran.getByTestId('note-author')).toHaveCount(4)
  await shot(fran, '2-revealed')

  // 3. A dot vote on the jobs frame: three dots each, anonymous.
  await fran.keyboard.press('Alt+Shift+D')
  const dialog = fran.getByTestId('start-vote')
  await dialog.getByLabel('Title').fill('Mismatches that hurt')
  const scope = dialog.getByLabel('Stickies to vote on')
  const labels = await scope.locator('option').allTextContents()
  const frame = labels.find((label) => /^Frame: .*\(4 stickies\)$/.test(label))
  expect(frame, labels.join(' | ')).toBeTruthy()
  await scope.selectOption({ label: frame! })
  await shot(fran, '3-start-vote')
  await dialog.getByRole('button', { name: 'Start the vote' }).click()
  await expect(ana.getByTestId('votes-left')).toContainText('3 of 3')
  for (const page of [ana, ben]) await showAll(page)
  await clickSticky(ana, 'OKRs')
  await clickSticky(ana, 'Scrum')
  await expect(ana.getByTestId('votes-left')).toContainText('1 of 3')
  await clickSticky(ben, 'OKRs')
  await expect(ben.getByTestId('votes-left')).toContainText('2 of 3')
  await expect(fran.getByTestId('vote-progress')).toContainText('2 people voted')
  await expect(fran.getByTestId('vote-progress')).toContainText('3 votes')
  await shot(ana, '3-voting-ana')
  await shot(ben, '3-voting-ben-tablet')
  await shot(fran, '3-voting-facilitator')

  // 4. The end: counts on the stickies and the ranked list, for everyone.
  await fran.getByTestId('vote-bar').getByRole('button', { name: 'End vote' }).click()
  for (const page of [fran, ana, ben]) {
    await expect(page.getByTestId('vote-results')).toBeVisible()
    await expect(page.getByTestId('ranked-sticky').first()).toContainText('OKRs')
  }
  const okrs = await stickyId(fran, 'OKRs')
  await expect(fran.locator(`[data-shape-id="${okrs}"] [data-testid="vote-count"]`)).toHaveText('2')
  await shot(fran, '4-results-facilitator')
  await shot(ben, '4-results-ben-tablet')

  // 5. The step is done: the facilitator freezes the jobs frame; Ana can no longer move OKRs.
  await fran.evaluate((id) => {
    window.editor.select(id as TLShapeId)
  }, okrs)
  await fran.keyboard.press('Alt+Shift+L')
  await expect(ana.getByTestId('frozen-badge')).toBeVisible()
  const before = await ana.evaluate((id) => window.editor.getShape(id as TLShapeId)!.x, okrs)
  await ana.evaluate((id) => {
    window.editor.updateShape({ id: id as TLShapeId, type: 'note', x: 5000 })
  }, okrs)
  await expect
    .poll(() => ana.evaluate((id) => window.editor.getShape(id as TLShapeId)!.x, okrs))
    .toBe(before)
  await shot(ana, '5-frozen-ana')

  // 6. After the workshop: the deck has the vote's slide, ranked.
  const facilitatorLink = await shareLink(fran, 'facilitator')
  const out = join(SHOTS, 'deck.pdf')
  const exported = await new Promise<{ code: number; output: string }>((done) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli/export.ts', '--board', facilitatorLink, '--format', 'pdf', '--out', out],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    )
  })
  expect(exported.code, exported.output).toBe(0)
  const pdf = await getDocumentProxy(new Uint8Array(await readFile(out)))
  const { text } = await extractText(pdf, { mergePages: false })
  const voteSlide = text.find((page) => page.includes('Vote: Mismatches that hurt'))
  expect(voteSlide).toBeDefined()
  expect(voteSlide).toMatch(/OKRs[\s\S]*2/)
})
