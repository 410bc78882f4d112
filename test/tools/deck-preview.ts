/**
 * The browser half of `render-deck.ts --browser`: a real tldraw editor (no server) with the
 * retrospective and enabling-constraints canvases and a team's stickies on them, exported
 * through the real path (collectDeckSource, exportSlides). The results wait on
 * `window.deckPreview` for the script to collect.
 */
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { Tldraw, toRichText, type Editor, type TLShapeId } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'
import '../../src/app/theme.css'
import { createCanvasHandle } from '../../src/canvas/handle'
import { createNoteBadges } from '../../src/canvas/note-badges'
import { collectDeckSource } from '../../src/export/deck-source'
import { placeTemplate } from '../../src/templates/place-template'
import { buildDeck } from '../../src/export/deck'
import { createSlideRenderer, domMeasure } from '../../src/export/render-slides'
import { exportSlides } from '../../src/export/slides'
import { builtInTemplate } from '../../src/templates/catalog'
import { SAMPLE_STICKIES } from '../support/sample-stickies'
import { JOBS_OUTCOME } from '../unit/fixtures/workshop-outcome'

export interface DeckPreview {
  pdf: string
  pptx: string
  /** Each slide drawn whole (frame pictures included), as PNG data URLs. */
  slides: string[]
  progress: string[]
  timings: Record<string, number>
}

declare global {
  interface Window {
    deckPreview?: DeckPreview | { error: string }
  }
}

const COLORS = ['yellow', 'light-blue', 'light-green', 'light-red', 'violet', 'orange'] as const

async function run(editor: Editor) {
  const timings: Record<string, number> = {}
  const time = async <T>(name: string, work: () => Promise<T>) => {
    const start = performance.now()
    const result = await work()
    timings[name] = Math.round(performance.now() - start)
    return result
  }
  const params = new URLSearchParams(location.search)
  if (params.get('board') === 'frameless') {
    addFramelessBoard(editor)
  } else {
    editor.updateDocumentSettings({ name: 'Platform team retro, Q3' })
    for (const id of ['retro', 'enabling-constraints']) placeTemplate(editor, builtInTemplate(id)!)
    addStickies(editor, Number(params.get('stickies') ?? 0))
  }
  await document.fonts.ready

  const progress: string[] = []
  const onProgress = (done: number, total: number, label: string) =>
    progress.push(`${done}/${total} ${label}`)
  const source = await time('collect', () =>
    collectDeckSource(
      createCanvasHandle(editor, 'preview', 'facilitator', createNoteBadges()),
      { participants: 8, date: new Date(2026, 10, 24) },
      onProgress,
    ),
  )
  // `?outcome=1`: the fixture's decisions and actions, for the deck's outcome slides.
  if (params.get('outcome')) source.outcome = JOBS_OUTCOME
  const pdf = await time('pdf', () => exportSlides(source, 'pdf', onProgress))
  const pptx = await time('pptx', () => exportSlides(source, 'pptx', onProgress))
  const renderer = createSlideRenderer({ withImages: true, pixelRatio: 0.5, format: 'png' })
  const slides: string[] = []
  for (const slide of buildDeck(source, { measure: domMeasure() }))
    slides.push(await (await renderer.render(slide)).dataUrl)
  renderer.dispose()
  return { pdf: await base64(pdf), pptx: await base64(pptx), slides, progress, timings }
}

/** `?board=frameless`: a brainstorm straight on the page, one labelled rectangle as a zone. */
function addFramelessBoard(editor: Editor) {
  editor.updateDocumentSettings({ name: 'Quick brainstorm' })
  editor.createShape({
    type: 'geo',
    x: 0,
    y: 0,
    props: { w: 700, h: 500, geo: 'rectangle', color: 'blue', richText: toRichText('Parking lot') },
  })
  const texts = ['Offsite in spring?', 'Rotate the on-call lead', 'Budget for books', 'Demo day']
  editor.createShapes(
    texts.map((text, i) => ({
      type: 'note' as const,
      x: i < 2 ? 40 + i * 240 : 900 + (i - 2) * 240,
      y: i < 2 ? 120 : 60,
      props: { richText: toRichText(text), color: COLORS[i], size: 's' as const },
    })),
  )
}

/** The team's stickies in the zones; `extra` more in "Went well", to see a list go on. */
function addStickies(editor: Editor, extra: number) {
  // `?stickies=<n>`: that many more in "Went well", to see a list go over several slides.
  const stickies = { ...SAMPLE_STICKIES }
  stickies['went-well'] = [
    ...stickies['went-well'],
    ...Array.from({ length: extra }, (_, i) =>
      i % 4 === 3
        ? `A longer sticky, number ${i + 1}, that says more than most: it goes on over a few lines.`
        : `Sticky number ${i + 1}`,
    ),
  ]
  let n = 0
  for (const [element, texts] of Object.entries(stickies)) {
    const zone = editor.getCurrentPageShapes().find((s) => s.id.endsWith(`-${element}`))!
    const frameId = zone.parentId as TLShapeId
    const perRow = Math.max(1, Math.floor(((zone.props as { w: number }).w - 40) / 220))
    editor.createShapes(
      texts.map((text, i) => ({
        type: 'note' as const,
        parentId: frameId,
        x: zone.x + 20 + (i % perRow) * 220,
        y: zone.y + 60 + Math.floor(i / perRow) * 220,
        props: {
          richText: toRichText(text),
          color: COLORS[n++ % COLORS.length],
          size: 's' as const,
        },
      })),
    )
  }
}

async function base64(blob: Blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

const root = document.createElement('div')
root.style.cssText = 'position:fixed;inset:0'
document.body.append(root)
createRoot(root).render(
  createElement(Tldraw, {
    assetUrls: getAssetUrlsByImport(),
    onMount: (editor: Editor) => {
      run(editor).then(
        (result) => (window.deckPreview = result),
        (error: unknown) =>
          (window.deckPreview = { error: String((error as Error)?.stack ?? error) }),
      )
    },
  }),
)
