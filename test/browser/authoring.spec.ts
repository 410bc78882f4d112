/**
 * Facilitators preparing templates: saving a board as a template file, and publishing it to a
 * team library that teammates start boards from, through the UI against the real server.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { parseTemplateText } from '../../src/protocol/template-format'
import { openTemplateBoard } from '../support/template-board'
import { drawWithMouse, facilitatorAndParticipant, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'
import { waitInPage } from '../support/page-wait'

const retro = BUILT_IN_TEMPLATES.find((t) => t.id === 'retro')!

async function openSaveDialog(page: Page) {
  await page.getByTestId('templates-menu').click()
  await page.getByRole('menuitem', { name: /Save as template/ }).click()
  return page.getByTestId('save-template')
}

test('save as template: the board becomes a valid file with its steps, that opens again', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran')
  await openTemplateBoard(fran, server.url, 'retro', retro.elements.length)
  await waitForSync(fran)

  const dialog = await openSaveDialog(fran)
  await expect(dialog.getByLabel('Title', { exact: true })).toHaveValue('Retrospective')
  // A summary is required: the schema says so, and the dialog shows where.
  await expect(dialog.getByTestId('save-template-problems')).toContainText('summary')
  await dialog.getByLabel('Title', { exact: true }).fill('Team retro, our way')
  await dialog.getByLabel('Summary', { exact: true }).fill('Our retro with a fourth column.')
  await expect(dialog.getByLabel('Step 4 title')).toHaveValue('Actions')
  const [download] = await Promise.all([
    fran.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download .json' }).click(),
  ])
  expect(download.suggestedFilename()).toBe('team-retro-our-way.json')
  const saved = parseTemplateText(await readFile(await download.path(), 'utf8'))
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems))
  expect(saved.template.elements).toHaveLength(retro.elements.length)
  expect(saved.template.steps.map((s) => s.focus)).toEqual(retro.steps.map((s) => s.focus))
  expect(saved.template.elements.filter((e) => e.background)).toHaveLength(retro.elements.length)
  // What it produces is kept too: the Actions zone's outcome and the report sections.
  expect(saved.template.elements.find((e) => e.id === 'actions')).toMatchObject({
    outcome: 'action',
    capacity: 3,
  })
  expect(saved.template.report).toEqual(retro.report)

  // Opened on another board, it is placed and its steps join the agenda.
  const before = await fran.evaluate(() => window.editor.getCurrentPageShapeIds().size)
  await fran.getByTestId('template-file-input').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/json',
    buffer: await readFile(await download.path()),
  })
  await expect
    .poll(() => fran.evaluate(() => window.editor.getCurrentPageShapeIds().size))
    .toBe(before + retro.elements.length)
  await expect(fran.getByTestId('agenda')).toContainText('Team retro, our way')
  // The placed copy's report sections point at its own zones, and its Actions zone declares
  // actions, as the original's do.
  const placed = await fran.evaluate(() => {
    const editor = window.editor
    const meta = editor.getDocumentSettings().meta as {
      switchbackAgenda?: { title: string; report?: { title: string; zones: string[] }[] }[]
    }
    const section = meta.switchbackAgenda!.find((s) => s.title === 'Team retro, our way')!
    return section.report!.map((r) => ({
      title: r.title,
      zones: r.zones.map((id) => {
        const shape = editor.getShape(id as never)!
        return (shape.meta as { switchback: { element: string } }).switchback.element
      }),
    }))
  })
  expect(placed).toEqual(retro.report!.sections.map((s) => ({ title: s.title, zones: s.zones })))
})

test('team library: create it, publish a board as a template, and start a new board from it', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran')
  await fran.goto(server.url)
  const library = fran.getByTestId('team-library')
  await library.getByLabel('Library name').fill('Platform team')
  await library.getByRole('button', { name: 'Create team library' }).click()
  await expect(library).toContainText('Nothing published yet')

  await openTemplateBoard(fran, server.url, 'retro', retro.elements.length)
  await waitForSync(fran)
  const dialog = await openSaveDialog(fran)
  await dialog.getByLabel('Summary', { exact: true }).fill('The retro we run every other Friday.')
  await dialog.getByRole('button', { name: 'Publish to Platform team' }).click()
  await expect(fran.getByText('Published “Retrospective” to Platform team.')).toBeVisible()

  // A teammate with the read link sees it in their gallery, and starts a board from it.
  await fran.goto(server.url)
  await expect(library.getByTestId('template-retrospective')).toBeVisible()
  // What the button really put on the clipboard is what Sam opens.
  await fran.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: server.url,
  })
  await library.getByRole('button', { name: 'Copy link' }).click()
  // The click starts the copy; the clipboard has the link once it is done.
  const clipboard = () => fran.evaluate(() => navigator.clipboard.readText())
  await expect
    .poll(clipboard)
    .toMatch(new RegExp(`^${server.url}/\\?library=[A-Za-z0-9_-]{22,64}$`))
  const readLink = await clipboard()

  const sam = await people.join('Sam')
  const id = new URL(readLink).searchParams.get('library')!
  await sam.goto(readLink)
  const samsLibrary = sam.getByTestId('team-library')
  await expect(samsLibrary).toContainText('Platform team')
  // Without the publish link, Sam can use templates but not remove them: checked once the
  // template, beside which the button would be, is on screen.
  await expect(samsLibrary.getByTestId('template-retrospective')).toBeVisible()
  await expect(samsLibrary.getByRole('button', { name: /Remove/ })).toHaveCount(0)
  await samsLibrary.getByTestId('template-retrospective').click()
  await sam.waitForURL(/\/b\//)
  await waitInPage(
    sam,
    (n: number) => window.editor?.getCurrentPageShapeIds().size === n,
    retro.elements.length,
  )
  // Sam made the board, so Sam is its facilitator: the agenda opens by itself.
  await expect(sam.getByTestId('agenda')).toContainText('Went well')

  // On a board, the library's templates are in the picker too, after the built-in ones.
  await sam.getByTestId('templates-menu').click()
  await sam.getByRole('menuitem', { name: /Add a template/ }).click()
  await sam.getByTestId(`template-lib:${id}:retrospective`).click()
  await waitInPage(
    sam,
    (n: number) => window.editor.getCurrentPageShapeIds().size === n,
    2 * retro.elements.length,
  )
})

test('zone rule: the facilitator makes a rectangle a zone with a limit; it counts for everyone and is saved with the template', async ({
  people,
  server,
}) => {
  const { alice, bob } = await facilitatorAndParticipant(people, server.url)
  await drawWithMouse(alice, 'rectangle', { x: 300, y: 200 }, { x: 800, y: 600 })
  // An unfilled rectangle is selected by its outline.
  await alice.mouse.click(300, 400)
  await alice.getByTestId('templates-menu').click()
  await alice.getByRole('menuitem', { name: /Zone rule/ }).click()
  const dialog = alice.getByTestId('zone-rule')
  await dialog.getByLabel('Limit', { exact: true }).fill('1')
  await dialog.getByRole('button', { name: 'Save' }).click()

  const count = (page: typeof alice) => page.getByTestId('zone-count')
  await expect(count(bob)).toHaveText('0 / 1')
  await bob.getByTestId('tools.note').click()
  await bob.mouse.click(450, 350)
  await bob.keyboard.press('Escape')
  await bob.keyboard.press('Escape')
  await bob.getByTestId('tools.note').click()
  await bob.mouse.click(650, 350)
  await bob.keyboard.press('Escape')
  for (const page of [alice, bob]) {
    await expect(count(page)).toHaveText(/2 \/ 1/)
    await expect(count(page)).toHaveAttribute('data-over', 'true')
  }

  await alice.getByTestId('templates-menu').click()
  await alice.getByRole('menuitem', { name: /Save as template/ }).click()
  const save = alice.getByTestId('save-template')
  await save.getByLabel('Summary', { exact: true }).fill('One box, one answer.')
  const [download] = await Promise.all([
    alice.waitForEvent('download'),
    save.getByRole('button', { name: 'Download .json' }).click(),
  ])
  const saved = parseTemplateText(await readFile(await download.path(), 'utf8'))
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems))
  expect(saved.template.elements.filter((e) => e.type === 'zone')).toEqual([
    expect.objectContaining({ capacity: 1 }),
  ])
  expect(saved.template.elements.filter((e) => e.type === 'sticky')).toHaveLength(2)
})
