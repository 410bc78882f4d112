/**
 * The fast image path (src/export/canvas-picture) draws the picture tldraw's own `toImage`
 * draws: both run in the same page at 1x, through the headless export API
 * (`engine: 'canvas'` and `engine: 'tldraw'`), and the two PNGs are compared pixel by pixel,
 * on every built-in template and on a 500-sticky board (colours, long texts, bold, italic,
 * lists, a vote result, an author label). Line breaks are checked on their own: the fast
 * path's lines of a long sticky are the board's own lines.
 *
 * Tolerance: at most 1.5 % of pixels differ by more than 48 in any channel, and the mean
 * absolute difference per channel is under 3 (text antialiasing and shadow blur differ a
 * little between a canvas and rasterised SVG; a wrong colour or a moved line does not fit).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { PNG } from 'pngjs'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import type { ImageExportOptions } from '../../src/export/image-options'
import { runVote } from '../support/raw-vote'
import { openTemplateBoard } from '../support/template-board'
import { waitInPage } from '../support/page-wait'
import { waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const TOLERANCE = { share: 0.015, threshold: 48, mean: 3 }

interface Difference {
  width: number
  height: number
  /** Share of pixels off by more than the threshold in some channel. */
  share: number
  mean: number
}

function compare(a: Buffer, b: Buffer): Difference {
  const x = PNG.sync.read(a)
  const y = PNG.sync.read(b)
  expect({ w: x.width, h: x.height }, 'both pictures are the same size').toEqual({
    w: y.width,
    h: y.height,
  })
  let off = 0
  let sum = 0
  for (let i = 0; i < x.data.length; i += 4) {
    let worst = 0
    for (let c = 0; c < 4; c++) {
      const d = Math.abs(x.data[i + c] - y.data[i + c])
      sum += d
      if (d > worst) worst = d
    }
    if (worst > TOLERANCE.threshold) off++
  }
  const pixels = x.width * x.height
  return { width: x.width, height: x.height, share: off / pixels, mean: sum / (pixels * 4) }
}

async function bothPictures(page: Page, options: Partial<ImageExportOptions> = {}) {
  const files = await page.evaluate(async (extra) => {
    const api = window.switchbackExport!
    const base = {
      scope: 'board',
      format: 'png',
      scale: 1,
      background: 'white',
      dark: false,
      ...extra,
    } as const
    const fast = await api.image({ ...base, engine: 'canvas' })
    const tldraw = await api.image({ ...base, engine: 'tldraw' })
    return { fast: fast.base64, tldraw: tldraw.base64 }
  }, options)
  const fast = Buffer.from(files.fast, 'base64')
  const tldraw = Buffer.from(files.tldraw, 'base64')
  // To look at a difference: SWITCHBACK_PICTURE_DUMP=<dir> writes both pictures there.
  const dump = process.env.SWITCHBACK_PICTURE_DUMP
  if (dump) {
    const name = `${Date.now()}-${JSON.stringify(options).replace(/\W+/g, '_')}`
    writeFileSync(join(dump, `${name}-fast.png`), fast)
    writeFileSync(join(dump, `${name}-tldraw.png`), tldraw)
  }
  return compare(fast, tldraw)
}

function expectWithinTolerance(diff: Difference, what: string) {
  test
    .info()
    .annotations.push({ type: 'difference', description: `${what}: ${JSON.stringify(diff)}` })
  expect(diff.share, `${what}: share of pixels off (${JSON.stringify(diff)})`).toBeLessThan(
    TOLERANCE.share,
  )
  expect(diff.mean, `${what}: mean difference (${JSON.stringify(diff)})`).toBeLessThan(
    TOLERANCE.mean,
  )
}

const COLOURS = ['yellow', 'light-blue', 'light-green', 'orange', 'violet', 'red', 'grey', 'white']
const WORDS =
  'the quick brown fox jumps over a lazy dog while our team ships small changes every day and learns from each release'.split(
    ' ',
  )

type Node = Record<string, unknown>
const text = (t: string, marks?: string[]): Node =>
  marks
    ? { type: 'text', text: t, marks: marks.map((type) => ({ type })) }
    : { type: 'text', text: t }
const paragraph = (...content: Node[]): Node => ({ type: 'paragraph', content })

