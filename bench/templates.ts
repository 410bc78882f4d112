/**
 * Template benchmark: the time from opening `/new?template=<id>` until every shape of the
 * template is drawn (each has its element in the canvas), per template, in headless Chromium
 * against the real server. It covers creating the board on the server (which renders the
 * template), loading the app and the canvas chunk, syncing, and drawing.
 *
 * "cold" is a fresh browser context (empty cache) each run; "warm" is a second board made in
 * the same context, with the app's code cached. Median of REPEATS runs each. After the table,
 * where the cold runs' time goes (bench/template-phases.ts), read in the page.
 */
import { BUILT_IN_TEMPLATES } from '../src/templates/catalog'
import { openTemplateBoard, setIdentity } from '../test/support/template-board'
import { withAppInBrowser } from './app-in-browser'
import { PHASE_NAMES, readPhases, watchPhases, watchSocket, type Phases } from './template-phases'
import { load } from './sync'

const REPEATS = 3
/** BENCH_TEMPLATES: a comma-separated list of template ids, to time only those. */
const ONLY = process.env.BENCH_TEMPLATES?.split(',')
const TEMPLATES = BUILT_IN_TEMPLATES.filter((t) => !ONLY || ONLY.includes(t.id))

export async function run(): Promise<void> {
  await withAppInBrowser(async (server, browser) => {
    console.log(`${REPEATS} runs per template\n`)
    console.log(
      '| template | shapes | cold: all drawn, median (ms) | cold min–max | ' +
        'of which board created (ms) | warm: all drawn (ms) |',
    )
    console.log('|---|--:|--:|--:|--:|--:|')
    const phases = new Map<string, Phases[]>()
    const allCold: number[] = []
    for (const template of TEMPLATES) {
      const cold: number[] = []
      const created: number[] = []
      const warm: number[] = []
      phases.set(template.id, [])
      for (let i = 0; i < REPEATS; i++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
        await watchPhases(context)
        const page = await context.newPage()
        const socketAt = watchSocket(page)
        await setIdentity(page, 'Bench')
        const count = template.elements.length
        const first = await openTemplateBoard(page, server.url, template.id, count)
        cold.push(first.drawnMs)
        created.push(first.createdMs)
        phases.get(template.id)!.push(await readPhases(page, socketAt))
        warm.push((await openTemplateBoard(page, server.url, template.id, count)).drawnMs)
        await context.close()
      }
      allCold.push(...cold)
      console.log(
        `| ${template.id} | ${template.elements.length} | ${median(cold)} | ` +
          `${Math.min(...cold)}–${Math.max(...cold)} | ${median(created)} | ${median(warm)} |`,
      )
    }
    console.log(`\nall templates, cold: median ${median(allCold)} ms; ${load()}`)
    console.log(
      '\nWhere the cold runs go, median (ms from navigation, in the page; "drawn" is seen at' +
        ' an animation frame, the table above polls from outside):\n',
    )
    console.log(`| template | ${PHASE_NAMES.join(' | ')} |`)
    console.log(`|---|${PHASE_NAMES.map(() => '--:').join('|')}|`)
    for (const [id, runs] of phases) {
      const cells = PHASE_NAMES.map((name) => median(runs.map((p) => p[name])).toFixed(0))
      console.log(`| ${id} | ${cells.join(' | ')} |`)
    }
  })
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
