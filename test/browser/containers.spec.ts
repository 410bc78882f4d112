/**
 * Containers with children, as a participant works with them: duplicating (Ctrl+D), copying
 * and pasting a frame or a group of stickies, grouping and ungrouping. tldraw sends such a
 * change as one push listing the children before their new parent; the server judges the push
 * as a whole (src/server/room/push-board.ts), so the copies arrive with their stickies, for the
 * facilitator's browser and in the backup, and nothing snaps back on the participant's screen.
 * Then the same judgement through a raw socket: what must still be refused is.
 */
import type { Page } from '@playwright/test'
import { RECORD_RULES } from '../../src/protocol'
import { arrow, arrowBinding, group, note } from '../support/raw-records'
import { boardSocketPath, rawWriter, storedBoard } from '../support/raw-socket'
import { facilitatorAndParticipant } from './board-helpers'
import { expect, test } from './fixtures'

type Stored = { id: string; typeName: string; type?: string; parentId?: string }

/** "frame:2", "group:2"…: each container and how many shapes it holds, sorted. */
const summary = (shapes: { id: string; type?: string; parentId?: string }[]) =>
  shapes
    .filter((s) => s.type === 'frame' || s.type === 'group')
    .map((c) => `${c.type}:${shapes.filter((s) => s.parentId === c.id).length}`)
    .sort()

/** The containers as a browser has them. */
const onScreen = async (page: Page) =>
  summary(
    await page.evaluate(() =>
      window.editor
        .getCurrentPageShapes()
        .map((s) => ({ id: s.id as string, type: s.type, parentId: s.parentId as string })),
    ),
  )

/** The containers in the board's backup. */
const inBackup = async (serverUrl: string, roomId: string) =>
  summary(
    Object.values(await storedBoard<Stored>(serverUrl, roomId)).filter(
      (r) => r.typeName === 'shape',
    ),
  )

/** Selects shapes in the participant's editor and gives the canvas the keyboard. */
const select = (page: Page, ids: string[]) =>
  page.evaluate((shapeIds) => {
    window.editor.select(...(shapeIds as never[]))
    window.editor.focus()
  }, ids)

test('a participant duplicates, pastes, groups and ungroups containers holding stickies: the stickies arrive for everyone and in the backup', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)
  // Bob's own frame holding two stickies, a group of two, and two loose stickies.
  await bob.evaluate(() => {
    const editor = window.editor
    editor.createShape({
      id: 'shape:frame' as never,
      type: 'frame',
      x: 0,
      y: 0,
      props: { w: 600, h: 400 },
    })
    editor.createShapes([
      { id: 'shape:f1' as never, type: 'note', parentId: 'shape:frame' as never, x: 40, y: 40 },
      { id: 'shape:f2' as never, type: 'note', parentId: 'shape:frame' as never, x: 320, y: 40 },
      { id: 'shape:g1' as never, type: 'note', x: 0, y: 700 },
      { id: 'shape:g2' as never, type: 'note', x: 260, y: 700 },
      { id: 'shape:l1' as never, type: 'note', x: 0, y: 1100 },
      { id: 'shape:l2' as never, type: 'note', x: 260, y: 1100 },
    ])
    editor.groupShapes(['shape:g1' as never, 'shape:g2' as never], {
      groupId: 'shape:group' as never,
    })
    editor.zoomToFit()
  })
  const start = ['frame:2', 'group:2']
  await expect.poll(() => inBackup(server.url, roomId)).toEqual(start)

  // Ctrl+D on the frame, then on the group: each copy comes with its two stickies.
  await select(bob, ['shape:frame'])
  await bob.keyboard.press('Control+d')
  await select(bob, ['shape:group'])
  await bob.keyboard.press('Control+d')
  const duplicated = ['frame:2', 'frame:2', 'group:2', 'group:2']
  await expect.poll(() => inBackup(server.url, roomId)).toEqual(duplicated)
  await expect.poll(() => onScreen(alice)).toEqual(duplicated)

  // Copy and paste the frame: a third frame, with its stickies. Headless Chromium does not fire
  // the clipboard events tldraw listens to on a key press, so this takes tldraw's own two steps
  // of a copy and a paste (its clipboard handlers call the same).
  await bob.evaluate(() => {
    const editor = window.editor
    const content = editor.getContentFromCurrentPage(['shape:frame' as never])!
    editor.putContentOntoCurrentPage(content, { point: { x: 300, y: 2400 }, select: true })
  })
  const pasted = ['frame:2', 'frame:2', 'frame:2', 'group:2', 'group:2']
  await expect.poll(() => inBackup(server.url, roomId)).toEqual(pasted)
  await expect.poll(() => onScreen(alice)).toEqual(pasted)

  // Group the two loose stickies (Ctrl+G), then ungroup them (Ctrl+Shift+G).
  await select(bob, ['shape:l1', 'shape:l2'])
  await bob.keyboard.press('Control+g')
  const grouped = [...pasted, 'group:2'].sort()
  await expect.poll(() => inBackup(server.url, roomId)).toEqual(grouped)
  await expect.poll(() => onScreen(alice)).toEqual(grouped)
  await bob.keyboard.press('Control+Shift+g')
  await expect.poll(() => inBackup(server.url, roomId)).toEqual(pasted)
  await expect.poll(() => onScreen(alice)).toEqual(pasted)
  const loose = await storedBoard<Stored>(server.url, roomId)
  expect([loose['shape:l1']?.parentId, loose['shape:l2']?.parentId]).toEqual([
    'page:page',
    'page:page',
  ])

  // Nothing snapped back on Bob's screen: he has what everyone has.
  expect(await onScreen(bob)).toEqual(pasted)
  await alice.evaluate(() => {
    window.editor.zoomToFit()
  })
  await alice.screenshot({ path: 'test-results/containers-facilitator.png' })
})

