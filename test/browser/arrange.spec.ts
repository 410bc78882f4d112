/**
 * Tidy, sort, stack duplicates and group by theme on a real board over the real server: one
 * four-framework-jobs board, a facilitator who arranges from the shortcuts and the context
 * menu, a participant who sees every change synced and whose own run leaves what is locked
 * or in a frozen frame where it was. Undo takes an operation back in one step.
 */
import type { Page } from '@playwright/test'
import { joinByLink, shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const TEXTS = [
  'Too many meetings',
  'too many meetings!',
  'Too  many Meetings.',
  'Meetings run over time',
  'Standup meetings too long',
  'No focus time',
  'Focus time gets interrupted',
  'Slack notifications everywhere',
  'Chat notifications distract',
  'Slow CI pipeline',
  'CI builds fail randomly',
  'Great team spirit',
  'Team lunches are fun',
  'Coffee machine broken',
]

interface Placed {
  id: string
  x: number
  y: number
  w: number
  h: number
  text: string
  stack: string | null
  parentId: string
}

/** Every sticky and text on the page as this browser has it, with page bounds. */
const placed = (page: Page, type: 'note' | 'text' = 'note') =>
  page.evaluate((type) => {
    const editor = window.editor
    return (
      editor
        .getCurrentPageShapes()
        // The template's own prompts and texts are background: not what is arranged.
        .filter(
          (s) =>
            s.type === type &&
            !(s.meta as { switchback?: { element?: string } }).switchback?.element,
        )
        .map((s) => {
          const b = editor.getShapePageBounds(s)!
          const meta = s.meta as { switchback?: { stack?: string } }
          return {
            id: s.id,
            x: Math.round(b.x),
            y: Math.round(b.y),
            w: Math.round(b.w),
            h: Math.round(b.h),
            text: editor.getShapeUtil(s).getText(s) ?? '',
            stack: meta.switchback?.stack ?? null,
            parentId: s.parentId,
          }
        })
    )
  }, type) as Promise<Placed[]>

const byId = (list: Placed[]) => new Map(list.map((p) => [p.id, p]))
const positions = (list: Placed[]) =>
  Object.fromEntries(list.map((p) => [p.id, [p.x, p.y]])) as Record<string, number[]>
const overlap = (a: Placed, b: Placed) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

const select = (page: Page, ids: string[]) =>
  page.evaluate((ids) => {
    window.editor.select(...(ids as never[]))
  }, ids)

/** A zone's page box on the board, found by its template element id. */
const elementBox = (page: Page, element: string) =>
  page.evaluate((element) => {
    const editor = window.editor
    const shape = editor
      .getCurrentPageShapes()
      .find(
        (s) => (s.meta as { switchback?: { element?: string } }).switchback?.element === element,
      )!
    const b = editor.getShapePageBounds(shape)!
    return { id: shape.id, x: b.x, y: b.y, w: b.w, h: b.h }
  }, element)

test('arranging a template board: stack, group, undo, tidy and sort, synced; a participant’s run leaves locked and frozen stickies alone', async ({
  people,
  server,
}) => {
  test.setTimeout(150_000)
  const alice = await people.join('Alice')
  await alice.goto(`${server.url}/new?template=four-framework-jobs`)
  await alice.waitForURL(/\/b\//)
  await waitForSync(alice)
  const bob = await joinByLink(people, 'Bob', await shareLink(alice, 'participant'))

  // Fourteen revealed stickies strewn over the "Meant for X, used for Y" zone, overlapping,
  // and one locked sticky among them.
  const zone = await elementBox(alice, 'meant-used')
  const ids = await alice.evaluate<string[], { texts: string[]; zone: { x: number; y: number } }>(
    ({ texts, zone }: { texts: string[]; zone: { x: number; y: number } }) => {
      const editor = window.editor
      const made = texts.map((text, i) => ({
        id: `shape:idea-${i}` as never,
        type: 'note' as const,
        x: zone.x + 60 + ((i * 137) % 800),
        y: zone.y + 80 + ((i * 89) % 420),
        meta: { switchback: { author: ['Ana', 'Ben', 'Cy'][i % 3] } },
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          },
        },
      }))
      editor.createShapes(made as never)
      editor.createShape({
        id: 'shape:locked' as never,
        type: 'note',
        x: zone.x + 900,
        y: zone.y + 500,
        isLocked: true,
      })
      return made.map((m) => m.id as string)
    },
    { texts: TEXTS, zone },
  )
  await expect.poll(async () => (await placed(bob)).length).toBe(TEXTS.length + 1)
  const locked = byId(await placed(alice)).get('shape:locked')!

  // Stack duplicates, by its shortcut: the three "too many meetings" in one stack, cascaded
  // on the top one (their centres on it, so the stack counts them), for Bob too.
  await select(alice, [...ids, 'shape:locked'])
  await alice.keyboard.press('Alt+Shift+U')
  await expect(alice.getByText('Stacked 3 stickies into 1 stack')).toBeVisible()
  await expect
    .poll(async () =>
      (await placed(bob))
        .filter((p) => p.stack !== null)
        .map((p) => p.id)
        .sort(),
    )
    .toEqual(['shape:idea-0', 'shape:idea-1', 'shape:idea-2'])
  {
    const stack = (await placed(bob)).filter((p) => p.stack !== null)
    expect(new Set(stack.map((p) => p.stack)).size).toBe(1)
    const top = stack.find((p) => p.id === 'shape:idea-2')!
    for (const p of stack) {
      const cx = p.x + p.w / 2
      const cy = p.y + p.h / 2
      expect(cx > top.x && cx < top.x + top.w && cy > top.y && cy < top.y + top.h).toBe(true)
    }
  }

  // Group by theme, from the context menu on a selected sticky.
  const beforeGroup = positions(await placed(alice))
  await alice.evaluate(() => {
    window.editor.zoomToSelection()
  })
  const first = byId(await placed(alice)).get('shape:idea-13')!
  const spot = await alice.evaluate((p) => window.editor.pageToScreen(p), {
    x: first.x + first.w / 2,
    y: first.y + first.h / 2,
  })
  await alice.mouse.click(spot.x, spot.y, { button: 'right' })
  await alice.getByRole('menuitem', { name: 'Sort and cluster' }).click()
  await alice.getByRole('menuitem', { name: 'Group by theme' }).click()
  await expect(alice.getByText(/Grouped 14 stickies into \d+ themes/)).toBeVisible()
  await expect(alice.getByText('1 locked sticky left in place')).toBeVisible()
  await expect
    .poll(async () => (await placed(bob, 'text')).map((t) => t.text))
    .toContain('Meetings')
  {
    const notes = byId(await placed(bob))
    const headers = await placed(bob, 'text')
    const meetings = headers.find((h) => h.text === 'Meetings')!
    // The meeting stickies sit in the Meetings column, under its header; the stack moved as one.
    for (const i of [0, 1, 2, 3, 4]) {
      const note = notes.get(`shape:idea-${i}`)!
      expect(note.x + note.w / 2).toBeGreaterThan(meetings.x - 60)
      expect(note.x + note.w / 2).toBeLessThan(meetings.x + meetings.w + 60)
      expect(note.y).toBeGreaterThan(meetings.y)
    }
    expect(headers.map((h) => h.text)).toContain('Other')
    // No two stickies overlap, but for the stack's cascade.
    const loose = [...notes.values()].filter((n) => n.stack === null)
    for (const [i, a] of loose.entries()) {
      for (const b of loose.slice(i + 1)) expect(overlap(a, b), `${a.id} ${b.id}`).toBe(false)
    }
    // The locked sticky stayed.
    expect(notes.get('shape:locked')).toMatchObject({ x: locked.x, y: locked.y })
  }

  // One undo takes the whole grouping back, for everyone.
  await alice.evaluate(() => {
    window.editor.undo()
  })
  await expect.poll(async () => positions(await placed(bob))).toEqual(beforeGroup)
  await expect
    .poll(async () => (await placed(bob, 'text')).map((t) => t.text))
    .not.toContain('Meetings')

  // Tidy by its shortcut: a grid from the zone's top-left, stepping around the template's
  // prompts, the stack and the locked sticky (rows go on below when the zone is full).
  await select(alice, ids.slice(3))
  await alice.keyboard.press('Alt+Shift+G')
  await expect(alice.getByText('Tidied 11 stickies')).toBeVisible()
  const prompts = await alice.evaluate(() =>
    window.editor
      .getCurrentPageShapes()
      .filter(
        (s) =>
          s.type === 'note' &&
          s.meta &&
          (s.meta as { switchback?: { element?: string } }).switchback?.element,
      )
      .map((s) => {
        const b = window.editor.getShapePageBounds(s)!
        return { x: b.x, y: b.y, w: b.w, h: b.h }
      }),
  )
  await expect
    .poll(async () => {
      const all = await placed(bob)
      const notes = all.filter((n) => ids.slice(3).includes(n.id))
      const stayed = [...all.filter((n) => !ids.slice(3).includes(n.id)), ...prompts] as Placed[]
      return (
        notes.every((n) => n.x >= zone.x && n.x + n.w <= zone.x + zone.w && n.y >= zone.y) &&
        notes.every((a, i) => notes.slice(i + 1).every((b) => !overlap(a, b))) &&
        notes.every((a) => stayed.every((b) => !overlap(a, b)))
      )
    })
    .toBe(true)

  // Sort by text from the context menu: the same stickies, in reading order by their text.
  await alice.evaluate(() => {
    window.editor.zoomToSelection()
  })
  const tidied = (await placed(alice)).filter((n) => ids.slice(3).includes(n.id))
  const target = tidied[0]
  const at = await alice.evaluate((p) => window.editor.pageToScreen(p), {
    x: target.x + target.w / 2,
    y: target.y + target.h / 2,
  })
  await alice.mouse.click(at.x, at.y, { button: 'right' })
  await alice.getByRole('menuitem', { name: 'Sort and cluster' }).click()
  await alice.getByRole('menuitem', { name: 'Sort by' }).click()
  await alice.getByRole('menuitem', { name: 'Text' }).click()
  await expect(alice.getByText('Sorted 11 stickies by text')).toBeVisible()
  const readingOrder = (list: Placed[]) =>
    list
      .filter((n) => ids.slice(3).includes(n.id))
      .sort((a, b) => a.y - b.y || a.x - b.x)
      .map((n) => n.text.toLowerCase())
  await expect
    .poll(async () => readingOrder(await placed(bob)))
    .toEqual(
      TEXTS.slice(3)
        .map((t) => t.toLowerCase())
        .sort((a, b) => a.localeCompare(b)),
    )

  // Bob's run: Alice freezes the jobs frame with two stickies on it; Bob selects those, the
  // locked one and three of his own, and tidies. Only his own move; he is told why.
  const jobs = await elementBox(alice, 'jobs')
  await alice.evaluate<void, { x: number; y: number }>((jobs) => {
    const editor = window.editor
    editor.createShapes([
      { id: 'shape:frozen-a' as never, type: 'note', x: jobs.x + 700, y: jobs.y + 300 },
      { id: 'shape:frozen-b' as never, type: 'note', x: jobs.x + 760, y: jobs.y + 340 },
    ])
  }, jobs)
  await expect.poll(async () => byId(await placed(bob)).has('shape:frozen-b')).toBe(true)
  await alice.evaluate<void, string>((id) => {
    const editor = window.editor
    const frame = editor.getShape(id as never)!
    const meta = frame.meta as { switchback?: object }
    const switchback = { ...meta.switchback, frozen: true }
    // The frame is locked template background: as the Freeze frame entry writes it.
    editor.run(
      () =>
        editor.updateShape({ id: frame.id, type: frame.type, meta: { ...frame.meta, switchback } }),
      { ignoreShapeLock: true },
    )
  }, jobs.id)
  await expect
    .poll(() =>
      bob.evaluate<boolean, string>((id) => {
        const meta = window.editor.getShape(id as never)!.meta as {
          switchback?: { frozen?: boolean }
        }
        return meta.switchback?.frozen === true
      }, jobs.id),
    )
    .toBe(true)
  await bob.evaluate<void, { x: number; y: number }>((zone) => {
    window.editor.createShapes(
      [0, 1, 2].map((i) => ({
        id: `shape:bob-${i}` as never,
        type: 'note' as const,
        x: zone.x + 500 + i * 30,
        y: zone.y + 500 + i * 20,
      })),
    )
  }, zone)
  const beforeBob = byId(await placed(bob))
  await select(bob, [
    'shape:frozen-a',
    'shape:frozen-b',
    'shape:locked',
    'shape:bob-0',
    'shape:bob-1',
    'shape:bob-2',
  ])
  await bob.keyboard.press('Alt+Shift+G')
  await expect(bob.getByText('Tidied 3 stickies')).toBeVisible()
  await expect(bob.getByText('1 locked sticky and 2 frozen stickies left in place')).toBeVisible()
  await expect
    .poll(async () => {
      const now = byId(await placed(alice))
      return ['shape:bob-0', 'shape:bob-1', 'shape:bob-2'].some(
        (id) => now.get(id)!.x !== beforeBob.get(id)!.x || now.get(id)!.y !== beforeBob.get(id)!.y,
      )
    })
    .toBe(true)
  const after = byId(await placed(alice))
  for (const id of ['shape:frozen-a', 'shape:frozen-b', 'shape:locked']) {
    expect(after.get(id)).toMatchObject({ x: beforeBob.get(id)!.x, y: beforeBob.get(id)!.y })
  }
  const bobs = ['shape:bob-0', 'shape:bob-1', 'shape:bob-2'].map((id) => after.get(id)!)
  for (const [i, a] of bobs.entries())
    for (const b of bobs.slice(i + 1)) expect(overlap(a, b)).toBe(false)
  for (const frozen of ['shape:frozen-a', 'shape:frozen-b'].map((id) => after.get(id)!)) {
    for (const b of bobs) expect(overlap(frozen, b)).toBe(false)
  }
})

