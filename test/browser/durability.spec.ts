/**
 * What happens when the server dies: these tests kill it with SIGKILL (no shutdown code
 * runs) and start it again on the same port and data folder.
 */
import {
  createBoardAsFacilitator,
  drawWithMouse,
  expectShapeTypes,
  facilitatorAndParticipant,
  serverShapes,
  waitForSync,
} from './board-helpers'
import { expect, test } from './fixtures'
import { boardSocketPath, openRawSocket, pushNewShape } from '../support/raw-socket'
import { waitInPage } from '../support/page-wait'

test.afterEach(async ({ server }) => server.ensureRunning())

test('kill -9 after an edit was acknowledged loses nothing; clients reconnect and re-send', async ({
  people,
  server,
}) => {
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)

  await drawWithMouse(alice, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })
  // Bob receives it only after the server has stored it: that is the acknowledgement.
  await expectShapeTypes(bob, ['geo'])
  await server.crash()

  await expect(alice.getByTestId('connection')).toContainText('Reconnecting')
  await drawWithMouse(alice, 'ellipse', { x: 600, y: 300 }, { x: 700, y: 420 })
  await expect(alice.getByTestId('connection')).toContainText('1 edit waiting')

  await server.restart()
  await expect(alice.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  await expect(bob.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  await expectShapeTypes(bob, ['geo', 'geo'])
  await expect.poll(async () => (await serverShapes(server.url, roomId)).length).toBe(2)

  const carol = await people.join('Carol')
  await carol.goto(`${server.url}/b/${roomId}`)
  await waitForSync(carol)
  await expectShapeTypes(carol, ['geo', 'geo'])
})

test('a 4,000-shape board saves, survives a crash and loads again', async ({ people, server }) => {
  test.setTimeout(180_000)
  const alice = await people.join('Alice')
  const roomId = await createBoardAsFacilitator(alice, server.url)
  await alice.evaluate(() => {
    const shapes = Array.from({ length: 4000 }, (_, i) => ({
      type: 'note' as const,
      x: (i % 80) * 220,
      y: Math.floor(i / 80) * 220,
      props: {
        richText: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [{ type: 'text', text: `Idea ${i}: ${'lorem ipsum '.repeat(3)}` }],
            },
          ],
        },
      },
    }))
    window.editor.createShapes(shapes as never)
  })
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length, { timeout: 60_000 })
    .toBe(4000)

  await server.crash()
  await server.restart()
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length, { timeout: 30_000 })
    .toBe(4000)

  await alice.reload()
  await waitForSync(alice)
  await expect
    .poll(() => alice.evaluate(() => window.editor.getCurrentPageShapeIds().size), {
      timeout: 30_000,
    })
    .toBe(4000)
})

test('an edit is on disk before the server acknowledges it', async ({ server }) => {
  // Kill the server the moment the acknowledgement arrives, several times over.
  for (let round = 0; round < 5; round++) {
    const roomId = `ack${round}${Date.now()}`.padEnd(22, '0')
    const created = await fetch(`${server.url}/parties/board/${roomId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    })
    const { participantKey } = await created.json()
    const socket = await openRawSocket(
      server.url,
      await boardSocketPath(server.url, roomId, participantKey),
    )
    await socket.handshake()
    socket.send(pushNewShape(`shape:round${round}`))
    expect(await socket.next('push_result')).toMatchObject({ action: 'commit' })
    await server.crash()
    await server.restart()
    expect((await serverShapes(server.url, roomId)).map((s) => (s as { id?: string }).id)).toEqual([
      `shape:round${round}`,
    ])
  }
})

test('offline, edits wait and are counted; back online, they are sent', async ({
  people,
  server,
}) => {
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)

  await alice.context().setOffline(true)
  await expect(alice.getByTestId('connection')).toContainText('Offline')
  await drawWithMouse(alice, 'rectangle', { x: 300, y: 250 }, { x: 450, y: 350 })
  await expect(alice.getByTestId('connection')).toHaveText(/Offline · 1 edit waiting/)
  await expectShapeTypes(bob, [])

  await alice.context().setOffline(false)
  await expect(alice.getByTestId('connection')).toHaveText(/Saved/, { timeout: 30_000 })
  await expectShapeTypes(bob, ['geo'])
  expect((await serverShapes(server.url, roomId)).length).toBe(1)
})

test('a pasted image, bigger than one storage value, survives a crash', async ({
  people,
  server,
}) => {
  const { alice, bob, roomId } = await facilitatorAndParticipant(people, server.url)
  // Noise does not compress: a 500×500 PNG is about 1 MB, eight times a storage value.
  const png = await alice.evaluate(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 500
    const context = canvas.getContext('2d')!
    const pixels = context.createImageData(500, 500)
    for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (Math.random() * 256) | 0
    context.putImageData(pixels, 0, 0)
    const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b!), 'image/png'))
    const file = new File([blob], 'noise.png', { type: 'image/png' })
    await window.editor.putExternalContent({ type: 'files', files: [file] })
    return blob.size
  })
  expect(png).toBeGreaterThan(4 * 128 * 1024)
  await expectShapeTypes(bob, ['image'])
  // tldraw creates the asset first and fills in its data when the file is read: wait until Bob
  // has the data, which the server broadcasts only once it is on disk.
  await waitInPage(
    bob,
    (bytes: number) =>
      window.editor.getAssets().some((a) => 'src' in a.props && (a.props.src ?? '').length > bytes),
    (png * 4) / 3,
  )

  await server.crash()
  await server.restart()
  const stored = await (await fetch(`${server.url}/parties/board/${roomId}`)).json()
  const assets = Object.values(
    stored.store as Record<string, { typeName: string; props: { src: string } }>,
  ).filter((r) => r.typeName === 'asset')
  expect(assets).toHaveLength(1)
  expect(assets[0].props.src.length).toBeGreaterThan((png * 4) / 3)

  const carol = await people.join('Carol')
  await carol.goto(`${server.url}/b/${roomId}`)
  await waitForSync(carol)
  await expectShapeTypes(carol, ['image'])
  await expect(carol.locator('.tl-image')).toBeVisible()
})