test('through a raw socket, a push is judged as a whole: parents and arrow ends made in it count, in any order; loops, depth, orphans and dangling bindings are refused', async ({
  server,
}) => {
  const roomId = `c${Math.random().toString(36).slice(2).padEnd(12, '0')}${Date.now()}`.slice(0, 22)
  const created = await fetch(`${server.url}/parties/board/${roomId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({}),
  })
  expect(created.status).toBe(201)
  const { participantKey } = (await created.json()) as Record<string, string>
  const { socket, push } = await rawWriter(
    server.url,
    await boardSocketPath(server.url, roomId, participantKey),
  )
  const put = (record: { id: string }) => ({ [record.id]: ['put', record] })
  // As tldraw sends a duplicate and a paste: the children, and the binding, before their
  // parent and their ends.
  expect(
    await push({
      ...put(note('shape:c1', 20, 20, 'shape:g')),
      ...put(note('shape:c2', 260, 20, 'shape:g')),
      ...put(group('shape:g', 100, 100)),
      ...put(arrowBinding('binding:b', 'shape:a', 'shape:c1')),
      ...put(arrow('shape:a', 0, 600)),
    }),
  ).toBe('commit')
  const before = await storedBoard<Stored>(server.url, roomId)
  expect(before['shape:c1']).toMatchObject({ parentId: 'shape:g' })
  expect(before['binding:b']).toBeTruthy()

  const chain = (n: number) =>
    Object.assign(
      {},
      ...Array.from({ length: n }, (_, i) =>
        put(group(`shape:d${i}`, 0, 0, i === 0 ? 'page:page' : `shape:d${i - 1}`)),
      ),
    ) as Record<string, unknown[]>
  const attacks: [string, Record<string, unknown[]>][] = [
    [
      'two new groups, each the other’s parent',
      { ...put(group('shape:x', 0, 0, 'shape:y')), ...put(group('shape:y', 0, 0, 'shape:x')) },
    ],
    ['a chain of groups past the depth cap', chain(RECORD_RULES.maxShapeDepth + 1)],
    [
      'a sticky into a group the same push deletes',
      { ...put(note('shape:lost', 0, 0, 'shape:g')), 'shape:g': ['remove'] },
    ],
    ['delete the group, leaving its stickies', { 'shape:g': ['remove'] }],
    [
      'delete the group and its stickies, leaving the arrow bound to one',
      { 'shape:g': ['remove'], 'shape:c1': ['remove'], 'shape:c2': ['remove'] },
    ],
  ]
  for (const [attack, diff] of attacks) {
    expect.soft(await push(diff), attack).toBe('discard')
  }
  expect(await storedBoard<Stored>(server.url, roomId)).toEqual(before)
  // With the binding, as tldraw deletes a group, it goes whole.
  expect(
    await push({
      'shape:g': ['remove'],
      'shape:c1': ['remove'],
      'shape:c2': ['remove'],
      'binding:b': ['remove'],
    }),
  ).toBe('commit')
  const after = await storedBoard<Stored>(server.url, roomId)
  expect(['shape:g', 'shape:c1', 'binding:b'].map((id) => after[id])).toEqual([
    undefined,
    undefined,
    undefined,
  ])
  socket.close()
})
