/**
 * `npx tsx test/tools/render-deck.ts [--out <folder>] [--stickies <n>] [--outcome] [--browser [--frameless]]`
 *
 * To look at decks. Without `--browser`: the sample board (test/support/sample-deck.ts) as
 * PPTX, and as PDF with blank pages in place of the DOM rendering; frame pictures are drawn
 * outlines. With `--browser`: the real path in headless Chromium (a Vite dev server on a free
 * port and test/tools/deck-preview.ts): tldraw draws the frames, the DOM draws the slides,
 * and each slide is also saved whole as `dom-<n>.png`. Either way the PPTX and PDF are turned
 * into PNGs with LibreOffice and poppler when they are installed. Requests that leave the
 * page's origin are listed. `--outcome` adds the four framework jobs fixture's decisions and
 * actions (test/unit/fixtures/workshop-outcome.ts), to look at the Decisions and Actions slides.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createServer } from 'vite'
import WebSocket from 'ws'
import { buildDeck } from '../../src/export/deck'
import { writePdf } from '../../src/export/pdf'
import { writePptx } from '../../src/export/pptx'
import { chromiumPath } from '../../src/cli/chromium'
import { pngImage, sampleSource } from '../support/sample-deck'
import { JOBS_OUTCOME } from '../unit/fixtures/workshop-outcome'

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(tmpdir(), 'switchback-deck') },
    stickies: { type: 'string' },
    browser: { type: 'boolean', default: false },
    frameless: { type: 'boolean', default: false },
    outcome: { type: 'boolean', default: false },
  },
})
const out = resolve(values.out)
await rm(out, { recursive: true, force: true })
await mkdir(out, { recursive: true })

if (values.browser) await inBrowser()
else await inNode()
toPngs()

async function inNode() {
  const extra = Number(values.stickies ?? 0)
  const went = Array.from({ length: extra }, (_, i) =>
    i % 4 === 3
      ? `A longer sticky, number ${i + 1}, that says more than most: it goes on over a few lines so the list has to wrap it.`
      : `Sticky number ${i + 1}`,
  )
  const source = sampleSource(extra ? { stickies: { 'went-well': went } } : {})
  if (values.outcome) source.outcome = JOBS_OUTCOME
  const slides = buildDeck(source)
  console.log(slides.map((s) => `${s.number}. [${s.kind}] ${s.title}`).join('\n'))
  const pptx = await writePptx(slides, { title: source.title })
  await writeFile(join(out, 'deck.pptx'), Buffer.from(await pptx.arrayBuffer()))
  const blank = pngImage(192, 108)
  const pdf = await writePdf(slides, {
    title: source.title,
    renderSlide: async () => ({ dataUrl: blank.src as string, width: 192, height: 108 }),
  })
  await writeFile(join(out, 'deck.pdf'), Buffer.from(await pdf.arrayBuffer()))
}

async function inBrowser() {
  const server = await createServer({
    configFile: resolve(import.meta.dirname, '../../vite.config.ts'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    plugins: [
      {
        name: 'deck-preview-page',
        configureServer(vite) {
          vite.middlewares.use('/deck-preview', (_req, res) => {
            res.setHeader('content-type', 'text/html')
            res.end(
              '<!doctype html><meta charset="utf-8"><body>' +
                '<script type="module" src="/test/tools/deck-preview.ts"></script>',
            )
          })
        },
      },
    ],
  })
  await server.listen()
  const address = server.httpServer!.address()
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const profile = await mkdtemp(join(tmpdir(), 'deck-chromium-'))
  const browser = spawn(
    chromiumPath() ?? 'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--window-size=1600,900',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  try {
    const wsUrl = await new Promise<string>((done, fail) => {
      let err = ''
      browser.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString()
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(err)
        if (match) done(match[1])
      })
      browser.once('exit', () => fail(new Error(`Chromium exited: ${err}`)))
    })
    const list = (await (await fetch(`http://${new URL(wsUrl).host}/json/list`)).json()) as {
      type: string
      webSocketDebuggerUrl: string
    }[]
    const cdp = await connect(list.find((t) => t.type === 'page')!.webSocketDebuggerUrl)
    const offOrigin: string[] = []
    cdp.on('Network.requestWillBeSent', (params) => {
      const url = (params as { request: { url: string } }).request.url
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        offOrigin.push(url)
      }
    })
    cdp.on('Runtime.consoleAPICalled', (params) => {
      const { type, args } = params as { type: string; args: { value?: unknown }[] }
      if (type === 'error' || type === 'warning') {
        console.log(`[page ${type}]`, args.map((a) => a.value).join(' '))
      }
    })
    await cdp.send('Network.enable')
    await cdp.send('Runtime.enable')
    await cdp.send('Page.navigate', {
      url: `${origin}/deck-preview?stickies=${Number(values.stickies ?? 0)}${values.frameless ? '&board=frameless' : ''}${values.outcome ? '&outcome=1' : ''}`,
    })
    const deadline = Date.now() + 180_000
    let result: Record<string, unknown> | null = null
    while (!result && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000))
      const { result: value } = (await cdp.send('Runtime.evaluate', {
        expression: 'window.deckPreview ? JSON.stringify(window.deckPreview) : null',
        returnByValue: true,
      })) as { result: { value: string | null } }
      if (value.value) result = JSON.parse(value.value)
    }
    if (!result) throw new Error('The preview page did not finish in time')
    if ('error' in result) throw new Error(`The preview page failed: ${result.error}`)
    const preview = result as { pdf: string; pptx: string; slides: string[]; progress: string[] }
    await writeFile(join(out, 'deck.pdf'), Buffer.from(preview.pdf, 'base64'))
    await writeFile(join(out, 'deck.pptx'), Buffer.from(preview.pptx, 'base64'))
    for (const [i, slide] of preview.slides.entries()) {
      await writeFile(join(out, `dom-${i + 1}.png`), Buffer.from(slide.split(',')[1], 'base64'))
    }
    console.log('Progress:\n  ' + preview.progress.join('\n  '))
    console.log('Timings (ms):', JSON.stringify(result.timings))
    console.log(
      offOrigin.length
        ? `Off-origin requests:\n  ${offOrigin.join('\n  ')}`
        : 'No off-origin requests.',
    )
    cdp.close()
  } finally {
    const exited = new Promise((done) => browser.once('exit', done))
    if (browser.exitCode === null) browser.kill()
    await exited
    await server.close()
    await rm(profile, { recursive: true, force: true, maxRetries: 5 })
  }
}

/** The Chrome DevTools protocol over one WebSocket: commands and events. */
async function connect(url: string) {
  const socket = new WebSocket(url, { maxPayload: 512 * 1024 * 1024 })
  await new Promise((done, fail) => socket.once('open', done).once('error', fail))
  let nextId = 1
  const pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>()
  const listeners = new Map<string, (params: unknown) => void>()
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString())
    if (message.id) pending.get(message.id)?.(message)
    else listeners.get(message.method)?.(message.params)
  })
  return {
    send(method: string, params: object = {}) {
      const id = nextId++
      socket.send(JSON.stringify({ id, method, params }))
      return new Promise<unknown>((done, fail) =>
        pending.set(id, (m) =>
          m.error ? fail(new Error(JSON.stringify(m.error))) : done(m.result),
        ),
      )
    },
    on(event: string, listener: (params: unknown) => void) {
      listeners.set(event, listener)
    },
    close: () => socket.close(),
  }
}

function toPngs() {
  console.log(`${join(out, 'deck.pptx')}\n${join(out, 'deck.pdf')}`)
  try {
    const lo = join(out, 'lo')
    execFileSync(
      'libreoffice',
      ['--headless', '--convert-to', 'pdf', '--outdir', lo, join(out, 'deck.pptx')],
      {
        stdio: 'ignore',
      },
    )
    execFileSync('pdftoppm', ['-png', '-r', '80', join(lo, 'deck.pdf'), join(out, 'pptx')])
    execFileSync('pdftoppm', ['-png', '-r', '80', join(out, 'deck.pdf'), join(out, 'pdf')])
    console.log(
      `PNGs: ${join(out, 'pptx-*.png')} (PPTX via LibreOffice), ${join(out, 'pdf-*.png')}`,
    )
  } catch (error) {
    console.log(`No PNGs (LibreOffice or poppler missing?): ${(error as Error).message}`)
  }
}
