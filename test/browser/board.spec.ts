import {
  createBoardAsFacilitator,
  drawWithMouse,
  expectShapeTypes,
  facilitatorAndParticipant,
  joinByLink,
  serverShapes,
  shapesOn,
  shareLink,
  waitForSync,
} from './board-helpers'
import { expect, test } from './fixtures'

test('a shape drawn with the mouse in one window appears in the other, both ways, and survives reload', async ({
  people,
  server,
}) => {
  const alice = await people.join('Alice')
  await createBoardAsFacilitator(alice, server.url)
  const participantLink = await shareLink(alice, 'participant')
  expect(participantLink).toMatch(/#k=/)

  const bob = await joinByLink(people, 'Bob', participantLink)
  await expect(bob.getByText('Participant', { exact: true })).toBeVisible()

  await drawWithMouse(alice, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })
  await expectShapeTypes(alice, ['geo'])
  await expectShapeTypes(bob, ['geo'])

  await drawWithMouse(bob, 'ellipse', { x: 600, y: 300 }, { x: 700, y: 420 })
  await expectShapeTypes(bob, ['geo', 'geo'])
  await expectShapeTypes(alice, ['geo', 'geo'])

  // Each sees the other in the presence list, by name.
  await expect(alice.getByTestId('presence')).toHaveAttribute('aria-label', /Bob/)
  await expect(bob.getByTestId('presence')).toHaveAttribute('aria-label', /Alice/)

  await bob.reload()
  await waitForSync(bob)
  await expectShapeTypes(bob, ['geo', 'geo'])
})

test('the facilitator renames the board; a participant cannot', async ({ people, server }) => {
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)

  await alice.getByTestId('board-title').click()
  await alice.getByRole('textbox', { name: 'Board title' }).fill('Q3 planning retro')
  await alice.keyboard.press('Enter')
  await expect(bob.getByTestId('board-title')).toHaveText('Q3 planning retro')

  // Bob has no rename control, and a rename pushed straight through the editor is refused.
  await expect(bob.getByTestId('board-title')).not.toHaveAttribute('title', 'Rename board')
  // Every title Bob's editor holds, in order: the rename first, then whatever the server's
  // answer to its push leaves. Only once that answer is in do we compare.
  await bob.evaluate(() => {
    const editor = window.editor
    const titles: string[] = []
    ;(window as unknown as { titles: string[] }).titles = titles
    editor.store.listen(() => titles.push(editor.getDocumentSettings().name), {
      scope: 'document',
    })
    editor.updateDocumentSettings({ name: 'Hijacked' })
  })
  await expect
    .poll(() => bob.evaluate(() => (window as unknown as { titles: string[] }).titles))
    .toEqual(['Hijacked', 'Q3 planning retro'])
  await expect(bob.getByTestId('board-title')).toHaveText('Q3 planning retro')
  await expect(alice.getByTestId('board-title')).toHaveText('Q3 planning retro')
  const board = await (await fetch(`${server.url}/parties/board/${roomId}`)).json()
  expect(board.store['document:document'].name).toBe('Q3 planning retro')
})

test('a viewer sees the board live but cannot change it', async ({ people, server }) => {
  const alice = await people.join('Alice')
  const roomId = await createBoardAsFacilitator(alice, server.url)
  const viewerLink = await shareLink(alice, 'viewer')
  expect(viewerLink).not.toMatch(/#/)
  await drawWithMouse(alice, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })

  const carol = await people.join('Carol')
  await carol.goto(viewerLink)
  await waitForSync(carol)
  await expect(carol.getByText('View only', { exact: true })).toBeVisible()
  await expectShapeTypes(carol, ['geo'])
  expect(await carol.evaluate(() => window.editor.getIsReadonly())).toBe(true)
  await expect(carol.getByTestId('tools.rectangle')).toHaveCount(0)

  // A modified client that writes anyway is refused by the server.
  const [shape] = await shapesOn(carol)
  await carol.evaluate((id) => {
    const editor = window.editor
    editor.updateInstanceState({ isReadonly: false })
    editor.deleteShapes([id as never])
    editor.createShape({ type: 'geo', x: 900, y: 100 })
  }, shape.id)
  // Compared by id, not counted: a server that kept the viewer's new shape in place of the
  // deleted one would have the same number of rectangles.
  await drawWithMouse(alice, 'rectangle', { x: 300, y: 450 }, { x: 400, y: 550 })
  await expect.poll(async () => (await shapesOn(alice)).length).toBe(2)
  const ids = (await shapesOn(alice)).map((s) => s.id).sort()
  expect(ids).toContain(shape.id)
  // Carol's view settles on Alice's only once her own push has been answered (refused).
  await expect.poll(async () => (await shapesOn(carol)).map((s) => s.id).sort()).toEqual(ids)
  expect((await serverShapes(server.url, roomId)).map((s) => s.id).sort()).toEqual(ids)

  // Adding a key to the viewer link by hand does not make it an edit link.
  await carol.goto(`${viewerLink}#k=${'A'.repeat(43)}`)
  await expect(carol.getByRole('alert')).toContainText('not valid for this board')
  await carol.getByRole('link', { name: 'Open it view-only' }).click()
  await waitForSync(carol)
  await expect(carol.getByText('View only', { exact: true })).toBeVisible()
})