/** The 500 stickies' rich texts: short, long, bold and italic runs, bullet and numbered lists. */
function stickyText(i: number): Node {
  const words = (n: number) => Array.from({ length: n }, (_, k) => WORDS[(i + k) % WORDS.length])
  switch (i % 6) {
    case 0:
      return { type: 'doc', content: [paragraph(text(words(3).join(' ')))] }
    case 1:
      return { type: 'doc', content: [paragraph(text(words(28).join(' ')))] }
    case 2:
      return {
        type: 'doc',
        content: [
          paragraph(
            text(`${words(2).join(' ')} `),
            text(words(3).join(' '), ['bold']),
            text(` ${words(2).join(' ')} `),
            text(words(2).join(' '), ['italic']),
          ),
        ],
      }
    case 3: {
      const item = (n: number) => ({
        type: 'listItem',
        content: [paragraph(text(words(n).join(' ')))],
      })
      return {
        type: 'doc',
        content: [{ type: 'bulletList', content: [item(2), item(5), item(3)] }],
      }
    }
    case 4: {
      const item = (n: number) => ({
        type: 'listItem',
        content: [paragraph(text(words(n).join(' ')))],
      })
      return {
        type: 'doc',
        content: [paragraph(text('Steps')), { type: 'orderedList', content: [item(3), item(4)] }],
      }
    }
    default:
      return {
        type: 'doc',
        content: [paragraph(text('Supercalifragilisticexpialidocious-and-then-some words'))],
      }
  }
}

test('the fast PNG matches toImage on every built-in template', async ({ people, server }) => {
  test.setTimeout(240_000)
  const page = await people.join('Fran')
  for (const template of BUILT_IN_TEMPLATES) {
    if (template.elements.length === 0) continue
    await openTemplateBoard(page, server.url, template.id, template.elements.length)
    await waitForSync(page)
    await page.evaluate(() => window.switchbackExport!.ready())
    expectWithinTolerance(await bothPictures(page), template.id)
  }
})

test('the fast PNG matches toImage on 500 stickies, with badges, and lines break as on the board', async ({
  people,
  server,
}) => {
  test.setTimeout(300_000)
  const page = await people.join('Fran')
  await openTemplateBoard(page, server.url, 'blank', 0)
  await waitForSync(page)
  await expect(page).toHaveURL(/#k=/)
  const roomId = new URL(page.url()).pathname.split('/')[2]
  const stickies = Array.from({ length: 500 }, (_, i) => ({
    i,
    colour: COLOURS[i % COLOURS.length],
    richText: stickyText(i),
  }))
  await page.evaluate((all) => {
    const editor = window.editor
    editor.createShapes(
      all.map(({ i, colour, richText }) => ({
        type: 'note',
        x: (i % 25) * 230,
        y: Math.floor(i / 25) * 260,
        props: {
          color: colour as never,
          richText: richText as never,
          size: i % 7 === 0 ? 'l' : 'm',
        },
        ...(i === 7 ? { meta: { switchback: { author: 'Priya' } } } : {}),
      })),
    )
  }, stickies)
  await waitForSync(page)
  const ids = await page.evaluate(() =>
    window.editor
      .getCurrentPageShapesSorted()
      .filter((s) => s.type === 'note')
      .map((s): string => s.id),
  )
  expect(ids).toHaveLength(500)

  // A real vote's result: its counts show on the stickies in both pictures.
  const facilitatorSecret = await page.evaluate(
    (id) => JSON.parse(localStorage.getItem('switchback:boards') ?? '{}')[id]?.f as string,
    roomId,
  )
  const participantKey = new URL(page.url()).hash.match(/k=([\w-]+)/)![1]
  await runVote(
    server.url,
    roomId,
    { facilitatorSecret, participantKey },
    {
      title: 'Which first?',
      stickyIds: ids.slice(0, 3),
      ballots: [{ name: 'Ana', dots: [ids[0], ids[0], ids[1]] }],
    },
  )
  await expect(page.getByTestId('vote-count').first()).toBeAttached({ timeout: 30_000 })
  await page.evaluate(() => window.switchbackExport!.ready())

  // Line breaks: the long stickies' lines in the fast path are the board's lines.
  for (const id of [ids[1], ids[5], ids[7], ids[3]]) {
    await page.evaluate((id) => {
      const editor = window.editor
      editor.zoomToBounds(editor.getShapePageBounds(id as never)!, { immediate: true })
    }, id)
    await waitInPage(
      page,
      (id: string) => !!document.querySelector(`[data-shape-id="${id}"] .tl-rich-text`),
      id,
    )
    const board = await page.evaluate((id) => {
      const label = document.querySelector(`[data-shape-id="${id}"] .tl-rich-text`)!
      const range = document.createRange()
      const lines: { top: number; words: string[] }[] = []
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const t = node.textContent ?? ''
        for (const match of t.matchAll(/\S+/g)) {
          for (let k = 0; k < match[0].length; k++) {
            range.setStart(node, match.index + k)
            range.setEnd(node, match.index + k + 1)
            const rects = range.getClientRects()
            const top = Math.round(rects[rects.length - 1].top)
            let line = lines.find((l) => Math.abs(l.top - top) <= 1)
            if (!line) {
              line = { top, words: [''] }
              lines.push(line)
            } else if (k === 0) line.words.push('')
            line.words[line.words.length - 1] += match[0][k]
          }
        }
      }
      return lines.sort((a, b) => a.top - b.top).map((l) => l.words.join(' '))
    }, id)
    const fast = await page.evaluate((id) => window.switchbackExport!.noteLines(id), id)
    expect(fast.length, `sticky ${id} has more than one line`).toBeGreaterThan(1)
    expect(fast, `the lines of sticky ${id}`).toEqual(board)
  }

  expectWithinTolerance(await bothPictures(page), '500 stickies')
  expectWithinTolerance(await bothPictures(page, { dark: true }), '500 stickies, dark')
  expectWithinTolerance(
    await bothPictures(page, { background: 'transparent' }),
    '500 stickies, transparent',
  )
})