test('a viewer gets no arranging: no menu entries, and the shortcuts do nothing', async ({
  people,
  server,
}) => {
  const alice = await people.join('Alice')
  await alice.goto(`${server.url}/new`)
  await alice.waitForURL(/\/b\//)
  await waitForSync(alice)
  await alice.evaluate(() => {
    window.editor.createShapes([
      { id: 'shape:v1' as never, type: 'note', x: 0, y: 0 },
      { id: 'shape:v2' as never, type: 'note', x: 50, y: 40 },
    ])
  })
  const vera = await joinByLink(people, 'Vera', await shareLink(alice, 'viewer'))
  await expect.poll(async () => (await placed(vera)).length).toBe(2)
  const before = positions(await placed(vera))
  await select(vera, ['shape:v1', 'shape:v2'])
  await vera.keyboard.press('Alt+Shift+G')
  await vera.keyboard.press('Alt+Shift+C')
  await vera.keyboard.press('F1')
  await expect(vera.getByRole('dialog')).toBeVisible()
  await expect(vera.getByRole('dialog')).not.toContainText('Tidy')
  await vera.keyboard.press('Escape')
  expect(positions(await placed(vera))).toEqual(before)
  expect(positions(await placed(alice))).toEqual(before)
  await expect(vera.getByText(/Tidied|Grouped/)).toHaveCount(0)
})
