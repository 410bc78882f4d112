/**
 * A workshop board as a `DeckSource`, without a browser: templates rendered to records as the
 * server does, stickies added where a team would put them, and frame pictures drawn with
 * pngjs (the zones as coloured outlines), for the slide-file tests and `render-deck.ts`.
 */
import { PNG } from 'pngjs'
import type { TLFrameShape, TLGeoShape, TLShape } from '@tldraw/tlschema'
import type { DeckImage, DeckSource, DeckSticky, DeckZone } from '../../src/export/deck'
import { builtInTemplate } from '../../src/templates/catalog'
import type { Box } from '../../src/board/geometry'
import { fromRichText } from '../../src/board/rich-text'
import { renderTemplate } from '../../src/templates/render'
import { readShapeMeta } from '../../src/board/shape-meta'
import { SAMPLE_STICKIES } from './sample-stickies'

/** tldraw's light-mode sticky and shape colours, as the canvas side resolves them. */
export const NOTE_FILL: Record<string, string> = {
  yellow: '#FED49A',
  'light-blue': '#9BC4FD',
  'light-green': '#98D08A',
  'light-red': '#F7A5A1',
  violet: '#DFB0F9',
  orange: '#FAA475',
  grey: '#C0CAD3',
}
const SOLID: Record<string, string> = {
  green: '#099268',
  orange: '#e16919',
  blue: '#4465e9',
  red: '#e03131',
  violet: '#ae3ec9',
  grey: '#9fa8b2',
  black: '#1d1d1d',
  yellow: '#f1ac4b',
  'light-blue': '#4ba1f1',
  'light-green': '#4cb05e',
  'light-red': '#f87777',
  'light-violet': '#e085f4',
}

/** A PNG data URL of `width` × `height`: white, with the given boxes outlined. */
export function pngImage(
  width: number,
  height: number,
  boxes: { box: Box; color: string }[] = [],
): DeckImage {
  const png = new PNG({ width, height })
  png.data.fill(255)
  const paint = (x: number, y: number, rgb: number[]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return
    const i = (y * width + x) * 4
    png.data[i] = rgb[0]
    png.data[i + 1] = rgb[1]
    png.data[i + 2] = rgb[2]
  }
  for (const { box, color } of boxes) {
    const rgb = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
    for (let t = 0; t < 3; t++) {
      for (let x = box.x; x < box.x + box.w; x++) {
        paint(Math.round(x), Math.round(box.y + t), rgb)
        paint(Math.round(x), Math.round(box.y + box.h - 1 - t), rgb)
      }
      for (let y = box.y; y < box.y + box.h; y++) {
        paint(Math.round(box.x + t), Math.round(y), rgb)
        paint(Math.round(box.x + box.w - 1 - t), Math.round(y), rgb)
      }
    }
  }
  const buffer = PNG.sync.write(png)
  return { src: `data:image/png;base64,${buffer.toString('base64')}`, width, height }
}

interface Placed {
  shapes: TLShape[]
  agenda: DeckSource['agenda'][number]
}

function place(templateId: string, instance: string, origin: { x: number; y: number }): Placed {
  const template = builtInTemplate(templateId)
  if (!template) throw new Error(`No template ${templateId}`)
  const rendered = renderTemplate(template, { origin, instance })
  return { shapes: rendered.shapes, agenda: rendered.agenda }
}

/** Page bounds of a rendered shape (children of frames are relative to their frame). */
function pageBox(shape: TLShape, byId: Map<string, TLShape>): Box {
  const parent = byId.get(shape.parentId)
  const dx = parent ? parent.x : 0
  const dy = parent ? parent.y : 0
  const props = shape.props as { w?: number; h?: number }
  const size = shape.type === 'note' ? { w: 200, h: 200 } : { w: props.w ?? 0, h: props.h ?? 0 }
  return { x: shape.x + dx, y: shape.y + dy, ...size }
}

