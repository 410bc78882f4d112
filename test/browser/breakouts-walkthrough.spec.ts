/**
 * Issue 20's breakouts, done as a new facilitator would: 12 participants (three in browsers,
 * one of them on a 390 px phone, and nine on raw sockets) and the facilitator on the four
 * framework jobs board, the 12 split into 3 groups of 4 at random; a ready check
 * per group, a line to every group, a reload and a `kill -9` + restart mid-breakout (everyone
 * in the same group after), End breakouts and the gallery walk. Screenshots at 1440 px and on
 * the phone go to BREAKOUTS_SHOTS, else /tmp/breakouts-walkthrough, for a person to look at.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'
import { waitForSync } from './board-helpers'
import {
  DESKTOP,
  PHONE,
  framesOn,
  groupFrames,
  jobsBoard,
  openBoard,
  rawPerson,
  viewIsOn,
} from './breakout-helpers'
import { expect, test } from './fixtures'

const SHOTS = process.env.BREAKOUTS_SHOTS ?? '/tmp/breakouts-walkthrough'
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

/** "Your group: 2 · …" as a browser shows it: the group's number. */
const groupShown = async (page: Page) =>
  Number((await page.getByTestId('my-group').textContent())?.match(/Your group: (\d+)/)?.[1])

test.afterEach(async ({ server }) => server.ensureRunning())

