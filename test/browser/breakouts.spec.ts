/**
 * Breakout groups as the facilitator and a participant use them, on one four framework jobs
 * board: the start dialog from a frame's context menu, the copies (beside the source, clear of
 * everything, background still locked, zones kept, outcome marks and stacks dropped), a start
 * the server refuses taking its copies away again, the panel, moving a person, people picking
 * a group, and End breakouts laying the copies in one row (one undo step) for everyone to see.
 * The server's rules are tried over raw sockets in breakouts-raw.spec.ts.
 */
import type { Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'
import { serverShapes } from './board-helpers'
import {
  framesOn,
  groupFrames,
  jobsBoard,
  openBoard,
  overlap,
  personKey,
  rawParticipants,
  rightClickShape,
  seriousViolations,
  viewIsOn,
} from './breakout-helpers'
import { addSticky } from './workshop-helpers'
import { personInWorkshop } from '../support/raw-workshop'
import { expect, test } from './fixtures'

/** Switchback's meta of every sticky people wrote on the page, by text. */
const stickyMeta = (page: Page) =>
  page.evaluate(() =>
    window.editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note' && !s.isLocked)
      .map((s) => ({
        text: window.editor.getShapeUtil(s).getText(s),
        meta: (s.meta as { switchback?: Record<string, unknown> }).switchback ?? {},
      })),
  )

test('breakouts from a frame’s menu: copies per group, a refused start undone, the panel, a move, picking, and the gallery walk', async ({
  people,
  server,
}) => {
  test.setTimeout(150_000)
  const board = await jobsBoard(server.url)
  const fran = await openBoard(people, 'Fran', board.facilitatorLink)
  const ana = await openBoard(people, 'Ana', board.participantLink)
  const raw = await rawParticipants(server.url, board.roomId, board.participantKey, [
    'Ben',
    'Chen',
    'Dee',
  ])
  const [source, mismatch] = await framesOn(fran)
  expect(source.name).toBe('The four framework jobs')

  // Ana's sticky on the frame, marked an action and stacked by Fran: a copy keeps the sticky,
  // not the marks.
  await addSticky(ana, 'frameworks', 24, 80, 'OKRs')
  await expect.poll(async () => (await stickyMeta(fran)).length).toBe(1)
  await fran.evaluate(() => {
    const editor = window.editor
    const note = editor.getCurrentPageShapes().find((s) => s.type === 'note' && !s.isLocked)!
    editor.updateShape({
      id: note.id,
      type: 'note',
      meta: { switchback: { outcome: { kind: 'decision' }, stack: 'stack-1' } },
    })
  })

  // A start the server refuses (another facilitator's breakouts began first) leaves nothing.
  const spares = await fran.evaluate(() => {
    const ids = ['shape:spare-a', 'shape:spare-b'] as TLShapeId[]
    window.editor.createShapes(
      ids.map((id, i) => ({ id, type: 'frame', x: -4000 + i * 1200, y: 3000 })),
    )
    return ids as string[]
  })
  await expect
    .poll(async () => (await serverShapes(server.url, board.roomId)).map((s) => s.id))
    .toEqual(expect.arrayContaining(spares))
  const shapesBefore = (await serverShapes(server.url, board.roomId)).length
  await fran.evaluate(() => {
    window.editor.zoomToFit({ immediate: true })
  })
  await rightClickShape(fran, source.id)
  await fran.getByRole('menuitem', { name: 'Start breakouts on this frame' }).click()
  const dialog = fran.getByTestId('breakout-start')
  await expect(dialog.getByLabel('Frame to copy')).toHaveValue(source.id)
  await expect(dialog.getByTestId('breakout-summary')).toHaveText('4 people → 3 groups of 1 or 2')
  await dialog.getByLabel('People per group').fill('2')
  await expect(dialog.getByTestId('breakout-summary')).toHaveText('4 people → 2 groups of 2')
  await dialog.getByLabel('Number of groups').fill('3')
  expect(await seriousViolations(fran)).toEqual([])
  const rae = await personInWorkshop(
    server.url,
    board.roomId,
    board.facilitatorSecret,
    personKey(),
    'person-rae00001',
  )
  await rae.act({
    type: 'breakout-start',
    source: spares[0],
    groups: [
      { frameId: spares[1], label: 'Group 1' },
      { frameId: mismatch.id, label: 'Group 2' },
    ],
    assign: 'random',
  })
  await dialog.getByRole('button', { name: 'Start 3 groups' }).click()
  await expect(fran.getByText('Breakouts did not start')).toBeVisible()
  await expect(fran.getByText('Breakouts are already running')).toBeVisible()
  expect(await groupFrames(fran)).toEqual([])
  await expect
    .poll(async () => (await serverShapes(server.url, board.roomId)).length)
    .toBe(shapesBefore)
  await rae.act({ type: 'breakout-end' })
  await fran.evaluate((ids) => {
    window.editor.deleteShapes(ids as TLShapeId[])
  }, spares)
  await expect(fran.getByTestId('breakout-start')).toBeVisible()

  // The start: three copies beside the source, each a locked background frame with the same
  // things in it, on nothing else, and everyone taken to their group's copy.
  await dialog.getByRole('button', { name: 'Start 3 groups' }).click()
  await expect(dialog).toBeHidden()
  await expect(fran.getByText('3 breakout groups started')).toBeVisible()
  const copies = await groupFrames(fran)
  expect(copies.map((c) => c.name)).toEqual(['Group 1', 'Group 2', 'Group 3'])
  const [sourceNow, mismatchNow] = await framesOn(fran)
  for (const copy of copies) {
    expect(copy).toMatchObject({ w: source.w, h: source.h, isLocked: true, background: true })
    expect(copy.inside).toEqual(sourceNow.inside)
    for (const other of [sourceNow, mismatchNow, ...copies.filter((c) => c !== copy)]) {
      expect(overlap(copy, other), `${copy.name} on ${other.name}`).toBe(false)
    }
  }
  const metas = await stickyMeta(fran)
  expect(metas).toHaveLength(4)
  expect(metas.filter((m) => m.meta.outcome || m.meta.stack)).toHaveLength(1)
  // The zones' rules and the prompts' lock came along (the server keeps them on the copies).
  const locked = await fran.evaluate(
    (ids) => {
      const editor = window.editor
      return ids.map(
        (id) =>
          [...editor.getShapeAndDescendantIds([id as TLShapeId])].filter(
            (child) => editor.getShape(child)!.isLocked,
          ).length,
      )
    },
    [source.id, ...copies.map((c) => c.id)],
  )
  expect(new Set(locked).size).toBe(1)

  await expect(ana.getByTestId('my-group')).toContainText(/Your group: [123] · /)
  const anaGroup = Number((await ana.getByTestId('my-group').textContent())!.match(/\d/)![0])
  await expect.poll(() => viewIsOn(ana, copies[anaGroup - 1].id)).toBe(true)
  await expect(ana.getByTestId('my-group')).toContainText('Ana')
  // The panel: every group, its members, and a move (Ana goes to the next group).
  await fran.getByTestId('breakouts-status').click()
  const panel = fran.getByTestId('breakouts-panel')
  await expect(panel.getByTestId('breakout-group')).toHaveCount(3)
  await expect(panel.locator('.members li')).toHaveCount(4)
  await fran.getByLabel('A line to every group').fill('Two minutes left')
  await fran.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(ana.getByTestId('breakout-message')).toContainText('Two minutes left')
  for (const page of [fran, ana]) expect(await seriousViolations(page)).toEqual([])
  const next = (anaGroup % 3) + 1
  await panel.getByLabel('Move Ana to').selectOption({ label: `Group ${next}` })
  await expect(ana.getByTestId('my-group')).toContainText(`Your group: ${next}`)
  await expect.poll(() => viewIsOn(ana, copies[next - 1].id)).toBe(true)
  await expect(panel.getByTestId('breakout-group').nth(next - 1)).toContainText('Ana')
  await panel.getByRole('button', { name: `Visit Group ${next}` }).click()
  await expect.poll(() => viewIsOn(fran, copies[next - 1].id)).toBe(true)

  // End: the copies side by side in one row (one undo step), everyone brought to see them.
  await panel.getByRole('button', { name: 'End breakouts' }).click()
  await expect(fran.getByText('Breakouts ended')).toBeVisible()
  await expect(panel).toBeHidden()
  await expect(ana.getByTestId('my-group')).toBeHidden()
  const row = await groupFrames(fran)
  expect(row.map((f) => f.y)).toEqual([source.y, source.y, source.y])
  for (let i = 1; i < row.length; i++) expect(row[i].x).toBeGreaterThan(row[i - 1].x + source.w)
  for (const f of row) {
    for (const other of [sourceNow, mismatchNow]) expect(overlap(f, other)).toBe(false)
  }
  await expect
    .poll(() =>
      ana.evaluate(
        (ids) => {
          const view = window.editor.getViewportPageBounds()
          return ids.every((id) =>
            view.contains(window.editor.getShapePageBounds(id as TLShapeId)!),
          )
        },
        row.map((f) => f.id),
      ),
    )
    .toBe(true)
  await fran.evaluate(() => {
    window.editor.undo()
  })
  await expect
    .poll(async () => (await groupFrames(fran)).map((f) => [f.x, f.y]))
    .toEqual(copies.map((c) => [c.x, c.y]))
  await fran.evaluate(() => {
    window.editor.redo()
  })
  await expect
    .poll(async () => (await groupFrames(fran)).map((f) => f.y))
    .toEqual(row.map((f) => f.y))

  // People pick: Ana picks the second group from the bar and is taken there.
  await fran.keyboard.press('Alt+Shift+X')
  await dialog.getByLabel('Frame to copy').selectOption({ label: 'Meant for X, used for Y' })
  await dialog.getByLabel('Number of groups').fill('2')
  await dialog.getByLabel('People pick a group').check()
  await dialog.getByRole('button', { name: 'Start 2 groups' }).click()
  await expect(ana.getByTestId('pick-group')).toHaveText('Pick a group')
  await ana.getByTestId('pick-group').click()
  expect(await seriousViolations(ana)).toEqual([])
  await ana.getByRole('button', { name: /Group 2/ }).click()
  await expect(ana.getByTestId('my-group')).toContainText('Your group: 2 · Ana')
  const picked = (await groupFrames(fran)).filter((f) => !row.some((r) => r.id === f.id))
  expect(picked.map((f) => f.name)).toEqual(['Group 1', 'Group 2'])
  await expect.poll(() => viewIsOn(ana, picked[1].id)).toBe(true)
  await fran.getByTestId('breakouts-button').click()
  await expect(panel.getByTestId('breakout-group').nth(1)).toContainText('Ana')
  await expect(panel.getByTestId('breakout-group').nth(0)).toContainText('Nobody yet')
  for (const member of [...raw, rae]) member.socket.close()
})

test('breakouts on a template: it is placed beside the board, and its frame copied per group', async ({
  people,
  server,
}) => {
  const board = await jobsBoard(server.url)
  const fran = await openBoard(people, 'Fran', board.facilitatorLink)
  const raw = await rawParticipants(server.url, board.roomId, board.participantKey, ['Ben', 'Chen'])
  const before = await framesOn(fran)
  await fran.keyboard.press('Alt+Shift+X')
  const dialog = fran.getByTestId('breakout-start')
  await dialog.getByLabel('Frame to copy').selectOption('template:retro')
  await dialog.getByRole('button', { name: 'Start 3 groups' }).click()
  await expect(dialog).toBeHidden()

  // The retro's frame is on the board now, beside what was there, with its steps on the agenda.
  const after = await framesOn(fran)
  const placed = after.filter(
    (f) => !before.some((b) => b.id === f.id) && !/^Group \d+$/.test(f.name),
  )
  expect(placed).toHaveLength(1)
  expect(before.some((b) => overlap(b, placed[0]))).toBe(false)
  const sections = await fran.evaluate(
    () =>
      (window.editor.getDocumentSettings().meta as { switchbackAgenda?: unknown[] })
        .switchbackAgenda?.length,
  )
  expect(sections).toBe(2)
  // Three copies of it, and the server's breakouts are on them, with the two people in groups.
  const copies = await groupFrames(fran)
  expect(copies.map((c) => [c.name, c.w, c.h])).toEqual(
    [1, 2, 3].map((g) => [`Group ${g}`, placed[0].w, placed[0].h]),
  )
  for (const member of raw) {
    await expect.poll(() => member.view()?.breakouts?.source).toBe(placed[0].id)
    expect(member.view()!.breakouts!.mine).not.toBeNull()
    member.socket.close()
  }
})
