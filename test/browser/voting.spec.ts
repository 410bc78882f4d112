/**
 * A dot vote as people run it, in browsers against the real server: the facilitator starts a
 * vote on a frame of the four-framework-jobs board, two participants click stickies (their
 * count of votes left follows; a second click takes a dot back; a sticky outside the vote
 * does nothing; no votes left says so), the facilitator watches the progress and ends it, and
 * everyone sees the counts on the stickies. Then the same with the keyboard only, from the
 * list ballot, and on a phone, by touch and from the list.
 */
import AxeBuilder from '@axe-core/playwright'
import type { BrowserContextOptions, Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'
import { shareLink, waitForSync } from './board-helpers'
import { expect, test, type People } from './fixtures'

/** Where the screenshots go, for a person to look at; the test does not compare them. */
const SHOTS = process.env.VOTE_SHOTS ?? '/tmp/voting-shots'

const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
}

async function workshop(
  people: People,
  serverUrl: string,
  participants: [string, BrowserContextOptions?][],
) {
  const fran = await people.join('Fran', { viewport: { width: 1440, height: 900 } })
  await fran.goto(`${serverUrl}/new?template=four-framework-jobs`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  const link = await shareLink(fran, 'participant')
  const others: Page[] = []
  for (const [name, options] of participants) {
    const page = await people.join(name, options)
    await page.goto(link)
    await waitForSync(page)
    others.push(page)
  }
  return { fran, others }
}

/**
 * The facilitator's stickies: two in each of two zones of the "jobs" frame, one in the
 * "mismatch" frame. Returns their ids by name.
 */
async function addStickies(fran: Page): Promise<Stickies> {
  return fran.evaluate(() => {
    const editor = window.editor
    const element = (id: string) =>
      editor
        .getCurrentPageShapes()
        .find((s) => (s.meta as { switchback?: { element?: string } }).switchback?.element === id)!
    const place = (zone: string, dx: number, dy: number, text: string) => {
      const bounds = editor.getShapePageBounds(element(zone))!
      const id = `shape:vote-${text.toLowerCase().replace(/\W+/g, '-')}`
      editor.createShape({
        id: id as TLShapeId,
        type: 'note',
        x: bounds.x + dx,
        y: bounds.y + dy,
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          },
        },
      })
      return id
    }
    return {
      okrs: place('scaffold', 40, 120, 'OKRs'),
      scrum: place('scaffold', 280, 120, 'Scrum'),
      prd: place('local', 40, 120, 'PRD template'),
      trees: place('local', 280, 120, 'Opportunity trees'),
      outside: place('meant-used', 40, 200, 'Outside the vote'),
    }
  })
}

type Stickies = Record<'okrs' | 'scrum' | 'prd' | 'trees' | 'outside', string>

/** Waits until the page has the stickies (through the server, so the vote will find them). */
async function hasStickies(page: Page, ids: Stickies) {
  const wanted = Object.values(ids)
  await expect
    .poll(() =>
      page.evaluate(
        (all) => all.filter((id) => window.editor.getShape(id as TLShapeId)).length,
        wanted,
      ),
    )
    .toBe(wanted.length)
}

/** Shows the whole board, so every sticky is on screen. */
const showAll = (page: Page) =>
  page.evaluate(() => {
    window.editor.zoomToFit({ immediate: true })
  })

/** A shape's centre on the screen. */
const screenCentre = (page: Page, id: string) =>
  page.evaluate((shapeId) => {
    const editor = window.editor
    const bounds = editor.getShapePageBounds(shapeId as TLShapeId)!
    const point = editor.pageToViewport(bounds.center)
    const container = editor.getContainer().getBoundingClientRect()
    return { x: container.x + point.x, y: container.y + point.y }
  }, id)

async function clickSticky(page: Page, id: string) {
  const at = await screenCentre(page, id)
  await page.mouse.click(at.x, at.y)
}

const dotsOn = (page: Page, id: string) =>
  page.locator(`[data-shape-id="${id}"] [data-testid="my-dots"] .sb-note-dot`)
const countOn = (page: Page, id: string) =>
  page.locator(`[data-shape-id="${id}"] [data-testid="vote-count"]`)

/** Opens "Start a vote" with the shortcut and starts one on the "jobs" frame. */
async function startVoteOnFrame(fran: Page, title: string) {
  await fran.keyboard.press('Alt+Shift+D')
  const dialog = fran.getByTestId('start-vote')
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Title').fill(title)
  const scope = dialog.getByLabel('Stickies to vote on')
  const labels = await scope.locator('option').allTextContents()
  const frame = labels.find((label) => /^Frame: .*\(4 stickies\)$/.test(label))
  expect(frame, labels.join(' | ')).toBeTruthy()
  await scope.selectOption({ label: frame! })
  await expect(dialog.getByLabel('Votes per person')).toHaveValue('3')
  await expect(dialog.getByLabel('At most per sticky')).toHaveValue('1')
  await expect(dialog.getByLabel(/Anonymous/)).toBeChecked()
  return dialog
}

