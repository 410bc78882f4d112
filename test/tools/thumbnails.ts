/**
 * `npm run thumbnails [-- <template id>…] [--out <folder>] [--width <px>]`
 *
 * Regenerates the gallery thumbnails (`public/templates/<id>.png`) from the real rendering:
 * each template is opened as a new board against the real server in headless Chromium and
 * exported with tldraw's own `editor.toImage`, so a thumbnail can never drift from the canvas.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { CHROMIUM_ARGS, chromiumPath } from '../../src/cli/chromium'
import { cleanUpNow } from '../support/processes'
import { startServer } from '../support/server'
import { openTemplateBoard, setIdentity } from '../support/template-board'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: resolve(import.meta.dirname, '../../public/templates') },
    width: { type: 'string', default: '960' },
  },
})
const width = Number(values.width)
const wanted = positionals.length ? positionals : BUILT_IN_TEMPLATES.map((t) => t.id)

process.once('exit', cleanUpNow)
const server = await startServer()
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
try {
  await mkdir(values.out, { recursive: true })
  for (const id of wanted) {
    const template = BUILT_IN_TEMPLATES.find((t) => t.id === id)
    if (!template) throw new Error(`No template "${id}"`)
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } })
    await setIdentity(page, 'Thumbnails')
    await openTemplateBoard(page, server.url, id, template.elements.length)
    const base64 = await page.evaluate(`(async () => {
      await document.fonts.ready
      const editor = window.editor
      const ids = [...editor.getCurrentPageShapeIds()]
      const bounds = editor.getCurrentPageBounds()
      const { blob } = await editor.toImage(ids, {
        format: 'png',
        background: true,
        padding: 0,
        pixelRatio: 1,
        scale: ${width} / bounds.w,
      })
      const bytes = new Uint8Array(await blob.arrayBuffer())
      let binary = ''
      for (const b of bytes) binary += String.fromCharCode(b)
      return btoa(binary)
    })()`)
    const file = join(values.out, `${id}.png`)
    await writeFile(file, Buffer.from(base64 as string, 'base64'))
    console.log(`${file}`)
    await page.close()
  }
} finally {
  await browser.close()
  await server.stop()
}
