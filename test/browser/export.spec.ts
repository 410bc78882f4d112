/**
 * Export from the board's Export dialog and Snapshots panel, in a real browser against the real
 * server: the files are opened and checked (a PNG decoded, an SVG read, a deck unzipped, a PDF
 * opened), not just their names.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import JSZip from 'jszip'
import { PNG } from 'pngjs'
import { extractText, getDocumentProxy } from 'unpdf'
import { peoplePath } from '../../src/protocol'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { runVote } from '../support/raw-vote'
import { openTemplateBoard } from '../support/template-board'
import { serverShapes, waitForSync } from './board-helpers'
import { runExporter } from '../support/cli-export'
import { expect, test, type People } from './fixtures'
import { waitInPage } from '../support/page-wait'

const TEMPLATE = BUILT_IN_TEMPLATES.find((t) => t.id === 'enabling-constraints')!

/** The facilitator's board from a template; the participant link from the address bar. */
async function templateBoard(people: People, serverUrl: string) {
  const facilitator = await people.join('Fran')
  await openTemplateBoard(facilitator, serverUrl, TEMPLATE.id, TEMPLATE.elements.length)
  await waitForSync(facilitator)
  await expect(facilitator).toHaveURL(/#k=/)
  const link = facilitator.url()
  return { facilitator, link, roomId: new URL(link).pathname.split('/')[2] }
}

/**
 * Adds a sticky with this text over the middle of a template element (a zone, a frame), as
 * the page's person. Made by a script, it is a child of the page, not of the frame it is over.
 */
async function addSticky(page: Page, element: string, text: string, dx = 0) {
  await page.evaluate(
    ({ element, text, dx }) => {
      const editor = window.editor
      const shape = editor
        .getCurrentPageShapes()
        .find((s) => (s.meta.switchback as { element?: string } | undefined)?.element === element)!
      const bounds = editor.getShapePageBounds(shape)!
      editor.createShape({
        type: 'note',
        x: bounds.center.x - 100 + dx,
        y: bounds.center.y - 100,
        props: {
          richText: {
            type: 'doc',
            content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
          },
        },
      })
    },
    { element, text, dx },
  )
}

/** Opens the Export dialog, sets it up, and returns the downloaded file. */
async function exportFromDialog(page: Page, setUp: () => Promise<void>, button: string | RegExp) {
  await page.keyboard.press('Alt+Shift+E')
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog).toBeVisible()
  await setUp()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: button }).click(),
  ])
  const path = await download.path()
  return { name: download.suggestedFilename(), bytes: await readFile(path) }
}