test('a board that was never created says so and offers a new one', async ({ people, server }) => {
  const page = await people.join('Dana')
  await page.goto(`${server.url}/b/${'n'.repeat(22)}`)
  await expect(page.getByRole('alert')).toContainText('This board does not exist')
  await page.getByRole('link', { name: 'Create a new board' }).click()
  await waitForSync(page)
  await expect(page.getByText('Facilitator', { exact: true })).toBeVisible()
})

test('a malformed board link gets a clear message', async ({ people, server }) => {
  const page = await people.join('Dana')
  await page.goto(`${server.url}/b/short`)
  await expect(page.getByRole('alert')).toContainText('This board link is malformed')
})

test('first visit asks for a display name, which labels you for others', async ({
  people,
  server,
}) => {
  const alice = await people.join()
  await createBoardAsFacilitator(alice, server.url)
  const dialog = alice.getByRole('dialog')
  await expect(dialog).toContainText('What’s your name?')
  await dialog.getByRole('textbox', { name: 'Display name' }).fill('Ana the facilitator')
  await dialog.getByRole('button', { name: 'Join board' }).click()
  await expect(dialog).toBeHidden()

  const bob = await joinByLink(people, 'Bob', await shareLink(alice, 'participant'))
  await expect(bob.getByTestId('presence')).toHaveAttribute('aria-label', /Ana the facilitator/)

  // The name is remembered on the device, and can be changed from the list of who is here.
  await alice.reload()
  await waitForSync(alice)
  await expect(alice.getByRole('dialog')).toHaveCount(0)
  await alice.getByTestId('presence').click()
  await alice.getByRole('button', { name: 'You · change name' }).click()
  await alice.getByRole('textbox', { name: 'Display name' }).fill('Ana')
  await alice.getByRole('button', { name: 'Save' }).click()
  await expect(bob.getByTestId('presence')).toHaveAttribute('aria-label', /Ana(,|$)/)
})

test('the landing page lists boards opened on this device', async ({ people, server }) => {
  const alice = await people.join('Alice')
  await createBoardAsFacilitator(alice, server.url)
  await alice.getByTestId('board-title').click()
  await alice.getByRole('textbox', { name: 'Board title' }).fill('Team health check')
  await alice.keyboard.press('Enter')
  await expect(alice.getByTestId('board-title')).toHaveText('Team health check')
  await alice.goto(server.url)
  await expect(alice.getByRole('link', { name: /Team health check/ })).toBeVisible()
  await expect(alice.getByRole('link', { name: 'New board' })).toBeVisible()
})

test('tldraw’s fonts and icons come from our origin', async ({ people, server, offOrigin }) => {
  const page = await people.join('Alice')
  const fonts: string[] = []
  page.on('request', (r) => {
    if (/\.woff2?$/.test(new URL(r.url()).pathname)) fonts.push(r.url())
  })
  await createBoardAsFacilitator(page, server.url)
  await page.getByTestId('tools.text').click()
  await page.mouse.click(400, 300)
  await page.keyboard.type('Hello fonts')
  await page.keyboard.press('Escape')
  await expect.poll(() => fonts.length).toBeGreaterThan(0)
  for (const font of fonts) expect(new URL(font).origin).toBe(new URL(server.url).origin)
  expect(offOrigin).toEqual([])
})
