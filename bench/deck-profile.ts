/**
 * `npx tsx bench/deck-profile.ts [pptx|pdf]...`: where a slide deck's export spends its time.
 *
 * Builds the app unminified (so the profile names functions), starts the real server and
 * headless Chromium, makes the export bench's board (10 frames of 12 stickies, as
 * bench/export.ts `addFrames`), and exports each format once to warm up and once under CDP's
 * sampling profiler. Prints the wall time, the time inside `editor.toImage` (the frame
 * pictures, measured in the page), and the main thread's samples by self time, grouped by
 * the library they fall in and by function. Rebuild normally (`npx vite build`) afterwards.
 */
import { execSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium'
import { startServer } from '../test/support/server'
import { cleanUpNow } from '../test/support/processes'
import { addFrames, openNewBoard } from './export'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
/** `--time`: no profile, the median of 3 runs per format instead (after one to warm up). */
const timeOnly = args.includes('--time')
const named = args.filter((a) => !a.startsWith('--'))
const formats = named.length > 0 ? named : ['pptx', 'pdf']
process.on('exit', cleanUpNow)

execSync('npx vite build --minify false', {
  cwd: resolve(import.meta.dirname, '..'),
  stdio: 'ignore',
})
const server = await startServer()
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
try {
  const page = await openNewBoard(browser, server.url)
  await addFrames(page)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  for (const format of formats) {
    await exportOnce(page, format) // warm: chunks loaded, fonts cached
    if (timeOnly) {
      const ms: number[] = []
      for (let i = 0; i < 3; i++) ms.push((await exportOnce(page, format)).ms)
      ms.sort((a, b) => a - b)
      console.log(
        `${format.toUpperCase()}: median ${ms[1].toFixed(0)} ms of ${ms.map((m) => m.toFixed(0)).join(', ')}; ` +
          `load average ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
      )
      continue
    }
    await cdp.send('Profiler.start')
    const timing = await exportOnce(page, format)
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile }
    console.log(
      `\n=== ${format.toUpperCase()}: ${timing.ms.toFixed(0)} ms wall, ` +
        `${timing.toImageMs.toFixed(0)} ms inside editor.toImage (${timing.toImageCalls} calls), ` +
        `${(timing.bytes / 1024 / 1024).toFixed(2)} MB ===`,
    )
    for (const [key, { n, ms }] of Object.entries(timing.encodes)) {
      console.log(`canvas.toBlob ${key}: ${n} calls, ${ms.toFixed(0)} ms call to blob`)
    }
    summarise(profile)
  }
} finally {
  await browser.close()
  await server.stop()
}
process.exit(0)

async function exportOnce(page: Page, format: string) {
  return (await page.evaluate(`(async () => {
    const editor = window.editor
    const original = editor.toImage
    let toImageMs = 0, toImageCalls = 0
    editor.toImage = async function (...args) {
      const t = performance.now()
      try { return await original.apply(this, args) } finally { toImageMs += performance.now() - t; toImageCalls++ }
    }
    // Every canvas encode (the pictures' PNGs, the slides' JPEGs): from the call to the blob.
    const toBlob = HTMLCanvasElement.prototype.toBlob
    const encodes = {}
    HTMLCanvasElement.prototype.toBlob = function (callback, type, quality) {
      const t = performance.now(), size = this.width + '×' + this.height
      return toBlob.call(this, (blob) => {
        const key = (type || 'image/png') + ' ' + size
        const e = (encodes[key] ??= { n: 0, ms: 0 })
        e.n++; e.ms += performance.now() - t
        callback(blob)
      }, type, quality)
    }
    try {
      const started = performance.now()
      const file = await window.switchbackExport.slides('${format}')
      return { ms: performance.now() - started, toImageMs, toImageCalls, encodes,
        bytes: Math.floor(file.base64.length * 3 / 4) }
    } finally { editor.toImage = original; HTMLCanvasElement.prototype.toBlob = toBlob }
  })()`)) as {
    ms: number
    toImageMs: number
    toImageCalls: number
    bytes: number
    encodes: Record<string, { n: number; ms: number }>
  }
}

/** Self time by library (the chunk or node_modules package a frame's code is in) and by function. */
function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const byLib = new Map<string, number>()
  const byFn = new Map<string, number>()
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    const lib = library(url, functionName)
    byLib.set(lib, (byLib.get(lib) ?? 0) + us)
    const fn = `${functionName || '(anonymous)'} ${lib}:${lineNumber + 1}`
    byFn.set(fn, (byFn.get(fn) ?? 0) + us)
  }
  const print = (title: string, map: Map<string, number>, n: number) => {
    console.log(`\n${title}`)
    for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`,
      )
    }
  }
  print(`main thread by library (total ${(total / 1000).toFixed(0)} ms sampled)`, byLib, 15)
  print('main thread by function (self time)', byFn, 30)
}

function library(url: string, fn: string) {
  if (!url) return fn.startsWith('(') ? fn : '(native)'
  const file = url.split('/').pop()!.split('?')[0]
  return file.replace(/-[\w-]{8}\.js$/, '.js')
}