test('breakouts walkthrough: 12 people in 3 groups, ready per group, a message, a reload, kill -9, the gallery walk', async ({
  people,
  server,
}) => {
  test.setTimeout(240_000)
  await mkdir(SHOTS, { recursive: true })
  const board = await jobsBoard(server.url)
  const fran = await openBoard(people, 'Fran', board.facilitatorLink, DESKTOP)
  const ana = await openBoard(people, 'Ana', board.participantLink, DESKTOP)
  const ben = await openBoard(people, 'Ben', board.participantLink, DESKTOP)
  const chen = await openBoard(people, 'Chen', board.participantLink, PHONE)
  const browsers = [ana, ben, chen]
  const named = [
    [ana, 'Ana'],
    [ben, 'Ben'],
    [chen, 'Chen'],
  ] as const
  const names = ['Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kai', 'Lu']
  let raw = await Promise.all(
    names.map((name) => rawPerson(server.url, board.roomId, board.participantKey, name)),
  )
  const [source] = await framesOn(fran)

  // The workshop is on its second step (sorting by job, on the jobs frame).
  await fran.getByTestId('step-bar').getByRole('button', { name: 'Start' }).click()
  await fran.getByTestId('step-bar').getByRole('button', { name: 'Next' }).click()
  await expect(fran.getByTestId('step-title')).toContainText('Sort by job')

  // 1. Start: the step's frame, 3 groups, at random.
  await fran.keyboard.press('Alt+Shift+X')
  const dialog = fran.getByTestId('breakout-start')
  await expect(dialog.getByLabel('Frame to copy')).toHaveValue(source.id)
  await expect(dialog.getByTestId('breakout-summary')).toHaveText('12 people → 3 groups of 4')
  await shot(fran, '1-start-dialog')
  await dialog.getByRole('button', { name: 'Start 3 groups' }).click()
  await expect(dialog).toBeHidden()
  const copies = await groupFrames(fran)
  expect(copies.map((c) => c.name)).toEqual(['Group 1', 'Group 2', 'Group 3'])

  // Everyone is in a group, 4 to a group, and taken to their group's copy.
  const groupOf = new Map<string, number>()
  for (const [page, name] of named) {
    await expect(page.getByTestId('my-group')).toContainText(name)
    const group = await groupShown(page)
    groupOf.set(name, group)
    await expect.poll(() => viewIsOn(page, copies[group - 1].id)).toBe(true)
  }
  for (const member of raw) {
    await expect.poll(() => member.view()?.breakouts?.mine).not.toBeNull()
    const mine = member.view()!.breakouts!.mine!
    groupOf.set(member.name, mine + 1)
    const focus = copies[mine].id
    await expect
      .poll(() => member.customs().some((m) => m.type === 'summon' && m.focus === focus))
      .toBe(true)
  }
  const sizes = [1, 2, 3].map((g) => [...groupOf.values()].filter((v) => v === g).length)
  expect(sizes).toEqual([4, 4, 4])
  await fran.getByTestId('breakouts-status').click()
  const panel = fran.getByTestId('breakouts-panel')
  await expect(panel.locator('.members li')).toHaveCount(12)

  // 2. A ready check per group: Ana is done, then one more of her group.
  const anaGroup = groupOf.get('Ana')!
  const mates = raw.filter((m) => groupOf.get(m.name) === anaGroup)
  const size = [...groupOf.values()].filter((v) => v === anaGroup).length
  await ana.getByTestId('ready').click()
  await expect(ana.getByTestId('my-group-ready')).toHaveText(`Group ${anaGroup}: 1/${size} done`)
  await mates[0].act({ type: 'ready', done: true })
  await expect(ana.getByTestId('my-group-ready')).toHaveText(`Group ${anaGroup}: 2/${size} done`)
  const readyInPanel = panel.getByTestId('group-ready')
  await expect(readyInPanel.nth(anaGroup - 1)).toHaveText(`2/${size} done`)
  for (const g of [1, 2, 3].filter((g) => g !== anaGroup)) {
    await expect(readyInPanel.nth(g - 1)).toHaveText(/^0\/\d done$/)
  }
  // A browser in another group counts its own group only.
  const other = named.find(([page, name]) => page !== ana && groupOf.get(name) !== anaGroup)
  if (other) await expect(other[0].getByTestId('my-group-ready')).toHaveText(/: 0\/\d done$/)

  // 3. One line to every group: a banner and a toast in every browser, in every raw view.
  await panel.getByLabel('A line to every group').fill('5 minutes left')
  await panel.getByRole('button', { name: 'Send', exact: true }).click()
  for (const page of browsers) {
    await expect(page.getByTestId('breakout-message')).toContainText('5 minutes left')
    await expect(page.getByText('From the facilitator, to every group')).toBeVisible()
  }
  for (const member of raw) {
    await expect.poll(() => member.view()?.breakouts?.message?.text).toBe('5 minutes left')
  }
  await shot(fran, '2-panel-facilitator')
  await shot(ana, '2-group-ana')
  await shot(chen, '2-group-chen-phone')

  // 4. A reload: Ben opens on his group's copy again, in the same group.
  await ben.reload()
  await waitForSync(ben)
  await expect(ben.getByTestId('my-group')).toContainText(`Your group: ${groupOf.get('Ben')}`)
  await expect.poll(() => viewIsOn(ben, copies[groupOf.get('Ben')! - 1].id)).toBe(true)

  // 5. kill -9 and a restart: the browsers reconnect, the raw sockets join again with the same
  // keys; everyone is in the group they were in, with the same message.
  await server.crash()
  await server.restart()
  for (const page of [fran, ...browsers]) {
    await expect(page.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  }
  raw = await Promise.all(
    raw.map((m) => rawPerson(server.url, board.roomId, board.participantKey, m.name, m.key)),
  )
  for (const [page, name] of named) {
    await expect(page.getByTestId('my-group')).toContainText(`Your group: ${groupOf.get(name)}`)
    await expect(page.getByTestId('breakout-message')).toContainText('5 minutes left')
  }
  for (const member of raw) {
    await expect.poll(() => member.view()?.breakouts?.mine).toBe(groupOf.get(member.name)! - 1)
  }
  await expect(panel.locator('.members li')).toHaveCount(12)
  await chen.reload()
  await waitForSync(chen)
  await expect.poll(() => viewIsOn(chen, copies[groupOf.get('Chen')! - 1].id)).toBe(true)
  await shot(chen, '3-after-restart-chen-phone')

  // 6. End breakouts: the copies in one row, everyone brought to see them.
  await panel.getByRole('button', { name: 'End breakouts' }).click()
  await expect(fran.getByText('Breakouts ended')).toBeVisible()
  const row = await groupFrames(fran)
  expect(new Set(row.map((f) => f.y)).size).toBe(1)
  for (let i = 1; i < row.length; i++) expect(row[i].x).toBeGreaterThan(row[i - 1].x + row[0].w)
  const ids = row.map((f) => f.id)
  for (const page of browsers) {
    await expect(page.getByTestId('my-group')).toBeHidden()
    await expect
      .poll(() =>
        page.evaluate((ids) => {
          const view = window.editor.getViewportPageBounds()
          return ids.every((id) =>
            view.contains(window.editor.getShapePageBounds(id as TLShapeId)!),
          )
        }, ids),
      )
      .toBe(true)
  }
  for (const member of raw) {
    await expect.poll(() => member.view()?.breakouts).toBeNull()
    await expect
      .poll(() => member.customs().some((m) => m.type === 'summon' && m.bounds !== null))
      .toBe(true)
  }
  await shot(fran, '4-gallery-facilitator')
  await shot(chen, '4-gallery-chen-phone')
  for (const member of raw) member.socket.close()
})