test('the fast PNG matches toImage with action, decision and stack badges', async ({
  people,
  server,
}) => {
  test.setTimeout(120_000)
  const page = await people.join('Fran')
  await openTemplateBoard(page, server.url, 'blank', 0)
  await waitForSync(page)
  const marks = [
    { kind: 'action', owner: 'Ana', due: '2026-12-24' },
    { kind: 'action', owner: 'Priya Venkataraman', due: '2027-01-05' },
    { kind: 'action' },
    { kind: 'decision' },
  ]
  await page.evaluate((marks) => {
    const editor = window.editor
    const note = (x: number, y: number, t: string, switchback: object = {}) => ({
      type: 'note' as const,
      x,
      y,
      props: {
        color: 'yellow' as never,
        richText: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
        } as never,
      },
      meta: { switchback },
    })
    editor.createShapes([
      ...marks.map((outcome, i) => note(i * 230, 0, `Marked ${i}`, { outcome })),
      // A stack of three, cascaded on its top sticky, the top one marked too.
      ...[0, 1, 2].map((k) =>
        note(k * 12, 300 + k * 12, 'Too many meetings', {
          stack: 'meetings',
          ...(k === 2 ? { outcome: { kind: 'decision' } } : {}),
        }),
      ),
      // A zone declaring its stickies actions, with one inside.
      {
        type: 'geo',
        x: 460,
        y: 280,
        props: { w: 300, h: 260, geo: 'rectangle' },
        meta: { switchback: { zone: { capacity: 3, outcome: 'action' } } },
      },
      note(510, 310, 'Retro action'),
    ] as never)
  }, marks)
  await waitForSync(page)
  // Four marked, the stack's top sticky, the zone's sticky.
  await expect(page.getByTestId('note-outcome')).toHaveCount(6)
  await expect(page.locator('[data-testid="note-outcome"][data-stack="3"]')).toHaveText(
    /Decision.*×3/,
  )
  await page.evaluate(() => window.switchbackExport!.ready())
  // Both pictures draw the badges: tldraw's SVG says so in its text.
  const svg = await page.evaluate(async () => {
    const editor = window.editor
    const result = await editor.getSvgString([...editor.getCurrentPageShapeIds()])
    return result?.svg ?? ''
  })
  const badges = [...svg.matchAll(/<g data-export-marks="">(.*?)<\/g>/g)].map((m) =>
    [...m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]).join(' | '),
  )
  expect(badges.sort()).toEqual(
    [
      '1 / 3',
      'Action',
      'Action',
      'Ana · 24 Dec',
      'Action · PV · 5 Jan',
      'Decision',
      'Decision | ×3',
    ].sort(),
  )
  expectWithinTolerance(await bothPictures(page), 'marked and stacked stickies')
  expectWithinTolerance(await bothPictures(page, { dark: true }), 'marked and stacked, dark')
})
