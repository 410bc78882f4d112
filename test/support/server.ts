/**
 * Starts the real PartyKit dev server (the same one `npm start` runs) on a free port with a
 * fresh data folder, for tests and benchmarks. Each server runs in its own process group so
 * that stopping it also stops the workerd process it spawns.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const PROBE_ID = 'probe-probe-probe-probe-0'

export interface TestServer {
  url: string
  port: number
  dataDir: string
  /** `kill -9` the server: no shutdown hooks run, as in a crash. */
  crash(): Promise<void>
  /** Start it again on the same port and data folder. */
  restart(): Promise<void>
  /** Restart it if a test left it crashed. */
  ensureRunning(): Promise<void>
  /** Stop it and delete its data folder. */
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** With `https`, partykit serves a self-signed certificate on every host name. */
export async function startServer(options: { https?: boolean } = {}): Promise<TestServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'switchback-test-'))
  const url = `${options.https ? 'https' : 'http'}://localhost:${port}`
  const flags = options.https ? ['--https'] : []
  let child: ChildProcess | null = null
  let output = ''

  const launch = async () => {
    output = ''
    child = spawn(
      join(ROOT, 'node_modules/.bin/partykit'),
      [
        'dev',
        '--port',
        String(port),
        '--persist',
        dataDir,
        '--disable-request-cf-fetch',
        '--no-hotkeys',
        ...flags,
      ],
      { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    // SERVER_LOG=1 shows the server's output, for debugging a test.
    const log = (d: Buffer) => {
      output += d
      if (process.env.SERVER_LOG) process.stderr.write(d)
    }
    child.stdout?.on('data', log)
    child.stderr?.on('data', log)
    await waitUntilUp(url, () => output)
  }

  const kill = async (signal: NodeJS.Signals) => {
    const proc = child
    child = null
    if (!proc?.pid || proc.exitCode !== null) return
    const exited = new Promise((done) => proc.once('exit', done))
    try {
      process.kill(-proc.pid, signal)
    } catch {
      return
    }
    await exited
    await waitUntilDown(url)
  }

  await launch()
  return {
    url,
    port,
    dataDir,
    crash: () => kill('SIGKILL'),
    restart: launch,
    ensureRunning: async () => {
      if (!child) await launch()
    },
    async stop() {
      await kill('SIGTERM')
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The status of a GET, or null when nothing answers; self-signed certificates are fine. */
function status(url: string): Promise<number | null> {
  const get = url.startsWith('https:') ? httpsGet : httpGet
  return new Promise((done) => {
    const request = get(url, { rejectUnauthorized: false }, (response) => {
      response.resume()
      done(response.statusCode ?? null)
    })
    request.on('error', () => done(null))
    request.setTimeout(2000, () => request.destroy())
  })
}

async function waitUntilUp(url: string, output: () => string) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if ((await status(`${url}/parties/board/${PROBE_ID}`)) === 404) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`PartyKit did not start on ${url}:\n${output()}`)
}

async function waitUntilDown(url: string) {
  for (let i = 0; i < 100; i++) {
    if ((await status(url)) === null) return
    await new Promise((r) => setTimeout(r, 100))
  }
}