/**
 * Presses Tab (or Shift+Tab) until the button named `name` has the focus, as a keyboard user
 * would; fails if it never does.
 */
async function tabTo(page: Page, name: string, backwards = false) {
  const target = page.getByRole('button', { name, exact: true })
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return
  }
  throw new Error(`Tab never reached the button "${name}"`)
}

/** axe-core's serious and critical violations on the page, outside tldraw's canvas. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).exclude('.tl-container').analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))
}

test('a dot vote on a frame: dots, votes left, taking back, progress, end, counts for all', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { fran, others } = await workshop(people, server.url, [['Pia'], ['Per']])
  const [pia, per] = others
  const ids: Stickies = await addStickies(fran)
  for (const page of [fran, pia, per]) {
    await hasStickies(page, ids)
    await showAll(page)
  }
  await expect(pia.locator(`[data-shape-id="${ids.trees}"]`)).toBeVisible()

  // The scope selection: the dialog offers the zone around the selected sticky, then the frame.
  await fran.evaluate((id) => {
    window.editor.select(id as TLShapeId)
  }, ids.okrs)
  // The top bar's button opens the dialog too; the shortcut is the other way in.
  await fran.getByRole('button', { name: 'Start a vote' }).click()
  await expect(fran.getByTestId('start-vote')).toBeVisible()
  await fran.keyboard.press('Escape')
  await expect(fran.getByTestId('start-vote')).toBeHidden()
  const dialog = await startVoteOnFrame(fran, 'Which jobs hurt most?')
  await fran.screenshot({ path: `${SHOTS}/start-dialog-1440.png` })
  await dialog.getByRole('button', { name: 'Start the vote' }).click()
  await expect(dialog).toBeHidden()

  // Participants are voting at once: the banner says how.
  const piaBar = pia.getByTestId('vote-bar')
  await expect(piaBar).toContainText('Vote: Which jobs hurt most?')
  await expect(piaBar).toContainText('click stickies')
  await expect(pia.getByTestId('votes-left')).toHaveText('3 of 3 votes left')
  await expect(fran.getByTestId('vote-progress')).toHaveText('0 people voted · 0 votes')

  await clickSticky(pia, ids.okrs)
  await expect(pia.getByTestId('votes-left')).toHaveText('2 of 3 votes left')
  await expect(dotsOn(pia, ids.okrs)).toHaveCount(1)
  await clickSticky(pia, ids.scrum)
  await expect(pia.getByTestId('votes-left')).toHaveText('1 of 3 votes left')
  // One per sticky: a second click takes it back.
  await clickSticky(pia, ids.okrs)
  await expect(pia.getByTestId('votes-left')).toHaveText('2 of 3 votes left')
  await expect(dotsOn(pia, ids.okrs)).toHaveCount(0)
  await clickSticky(pia, ids.trees)
  // A sticky outside the vote: nothing.
  await clickSticky(pia, ids.outside)
  await expect(pia.getByTestId('votes-left')).toHaveText('1 of 3 votes left')
  // Nothing moved or got selected by voting clicks.
  expect(await pia.evaluate(() => window.editor.getSelectedShapeIds())).toEqual([])

  await clickSticky(per, ids.scrum)
  await clickSticky(per, ids.prd)
  await clickSticky(per, ids.okrs)
  await expect(per.getByTestId('votes-left')).toHaveText('0 of 3 votes left')
  await clickSticky(per, ids.trees)
  await expect(
    per.getByText('No votes left: click one of your dots to take it back.'),
  ).toBeVisible()
  await clickSticky(per, ids.okrs)
  await expect(per.getByTestId('votes-left')).toHaveText('1 of 3 votes left')

  // Each sees only their own dots; the facilitator sees how many voted.
  await expect(dotsOn(per, ids.scrum)).toHaveCount(1)
  await expect(dotsOn(per, ids.trees)).toHaveCount(0)
  await expect(dotsOn(pia, ids.prd)).toHaveCount(0)
  await expect(fran.getByTestId('vote-progress')).toHaveText('2 people voted · 4 votes')
  await expect(fran.getByTestId('vote-bar')).toContainText('End vote')
  await expect(countOn(pia, ids.scrum)).toHaveCount(0)
  await fran.screenshot({ path: `${SHOTS}/facilitator-voting-1440.png` })
  await pia.screenshot({ path: `${SHOTS}/participant-voting.png` })

  // A participant can step out (pan and edit) and come back to voting.
  await pia.getByRole('button', { name: /Stop voting/ }).click()
  await expect(piaBar).not.toContainText('click stickies')
  await pia.getByTestId('vote-resume').click()
  await expect(piaBar).toContainText('click stickies')

  await fran.getByRole('button', { name: 'End vote' }).click()
  for (const page of [fran, pia, per]) {
    await expect(page.getByTestId('vote-bar')).toBeHidden()
    await expect(countOn(page, ids.scrum)).toHaveText('2')
    await expect(countOn(page, ids.prd)).toHaveText('1')
    await expect(countOn(page, ids.trees)).toHaveText('1')
    await expect(countOn(page, ids.okrs)).toHaveCount(0)
    await expect(page.locator('[data-testid="my-dots"]')).toHaveCount(0)
  }
  await fran.screenshot({ path: `${SHOTS}/results-1440.png` })

  // After the end, clicks edit the board again: a click selects.
  await clickSticky(pia, ids.trees)
  await expect
    .poll(() => pia.evaluate(() => window.editor.getSelectedShapeIds()))
    .toEqual([ids.trees])
})

test('voting from the list with the keyboard only: add, take back, progress, axe', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { fran, others } = await workshop(people, server.url, [['Pia']])
  const [pia] = others
  const ids: Stickies = await addStickies(fran)
  await hasStickies(pia, ids)
  // One sticky with no text: the list says so.
  await fran.evaluate((id) => {
    window.editor.updateShape({
      id: id as TLShapeId,
      type: 'note',
      props: { richText: { type: 'doc', content: [] } },
    })
  }, ids.trees)
  await expect
    .poll(() =>
      pia.evaluate(
        (id) =>
          (window.editor.getShape(id as TLShapeId)?.props as { richText: { content: unknown[] } })
            .richText.content.length,
        ids.trees,
      ),
    )
    .toBe(0)
  const start = await startVoteOnFrame(fran, 'Which jobs hurt most?')
  await start.getByRole('button', { name: 'Start the vote' }).click()
  await expect(pia.getByTestId('votes-left')).toHaveText('3 of 3 votes left')

  // From nowhere in particular, Tab to the list and open it with Enter.
  await pia.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await tabTo(pia, 'Vote from a list')
  await pia.keyboard.press('Enter')
  const list = pia.getByTestId('vote-list')
  await expect(list).toBeVisible()
  await expect(list.getByRole('heading', { name: 'Vote: Which jobs hurt most?' })).toBeVisible()
  const left = list.getByRole('status')
  await expect(left).toHaveText('3 of 3 votes left')
  await expect(list.getByTestId('vote-list-row')).toHaveCount(4)
  await expect(list.getByTestId('vote-list-row').filter({ hasText: '(empty sticky)' })).toHaveCount(
    1,
  )
  // Nothing to take back yet.
  await expect(list.getByRole('button', { name: 'Take a vote back from “OKRs”' })).toBeDisabled()

  await tabTo(pia, 'Add a vote to “OKRs”')
  await pia.keyboard.press('Enter')
  await expect(left).toHaveText('2 of 3 votes left')
  const okrsRow = list.getByTestId('vote-list-row').filter({ hasText: 'OKRs' })
  await expect(okrsRow.getByTestId('vote-list-mine')).toHaveText('1 of your votes')
  // One per sticky: no second vote on it; the focus stays where it was.
  const addOkrs = list.getByRole('button', { name: 'Add a vote to “OKRs”' })
  await expect(addOkrs).toBeDisabled()
  await expect(addOkrs).toBeFocused()
  await pia.keyboard.press('Enter')
  await expect(left).toHaveText('2 of 3 votes left')

  await tabTo(pia, 'Add a vote to “Scrum”')
  await pia.keyboard.press('Space')
  await expect(left).toHaveText('1 of 3 votes left')
  await tabTo(pia, 'Add a vote to the empty sticky')
  await pia.keyboard.press('Enter')
  await expect(left).toHaveText('0 of 3 votes left')
  await expect(list.getByRole('button', { name: 'Add a vote to “PRD template”' })).toBeDisabled()
  // The vote bar and the stickies follow, and the server has them: the facilitator sees them.
  await expect(pia.getByTestId('votes-left')).toHaveText('0 of 3 votes left')
  await expect(dotsOn(pia, ids.scrum)).toHaveCount(1)
  await expect(fran.getByTestId('vote-progress')).toHaveText('1 person voted · 3 votes')
  await pia.screenshot({ path: `${SHOTS}/vote-list-1440.png` })
  expect(await seriousViolations(pia)).toEqual([])

  // Take one back, going backwards.
  await tabTo(pia, 'Take a vote back from “OKRs”', true)
  await pia.keyboard.press('Enter')
  await expect(left).toHaveText('1 of 3 votes left')
  await expect(okrsRow.getByTestId('vote-list-mine')).toHaveText('None of your votes')
  await expect(fran.getByTestId('vote-progress')).toHaveText('1 person voted · 2 votes')
  await expect(dotsOn(pia, ids.okrs)).toHaveCount(0)

  // Escape closes it, and the focus goes back to the button that opened it.
  await pia.keyboard.press('Escape')
  await expect(list).toBeHidden()
  await expect(pia.getByRole('button', { name: 'Vote from a list' })).toBeFocused()
  await expect(pia.getByTestId('vote-bar')).toBeVisible()
  await expect(pia.getByTestId('votes-left')).toHaveText('1 of 3 votes left')

  await fran.keyboard.press('Alt+Shift+D')
  await expect(countOn(fran, ids.scrum)).toHaveText('1')
  await expect(countOn(fran, ids.trees)).toHaveText('1')
  await expect(countOn(fran, ids.okrs)).toHaveCount(0)
})

test('voting on a phone: the banner fits, taps vote and take back', async ({ people, server }) => {
  test.setTimeout(120_000)
  const { fran, others } = await workshop(people, server.url, [['Pia', PHONE]])
  const [pia] = others
  const ids: Stickies = await addStickies(fran)
  await hasStickies(pia, ids)
  const dialog = await startVoteOnFrame(fran, 'Which frameworks do a job they were not meant for?')
  await dialog.getByLabel('Votes per person').fill('2')
  await dialog.getByRole('button', { name: 'Start the vote' }).click()

  const bar = pia.getByTestId('vote-bar')
  await expect(pia.getByTestId('votes-left')).toHaveText('2 of 2 votes left')
  const box = (await bar.boundingBox())!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(390)
  expect(box.y + box.height).toBeLessThanOrEqual(844)
  expect(await pia.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  // Clear of tldraw's toolbar (its tools, and undo and the rest above them).
  const toolbar = (await pia.locator('.tlui-layout__bottom__main').boundingBox())!
  expect(box.y + box.height).toBeLessThanOrEqual(toolbar.y)

  await pia.evaluate((id) => {
    const bounds = window.editor
      .getShapePageBounds(id as TLShapeId)!
      .clone()
      .expandBy(260)
    window.editor.zoomToBounds(bounds, { immediate: true })
  }, ids.okrs)
  const okrs = await screenCentre(pia, ids.okrs)
  await pia.touchscreen.tap(okrs.x, okrs.y)
  await expect(pia.getByTestId('votes-left')).toHaveText('1 of 2 votes left')
  await expect(dotsOn(pia, ids.okrs)).toHaveCount(1)
  const scrum = await screenCentre(pia, ids.scrum)
  await pia.touchscreen.tap(scrum.x, scrum.y)
  await expect(pia.getByTestId('votes-left')).toHaveText('0 of 2 votes left')
  await pia.screenshot({ path: `${SHOTS}/participant-voting-390.png` })
  await pia.touchscreen.tap(okrs.x, okrs.y)
  await expect(pia.getByTestId('votes-left')).toHaveText('1 of 2 votes left')
  await expect(fran.getByTestId('vote-progress')).toHaveText('1 person voted · 1 vote')

  // The list: the easy way to vote on a phone. It fits the screen; its buttons are thumb-sized.
  await pia.getByRole('button', { name: 'Vote from a list' }).tap()
  const list = pia.getByTestId('vote-list')
  await expect(list).toBeVisible()
  const listBox = (await list.boundingBox())!
  expect(listBox.x).toBeGreaterThanOrEqual(0)
  expect(listBox.x + listBox.width).toBeLessThanOrEqual(390)
  expect(listBox.y + listBox.height).toBeLessThanOrEqual(844)
  const add = list.getByRole('button', { name: 'Add a vote to “Opportunity trees”' })
  expect((await add.boundingBox())!.height).toBeGreaterThanOrEqual(44)
  await add.tap()
  await expect(list.getByRole('status')).toHaveText('0 of 2 votes left')
  await pia.screenshot({ path: `${SHOTS}/vote-list-390.png` })
  await list.getByRole('button', { name: 'Done' }).tap()
  await expect(list).toBeHidden()
  await expect(pia.getByTestId('votes-left')).toHaveText('0 of 2 votes left')
  await expect(fran.getByTestId('vote-progress')).toHaveText('1 person voted · 2 votes')

  await fran.keyboard.press('Alt+Shift+D')
  await expect(countOn(pia, ids.scrum)).toHaveText('1')
  await expect(bar).toBeHidden()
  await pia.screenshot({ path: `${SHOTS}/results-390.png` })
})