test('images: PNG at the chosen scale and background, SVG with its fonts', async ({
  people,
  server,
}) => {
  const { facilitator: page } = await templateBoard(people, server.url)
  const dialog = page.getByTestId('export-dialog')
  await addSticky(page, 'sort', 'Over the frame')

  // The frame at 2x, edge to edge: exactly twice the template's 1920×1080 frame.
  await page.evaluate(() => {
    const editor = window.editor
    const frame = editor
      .getCurrentPageShapes()
      .find((s) => s.type === 'frame' && s.props.name === 'Drivers, constraints, floats')!
    editor.select(frame.id)
  })
  const framePng = await exportFromDialog(
    page,
    async () => {
      await dialog.getByRole('radio', { name: /^Frame/ }).check()
      await dialog.getByText('2x', { exact: true }).click()
    },
    'Download PNG',
  )
  expect(framePng.name).toBe('enabling-constraints-drivers-constraints-floats@2x.png')
  const frame = PNG.sync.read(framePng.bytes)
  expect([frame.width, frame.height]).toEqual([3840, 2160])
  // A light, opaque background: just inside the frame's border, its near-white fill.
  const inside = (20 * frame.width + 20) * 4
  const [r, g, b, a] = frame.data.subarray(inside, inside + 4)
  expect(a).toBe(255)
  expect(Math.min(r, g, b)).toBeGreaterThan(240)
  // The sticky over the frame is in the picture: its yellow is in the middle.
  const middle = (frame.height / 2) * frame.width * 4 + (frame.width / 2) * 4
  const [mr, mg, mb] = frame.data.subarray(middle, middle + 3)
  expect(mr - mb).toBeGreaterThan(60)
  expect(mg - mb).toBeGreaterThan(20)
  await expect(
    page.getByText(/Downloaded enabling-constraints-drivers-constraints-floats@2x\.png/),
  ).toBeVisible()

  // The whole board at 1x with no background, in dark mode: transparent corners, light ink.
  const darkPng = await exportFromDialog(
    page,
    async () => {
      await dialog.getByRole('radio', { name: /^Whole board/ }).check()
      await dialog.getByText('1x', { exact: true }).click()
      await dialog.getByText('None', { exact: true }).click()
      await dialog.getByLabel('Dark mode').check()
    },
    'Download PNG',
  )
  // Two 1920×1080 frames 160 apart, and 32 px of room all round.
  const dark = PNG.sync.read(darkPng.bytes)
  expect([dark.width, dark.height]).toEqual([4064, 1144])
  expect(dark.data[3]).toBe(0)

  // SVG: tldraw's exporter embeds the fonts it drew with, so the file renders anywhere.
  const svg = await exportFromDialog(
    page,
    async () => {
      await dialog.getByText('SVG', { exact: true }).click()
      await dialog.getByText('White', { exact: true }).click()
      await dialog.getByLabel('Dark mode').uncheck()
    },
    'Download SVG',
  )
  expect(svg.name).toBe('enabling-constraints.svg')
  const text = svg.bytes.toString('utf8')
  expect(text).toMatch(/^<svg/)
  expect(text).toContain('@font-face')
  expect(text).toMatch(/src:\s*url\("?data:font\/woff2;base64,/)
  expect(text).toContain('Drivers')

  // Nothing selected: the Selection choice is off, and says why.
  await page.evaluate(() => {
    window.editor.selectNone()
  })
  await page.keyboard.press('Alt+Shift+E')
  await expect(dialog.getByRole('radio', { name: 'Selection (0 shapes)' })).toBeDisabled()
  await page.keyboard.press('Escape')
})

test('command line: every format from a link, and a snapshot from the facilitator link', async ({
  people,
  server,
}) => {
  test.setTimeout(240_000)
  const { facilitator, link, roomId } = await templateBoard(people, server.url)
  await addSticky(facilitator, 'sort', 'Ship weekly')
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length)
    .toBe(TEMPLATE.elements.length + 1)
  const viewerLink = `${server.url}/b/${roomId}`
  const out = await mkdtemp(join(tmpdir(), 'switchback-export-'))
  try {
    const png = await runExporter([
      '--board',
      viewerLink,
      '--format',
      'png',
      '--out',
      join(out, 'b.png'),
      '--scale',
      '1',
    ])
    expect(png.stderr).toBe('')
    expect(png.code).toBe(0)
    const image = PNG.sync.read(await readFile(join(out, 'b.png')))
    expect([image.width, image.height]).toEqual([4064, 1144])

    const svg = await runExporter([
      '--board',
      viewerLink,
      '--format',
      'svg',
      '--out',
      join(out, 'b.svg'),
    ])
    expect(svg.code).toBe(0)
    expect(await readFile(join(out, 'b.svg'), 'utf8')).toContain('@font-face')

    const pptx = await runExporter([
      '--board',
      link,
      '--format',
      'pptx',
      '--out',
      join(out, 'b.pptx'),
    ])
    expect(pptx.code).toBe(0)
    const deck = await JSZip.loadAsync(await readFile(join(out, 'b.pptx')))
    const slides = Object.keys(deck.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f))
    // Title, two frames, and the stickies of the frame that has one.
    expect(slides).toHaveLength(4)

    const pdf = await runExporter([
      '--board',
      viewerLink,
      '--format',
      'pdf',
      '--out',
      join(out, 'b.pdf'),
    ])
    expect(pdf.code).toBe(0)
    const document = await getDocumentProxy(new Uint8Array(await readFile(join(out, 'b.pdf'))))
    expect(document.numPages).toBe(4)
    const { text } = await extractText(document, { mergePages: true })
    expect(text).toContain('Ship weekly')

    // A snapshot needs the facilitator's link; the view-only one gets a clear refusal.
    const refused = await runExporter(['--board', viewerLink, '--snapshot'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/facilitator/)
    const secret = await facilitator.evaluate(
      (id) => JSON.parse(localStorage.getItem('switchback:boards') ?? '{}')[id]?.f as string,
      roomId,
    )
    const snapshot = await runExporter([
      '--board',
      `${viewerLink}#f=${secret}`,
      '--snapshot',
      '--title',
      'After the workshop',
    ])
    expect(snapshot.stderr).toBe('')
    const url = snapshot.stdout.trim().split('\n').at(-1)!
    expect(url).toMatch(
      new RegExp(`^${server.url}/parties/board/${roomId}/snapshots/[\\w-]+\\.png$`),
    )
    const served = await fetch(url)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(PNG.sync.read(Buffer.from(await served.arrayBuffer())).width).toBe(4064)

    const bad = await runExporter(['--board', 'https://example.com/nope', '--format', 'gif'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/board link/)
    expect(bad.stderr).toMatch(/Usage/)
  } finally {
    await rm(out, { recursive: true, force: true })
  }
})

/** The facilitator link of a board this page created (its secret is in the page's storage). */
async function facilitatorLink(facilitator: Page, serverUrl: string, roomId: string) {
  const secret = await facilitator.evaluate(
    (id) => JSON.parse(localStorage.getItem('switchback:boards') ?? '{}')[id]?.f as string,
    roomId,
  )
  expect(secret).toBeTruthy()
  return `${serverUrl}/b/${roomId}#f=${secret}`
}

/** A PNG of the board from `npm run export` with these extra flags, decoded. */
async function exportPng(link: string, dir: string, name: string, flags: string[]) {
  const out = join(dir, `${name}.png`)
  const run = await runExporter(['--board', link, '--format', 'png', '--out', out, ...flags])
  expect(run.stderr, name).toBe('')
  expect(run.code, name).toBe(0)
  return PNG.sync.read(await readFile(out))
}

/** The RGBA of the pixel at (x, y). */
function pixel(png: PNG, x: number, y: number) {
  const at = (y * png.width + x) * 4
  return [...png.data.subarray(at, at + 4)]
}

test('command line: --scale, --transparent and --dark each change the PNG as they say', async ({
  people,
  server,
}) => {
  test.setTimeout(240_000)
  const { roomId } = await templateBoard(people, server.url)
  const viewerLink = `${server.url}/b/${roomId}`
  const out = await mkdtemp(join(tmpdir(), 'switchback-export-flags-'))
  try {
    // Each flag against the same baseline: 1x, white background, light mode.
    const plain = await exportPng(viewerLink, out, 'plain', ['--scale', '1'])
    const double = await exportPng(viewerLink, out, 'double', ['--scale', '2'])
    const clear = await exportPng(viewerLink, out, 'clear', ['--scale', '1', '--transparent'])
    const dark = await exportPng(viewerLink, out, 'dark', ['--scale', '1', '--dark'])

    expect([plain.width, plain.height]).toEqual([4064, 1144])
    expect([double.width, double.height]).toEqual([2 * plain.width, 2 * plain.height])
    for (const png of [clear, dark]) expect([png.width, png.height]).toEqual([4064, 1144])

    // The corner is the 32 px of room round the frames: background and nothing else.
    const [r, g, b, a] = pixel(plain, 0, 0)
    expect(a).toBe(255)
    expect(Math.min(r, g, b)).toBeGreaterThan(240)
    expect(pixel(clear, 0, 0)[3]).toBe(0)
    const [dr, dg, db, da] = pixel(dark, 0, 0)
    expect(da).toBe(255)
    expect(Math.max(dr, dg, db)).toBeLessThan(60)
  } finally {
    await rm(out, { recursive: true, force: true })
  }
})

test('command line: a headless export is not counted as a participant; a person is', async ({
  people,
  server,
}) => {
  test.setTimeout(240_000)
  const { facilitator, link, roomId } = await templateBoard(people, server.url)
  const count = async () => {
    const response = await fetch(`${server.url}${peoplePath(roomId)}`)
    expect(response.status).toBe(200)
    return (await response.json()).participants as number
  }
  // The facilitator took part.
  await expect.poll(count).toBe(1)
  const out = await mkdtemp(join(tmpdir(), 'switchback-export-people-'))
  try {
    // With both links that may edit (a viewer is never counted, so it proves nothing here).
    const withFacilitator = await facilitatorLink(facilitator, server.url, roomId)
    for (const [name, board] of [
      ['facilitator', withFacilitator],
      ['participant', link],
    ]) {
      await exportPng(board, out, name, ['--scale', '1'])
    }
    // The export has opened the board, been answered and left: a count it caused has landed.
    expect(await count()).toBe(1)
  } finally {
    await rm(out, { recursive: true, force: true })
  }

  // A real participant is counted, so the check above can fail.
  const participant = await people.join('Pat')
  await participant.goto(link)
  await waitForSync(participant)
  await expect.poll(count).toBe(2)
})

test('slides: a PowerPoint deck and a PDF from the Export dialog', async ({ people, server }) => {
  const { facilitator, link, roomId } = await templateBoard(people, server.url)
  const participant = await people.join('Pat')
  await participant.goto(link)
  await waitForSync(participant)
  await addSticky(participant, 'drivers', 'Faster onboarding', -220)
  await addSticky(participant, 'drivers', 'Fewer handoffs', 220)
  await addSticky(participant, 'limiting', 'Budget is fixed')
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length)
    .toBe(TEMPLATE.elements.length + 3)
  await waitInPage(
    facilitator,
    (n: number) => window.editor.getCurrentPageShapeIds().size === n,
    TEMPLATE.elements.length + 3,
  )
  // A real dot vote on the participant's stickies (voters on raw sockets, without a person id,
  // so the deck's "people took part" still counts the two people on the board).
  const stickyIds = await participant.evaluate(() =>
    window.editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note' && !s.isLocked && !s.meta.switchback)
      .map((s): string => s.id),
  )
  expect(stickyIds).toHaveLength(3)
  const facilitatorSecret = await facilitator.evaluate(
    (id) => JSON.parse(localStorage.getItem('switchback:boards') ?? '{}')[id]?.f as string,
    roomId,
  )
  const participantKey = new URL(link).hash.match(/k=([\w-]+)/)![1]
  const texts: string[] = await participant.evaluate((ids: string[]) => {
    const editor = window.editor
    return ids.map((id) => editor.getShapeUtil('note').getText(editor.getShape(id as never)!) ?? '')
  }, stickyIds)
  const budget = stickyIds[texts.indexOf('Budget is fixed')]
  await runVote(
    server.url,
    roomId,
    { facilitatorSecret, participantKey },
    {
      title: 'What matters most?',
      stickyIds,
      ballots: [
        { name: 'Ana', dots: [budget, budget] },
        { name: 'Ben', dots: [budget, stickyIds[texts.indexOf('Fewer handoffs')]] },
      ],
    },
  )
  await expect(facilitator.getByTestId('vote-results')).toBeVisible()

  const pptx = await exportFromDialog(facilitator, async () => {}, /PowerPoint/)
  expect(pptx.name).toBe('enabling-constraints.pptx')
  await expect(facilitator.getByText('Downloaded enabling-constraints.pptx')).toBeVisible()
  const deck = await JSZip.loadAsync(pptx.bytes)
  const slideXml = async (n: number) => deck.file(`ppt/slides/slide${n}.xml`)!.async('string')
  const slideCount = Object.keys(deck.files).filter((f) =>
    /^ppt\/slides\/slide\d+\.xml$/.test(f),
  ).length
  // Title; the first frame and its stickies; the second frame, which has none; the vote.
  expect(slideCount).toBe(5)
  expect(await slideXml(1)).toContain('Enabling constraints')
  expect(await slideXml(1)).toMatch(/2 people took part/)
  expect(await slideXml(2)).toContain('Drivers, constraints, floats')
  const stickies = await slideXml(3)
  for (const text of ['Faster onboarding', 'Fewer handoffs', 'Budget is fixed', 'D · Drivers']) {
    expect(stickies).toContain(text)
  }
  // The template's grey prompt stickies are its questions, not the group's answers.
  expect(stickies).not.toContain('What are we optimizing for?')
  expect(await slideXml(4)).toContain('Experiment')
  const vote = await slideXml(5)
  for (const text of ['Vote: What matters most?', 'Budget is fixed', '3 votes', 'Fewer handoffs']) {
    expect(vote).toContain(text)
  }
  expect(vote.indexOf('Budget is fixed')).toBeLessThan(vote.indexOf('Fewer handoffs'))
  const notes = await Promise.all(
    Object.keys(deck.files)
      .filter((f) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(f))
      .map((f) => deck.file(f)!.async('string')),
  )
  const allNotes = notes.join('\n')
  expect(allNotes).toContain('List what this initiative optimizes for')
  expect(allNotes).toContain('Fill in the hypothesis, time box')

  const pdf = await exportFromDialog(facilitator, async () => {}, 'PDF')
  expect(pdf.name).toBe('enabling-constraints.pdf')
  const document = await getDocumentProxy(new Uint8Array(pdf.bytes))
  expect(document.numPages).toBe(5)
  const page = await document.getPage(2)
  const [, , width, height] = page.view
  expect(width / height).toBeCloseTo(16 / 9, 2)
  const { text } = await extractText(document, { mergePages: true })
  expect(text).toContain('Faster onboarding')
  expect(text).toContain('Drivers, constraints, floats')
  expect(text).toContain('Vote: What matters most?')
})

test('snapshots: taken from the panel, served at a stable link, restored for everyone', async ({
  people,
  server,
}) => {
  const { facilitator, link, roomId } = await templateBoard(people, server.url)
  const participant = await people.join('Pat')
  await participant.goto(link)
  await waitForSync(participant)
  await addSticky(participant, 'drivers', 'Before the snapshot')
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length)
    .toBe(TEMPLATE.elements.length + 1)
  // The snapshot is of the board as the facilitator's browser has it.
  await waitInPage(
    facilitator,
    (n: number) => window.editor.getCurrentPageShapeIds().size === n,
    TEMPLATE.elements.length + 1,
  )

  await facilitator.keyboard.press('Alt+Shift+P')
  const panel = facilitator.getByTestId('snapshots')
  await panel.getByRole('button', { name: 'Take a snapshot' }).click()
  const item = panel.getByTestId('snapshot')
  await expect(item).toHaveCount(1)
  await expect(facilitator.getByText(/Snapshot taken/)).toBeVisible()
  // The thumbnail is the served image itself.
  await expect
    .poll(() => item.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBe(4064)

  await item.getByRole('button', { name: /Copy the image link/ }).click()
  // The click starts the copy; the clipboard has the link once it is done.
  const clipboard = () => facilitator.evaluate(() => navigator.clipboard.readText())
  await expect
    .poll(clipboard)
    .toMatch(new RegExp(`/parties/board/${roomId}/snapshots/[\\w-]+\\.png$`))
  const url = await clipboard()
  const served = await fetch(url)
  expect(served.status).toBe(200)
  expect(served.headers.get('content-type')).toBe('image/png')
  expect(served.headers.get('cache-control')).toMatch(/immutable/)

  // Participants see the snapshots but cannot take, delete or restore one.
  await participant.keyboard.press('Alt+Shift+P')
  const theirPanel = participant.getByTestId('snapshots')
  await expect(theirPanel.getByTestId('snapshot')).toHaveCount(1)
  await expect(theirPanel.getByRole('button', { name: 'Take a snapshot' })).toHaveCount(0)
  await expect(theirPanel.getByRole('button', { name: /Restore/ })).toHaveCount(0)

  await addSticky(participant, 'limiting', 'After the snapshot')
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length)
    .toBe(TEMPLATE.elements.length + 2)

  // Restore, confirmed: the later sticky is gone for everyone, and what was there is kept.
  await item.getByRole('button', { name: /Restore the board/ }).click()
  const confirm = facilitator.getByTestId('restore-confirm')
  await expect(confirm).toContainText('The server keeps the board as it is now as a snapshot first')
  await confirm.getByRole('button', { name: 'Restore' }).click()
  await expect(facilitator.getByText(/The board is back to/)).toBeVisible()
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length)
    .toBe(TEMPLATE.elements.length + 1)
  const stickyTexts = (page: Page) =>
    page.evaluate(() =>
      window.editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'note' && !s.isLocked)
        .map((s) => JSON.stringify((s.props as { richText: unknown }).richText)),
    )
  await expect
    .poll(() => stickyTexts(participant))
    .toEqual([expect.stringContaining('Before the snapshot')])
  await expect(item).toHaveCount(2)
  await expect(panel.getByText(/^Before restoring/)).toBeVisible()
  await expect(
    facilitator.getByText(/The board from before is kept as “Before restoring/),
  ).toBeVisible()
  // The server kept it without a picture: a placeholder, and nothing to copy or download.
  const safetyCopy = item.filter({ hasText: 'Before restoring' })
  await expect(safetyCopy.getByTestId('no-picture')).toHaveText(
    'Kept by the server before a restore: no picture',
  )
  await expect(safetyCopy.locator('img')).toHaveCount(0)
  await expect(safetyCopy.getByRole('button', { name: /Download/ })).toBeDisabled()
  await expect(safetyCopy.getByRole('button', { name: /Copy the image link/ })).toBeDisabled()
  await panel.screenshot({ path: test.info().outputPath('snapshots-panel-safety-copy.png') })

  // Delete the safety copy; the list and the server agree.
  await item
    .filter({ hasText: 'Before restoring' })
    .getByRole('button', { name: /Delete/ })
    .click()
  await expect(item).toHaveCount(1)
  const listed = (await (
    await fetch(`${server.url}/parties/board/${roomId}/snapshots`)
  ).json()) as {
    snapshots: unknown[]
  }
  expect(listed.snapshots).toHaveLength(1)

  // Everything deleted by mistake: restoring onto the empty board brings it all back.
  await facilitator.evaluate(() => {
    const editor = window.editor
    editor.run(() => editor.deleteShapes([...editor.getCurrentPageShapeIds()]), {
      ignoreShapeLock: true,
    })
  })
  await expect.poll(async () => (await serverShapes(server.url, roomId)).length).toBe(0)
  await item.getByRole('button', { name: /Restore the board/ }).click()
  await confirm.getByRole('button', { name: 'Restore' }).click()
  await expect
    .poll(async () => (await serverShapes(server.url, roomId)).length)
    .toBe(TEMPLATE.elements.length + 1)
  await expect(item).toHaveCount(1)

  // With "take one at each step" on, moving on in the agenda keeps the finished step.
  await panel.getByLabel(/next agenda step/).check()
  await facilitator.keyboard.press('Alt+Shift+A')
  const agenda = facilitator.getByTestId('agenda')
  await agenda.getByRole('button', { name: /Drivers/ }).click()
  await agenda.getByRole('button', { name: /Constraints/ }).click()
  await expect(facilitator.getByText('Snapshot taken: After: Drivers')).toBeVisible()
})