export interface SampleOptions {
  /** Stickies per zone ("went-well": texts…), by template element id. */
  stickies?: Record<string, string[]>
  frameImageScale?: number
}

/**
 * A board with the retrospective and the enabling-constraints canvas side by side, stickies
 * in their zones (and a few elsewhere), and the agenda of both.
 */
export function sampleSource(options: SampleOptions = {}): DeckSource {
  const placed = [
    place('retro', 'r1', { x: 0, y: 0 }),
    place('enabling-constraints', 'e1', { x: 0, y: 1240 }),
  ]
  const shapes = placed.flatMap((p) => p.shapes)
  const byId = new Map(shapes.map((s) => [s.id as string, s]))
  const frames = shapes.filter((s): s is TLFrameShape => s.type === 'frame')
  const scale = options.frameImageScale ?? 0.25

  const zones: DeckZone[] = shapes
    .filter((s): s is TLGeoShape => s.type === 'geo')
    .map((s) => ({
      id: s.id,
      label: fromRichText(s.props.richText),
      color: SOLID[s.props.color] ?? null,
      bounds: pageBox(s, byId),
      frameId: s.parentId.startsWith('shape:') ? s.parentId : null,
    }))

  const stickies: DeckSticky[] = shapes
    .filter((s) => s.type === 'note')
    .map((s) => ({
      id: s.id,
      text: fromRichText(s.type === 'note' ? s.props.richText : undefined),
      color: NOTE_FILL.grey,
      bounds: pageBox(s, byId),
      frameId: s.parentId.startsWith('shape:') ? s.parentId : null,
      background: readShapeMeta(s).background === true,
    }))

  const colors = Object.values(NOTE_FILL)
  let n = 0
  for (const [element, texts] of Object.entries(options.stickies ?? SAMPLE_STICKIES)) {
    const zone = zones.find((z) => z.id.endsWith(`-${element}`))
    const frame = frames.find((f) => f.id.endsWith(`-${element}`))
    if (!zone && !frame) throw new Error(`No zone or frame "${element}"`)
    const box = zone ? zone.bounds : pageBox(frame!, byId)
    const inFrame = zone ? zone.frameId : frame!.id
    texts.forEach((text, i) => {
      const perRow = Math.max(1, Math.floor((box.w - 40) / 220))
      const x = box.x + 20 + (i % perRow) * 220 + (i % 3) * 4
      const y = box.y + 90 + Math.floor(i / perRow) * 220 + (i % 2) * 10
      stickies.push({
        id: `shape:sticky-${n}`,
        text,
        color: colors[n++ % (colors.length - 1)],
        bounds: { x, y, w: 200, h: 200 },
        frameId: inFrame,
        background: false,
      })
    })
  }

  const focus: DeckSource['shapes'] = {}
  for (const step of placed.flatMap((p) => p.agenda.steps)) {
    const shape = step.focus ? byId.get(step.focus) : undefined
    if (!shape) continue
    focus[shape.id] = {
      bounds: pageBox(shape, byId),
      frameIds: shape.parentId.startsWith('shape:') ? [shape.parentId] : [],
    }
  }

  return {
    title: 'Platform team retro, Q3',
    date: new Date(Date.UTC(2026, 10, 24, 12)),
    participants: 8,
    frames: frames.map((f) => ({
      id: f.id,
      name: f.props.name,
      bounds: pageBox(f, byId),
      image: pngImage(
        Math.round(f.props.w * scale),
        Math.round(f.props.h * scale),
        zones
          .filter((z) => z.frameId === f.id)
          .map((z) => ({
            box: {
              x: (z.bounds.x - f.x) * scale,
              y: (z.bounds.y - f.y) * scale,
              w: z.bounds.w * scale,
              h: z.bounds.h * scale,
            },
            color: z.color ?? '#7a8190',
          })),
      ),
    })),
    page: null,
    stickies,
    zones,
    agenda: placed.map((p) => p.agenda),
    shapes: focus,
  }
}
