/**
 * The fast image path's shape painters (everything but the note): in one page, a PNG drawn by
 * our canvas painters is held pixel by pixel against tldraw's own `editor.toImage` of the same
 * board at 1x, on a board with every shape kind once (geo kinds, dashes, fills, lines with
 * cubic splines, arrows with labels, text, frames, draw, an image, a zone over its capacity,
 * a frozen frame holding a sticky) and on every built-in template. A spy on `editor.toImage` proves the
 * painters drew everything: the fast path calls `toImage` only for shapes it cannot paint.
 *
 * Tolerance: at most 1.5 % of pixels differ by more than 48 in any channel, the mean absolute
 * difference per channel is under 3, and in no 32 × 32 tile do more than 3 % of pixels differ
 * by more than 48 (text antialiasing and label outlines differ; a whole board is mostly
 * background, so the tiles are what catch one shape drawn wrong).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { b64Vecs } from '@tldraw/tlschema'
import { PNG } from 'pngjs'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { openTemplateBoard } from '../support/template-board'
import { waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const OPTIONS = { scope: 'board', format: 'png', scale: 1, background: 'white', dark: false }

interface Comparison {
  width: number
  height: number
  differing: number
  mean: number
  /** The most pixels off by more than 48 in any one 32-px tile, as a share of the tile. */
  worstTile: number
  fallbacks: number
}

const TILE = 32

/** Both pictures of the page's board, and how far apart they are. */
async function compare(page: Page, name: string): Promise<Comparison> {
  const { fast, peer, fallbacks } = await page.evaluate(async (options) => {
    const api = window.switchbackExport!
    const editor = window.editor
    const original = editor.toImage.bind(editor)
    let calls = 0
    editor.toImage = ((...args: Parameters<typeof original>) => {
      calls++
      return original(...args)
    }) as typeof editor.toImage
    try {
      const fast = await api.image({ ...options, engine: 'canvas' } as never)
      const fallbacks = calls
      const peer = await api.image({ ...options, engine: 'tldraw' } as never)
      return { fast: fast.base64, peer: peer.base64, fallbacks }
    } finally {
      editor.toImage = original
    }
  }, OPTIONS)
  // Both pictures go with the report, to see what differs.
  await test
    .info()
    .attach(`${name}-canvas.png`, { body: Buffer.from(fast, 'base64'), contentType: 'image/png' })
  await test
    .info()
    .attach(`${name}-toImage.png`, { body: Buffer.from(peer, 'base64'), contentType: 'image/png' })
  // CANVAS_PICTURE_OUT=<dir> keeps both pictures there too.
  const out = process.env.CANVAS_PICTURE_OUT
  if (out) {
    writeFileSync(join(out, `cp-${name}-canvas.png`), Buffer.from(fast, 'base64'))
    writeFileSync(join(out, `cp-${name}-peer.png`), Buffer.from(peer, 'base64'))
  }
  const a = PNG.sync.read(Buffer.from(fast, 'base64'))
  const b = PNG.sync.read(Buffer.from(peer, 'base64'))
  expect({ w: a.width, h: a.height }).toEqual({ w: b.width, h: b.height })
  let differing = 0
  let total = 0
  // Also by 32-px tile: a whole board is mostly background, where one wrong shape is lost.
  const tiles = new Map<number, number>()
  const across = Math.ceil(a.width / TILE)
  for (let i = 0; i < a.data.length; i += 4) {
    let worst = 0
    for (let c = 0; c < 4; c++) {
      const d = Math.abs(a.data[i + c] - b.data[i + c])
      total += d
      worst = Math.max(worst, d)
    }
    if (worst > 48) {
      differing++
      const pixel = i / 4
      const tile =
        Math.floor(pixel / a.width / TILE) * across + Math.floor((pixel % a.width) / TILE)
      tiles.set(tile, (tiles.get(tile) ?? 0) + 1)
    }
  }
  const pixels = a.width * a.height
  const worstTile = Math.max(0, ...tiles.values()) / (TILE * TILE)
  return {
    width: a.width,
    height: a.height,
    differing: differing / pixels,
    mean: total / (pixels * 4),
    worstTile,
    fallbacks,
  }
}

function expectClose(result: Comparison) {
  test.info().annotations.push({ type: 'pixels', description: JSON.stringify(result) })
  expect(result.fallbacks, 'shapes the painters left to toImage').toBe(0)
  expect(result.differing, 'share of pixels off by more than 48').toBeLessThanOrEqual(0.015)
  expect(result.mean, 'mean absolute difference').toBeLessThan(3)
  expect(
    result.worstTile,
    'the worst 32-px tile: share of pixels off by more than 48',
  ).toBeLessThanOrEqual(0.03)
}

/** One of every shape kind our painters draw, next to the template's content. */
async function addEveryKind(page: Page) {
  // A freehand stroke's points, in tldraw's own encoding of them.
  const stroke = b64Vecs.encodePoints(
    Array.from({ length: 30 }, (_, i) => ({ x: i * 10, y: Math.sin(i / 3) * 40, z: 0.5 })),
  )
  await page.evaluate((stroke) => {
    const editor = window.editor
    const bounds = editor.getCurrentPageBounds()!
    const x0 = bounds.maxX + 200
    const y0 = bounds.minY
    const text = (t: string) => ({
      type: 'doc',
      content: [{ type: 'paragraph', ...(t ? { content: [{ type: 'text', text: t }] } : {}) }],
    })
    const shapes: Record<string, unknown>[] = []
    const geos = ['rectangle', 'ellipse', 'triangle', 'diamond', 'star', 'cloud', 'hexagon']
    const dashes = ['solid', 'dashed', 'dotted', 'draw']
    const fills = ['none', 'semi', 'solid']
    geos.forEach((geo, i) => {
      shapes.push({
        type: 'geo',
        x: x0 + i * 220,
        y: y0,
        props: {
          geo,
          w: 180,
          h: 140,
          dash: dashes[i % dashes.length],
          fill: fills[i % fills.length],
          color: ['blue', 'red', 'green', 'orange', 'violet', 'black', 'light-blue'][i],
          font: 'sans',
          richText: text(i % 2 === 0 ? `A ${geo} label` : ''),
        },
      })
    })
    const lineY = y0 + 260
    for (const [i, spline] of ['line', 'cubic'].entries()) {
      shapes.push({
        type: 'line',
        x: x0 + i * 400,
        y: lineY,
        props: {
          spline,
          dash: dashes[i + 1],
          color: 'blue',
          points: {
            a1: { id: 'a1', index: 'a1', x: 0, y: 0 },
            a2: { id: 'a2', index: 'a2', x: 150, y: 120 },
            a3: { id: 'a3', index: 'a3', x: 300, y: 0 },
          },
        },
      })
    }
    const arrowY = y0 + 480
    shapes.push({
      type: 'arrow',
      x: x0,
      y: arrowY,
      props: {
        start: { x: 0, y: 0 },
        end: { x: 320, y: 60 },
        color: 'red',
        arrowheadStart: 'dot',
        arrowheadEnd: 'arrow',
        richText: text('Then'),
        font: 'sans',
      },
    })
    shapes.push({
      type: 'arrow',
      x: x0 + 420,
      y: arrowY,
      props: {
        start: { x: 0, y: 0 },
        end: { x: 320, y: 0 },
        bend: 80,
        dash: 'dashed',
        arrowheadEnd: 'triangle',
        fill: 'solid',
        color: 'violet',
      },
    })
    shapes.push({
      type: 'text',
      x: x0,
      y: y0 + 700,
      props: { richText: text('Plain text on the board'), font: 'sans', size: 'l', color: 'black' },
    })
    shapes.push({
      type: 'draw',
      x: x0 + 500,
      y: y0 + 700,
      props: {
        color: 'green',
        isComplete: true,
        segments: [{ type: 'free', path: stroke }],
      },
    })
    const frameId = 'shape:every-kind-frame'
    shapes.push({
      id: frameId,
      type: 'frame',
      x: x0 + 900,
      y: y0 + 260,
      props: { w: 400, h: 300, name: 'Every kind' },
    })
    // A sticky the frame holds: once the frame is frozen, it shows the lock.
    shapes.push({
      type: 'note',
      parentId: frameId,
      x: 40,
      y: 50,
      props: { richText: text('Held') },
    })
    // A zone past its capacity (two stickies, room for one): the red count, outline and tint.
    shapes.push({
      type: 'geo',
      x: x0 + 900,
      y: y0 + 700,
      props: {
        geo: 'rectangle',
        w: 520,
        h: 320,
        fill: 'semi',
        dash: 'dashed',
        color: 'light-green',
        font: 'sans',
        align: 'start',
        verticalAlign: 'start',
        richText: text('A zone'),
      },
      meta: { switchback: { zone: { capacity: 1 } } },
    })
    for (const dx of [20, 260]) {
      shapes.push({ type: 'note', x: x0 + 900 + dx, y: y0 + 760, props: { richText: text('In') } })
    }
    editor.createShapes(shapes as never)
    // Frozen (as the facilitator's Freeze does): the export shows its outline and badge.
    editor.updateShape({
      id: frameId,
      type: 'frame',
      meta: { switchback: { frozen: true } },
    } as never)
    // A small image, inline (the only kind of asset a board may hold besides its own origin).
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAYAAACp8Z5+AAAAKUlEQVR4AQXBAQ3AMAzAMF8qgEAqmIEdq93+nPtCCLMIIcwihDCLEMIPwFADuWA1hzAAAAAASUVORK5CYII='
    const assetId = 'asset:every-kind' as never
    editor.createAssets([
      {
        id: assetId,
        typeName: 'asset',
        type: 'image',
        props: { name: 'dot.png', src: png, w: 4, h: 4, mimeType: 'image/png', isAnimated: false },
        meta: {},
      } as never,
    ])
    editor.createShape({
      type: 'image',
      x: x0 + 1400,
      y: y0 + 260,
      props: { assetId, w: 160, h: 160 },
    } as never)
  }, stroke)
}

test('every shape kind: the canvas painters draw what toImage draws', async ({
  people,
  server,
}) => {
  test.setTimeout(180_000)
  const template = BUILT_IN_TEMPLATES.find((t) => t.id === 'enabling-constraints')!
  const page = await people.join('Fran')
  await openTemplateBoard(page, server.url, template.id, template.elements.length)
  await addEveryKind(page)
  await waitForSync(page)
  expectClose(await compare(page, 'every-kind'))
})

test('every built-in template: the canvas painters draw what toImage draws', async ({
  people,
  server,
}) => {
  test.setTimeout(60_000 * BUILT_IN_TEMPLATES.length)
  const page = await people.join('Fran')
  const results: Record<string, Comparison> = {}
  for (const template of BUILT_IN_TEMPLATES) {
    await openTemplateBoard(page, server.url, template.id, template.elements.length)
    await waitForSync(page)
    results[template.id] = await compare(page, template.id)
  }
  for (const [id, result] of Object.entries(results)) {
    await test.step(id, () => expectClose(result))
  }
})
