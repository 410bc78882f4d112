/**
 * Starts the real PartyKit dev server (the same one `npm start` runs) on a free port with a
 * fresh data folder, for the tests and the benchmarks.
 */
import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  crashProcess,
  freePort,
  makeTempDir,
  removeTempDir,
  startProcess,
  stopProcess,
  type ServerProcess,
} from './processes'

const ROOT = resolve(import.meta.dirname, '../..')
const PARTYKIT = join(ROOT, 'node_modules/.bin/partykit')
const PROBE_ID = 'probe-probe-probe-probe-0'

export interface TestServer {
  url: string
  port: number
  /** The exact command that runs it, for reports. */
  command: string
  /** The process id of `partykit` (the leader of its process group), while it runs. */
  pid(): number | undefined
  /** The end of its output, for error messages. */
  output(): string
  /** `kill -9` the server: no shutdown hooks run, as in a crash. */
  crash(): Promise<void>
  /** Start it again on the same port and data folder. */
  restart(): Promise<void>
  /** Restart it if a test left it crashed. */
  ensureRunning(): Promise<void>
  /** Stop it and delete its data folder. */
  stop(): Promise<void>
}

export interface ServerOptions {
  /** Serve https with partykit's self-signed certificate (on every host name). */
  https?: boolean
  /**
   * Serve static files from an empty folder instead of dist/. `partykit dev` drops every
   * socket when files appear in or vanish from the served folder, so a benchmark that does
   * not need the app is safe from a `vite build` running elsewhere.
   */
  withoutApp?: boolean
  /** Party vars (`--var NAME=value`), e.g. a higher `MAX_EDITORS` for a benchmark. */
  vars?: Record<string, string>
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const port = await freePort()
  const scratch = await makeTempDir('switchback-server-')
  const dataDir = join(scratch, 'data')
  const assetsDir = join(scratch, 'assets')
  await Promise.all([mkdir(dataDir), mkdir(assetsDir)])
  const url = `${options.https ? 'https' : 'http'}://localhost:${port}`
  const args = ['dev', '--port', String(port), '--persist', dataDir]
  args.push('--disable-request-cf-fetch', '--no-hotkeys')
  if (options.https) args.push('--https')
  if (options.withoutApp) args.push('--serve', assetsDir)
  for (const [name, value] of Object.entries(options.vars ?? {}))
    args.push('--var', `${name}=${value}`)

  let server: ServerProcess | null = null
  const launch = async () => {
    server = startProcess(PARTYKIT, args, ROOT)
    await waitUntilUp(url, server)
  }
  const halt = async (how: (s: ServerProcess) => Promise<void>) => {
    const running = server
    server = null
    if (running) await how(running)
    await waitUntilDown(url)
  }

  await launch()
  return {
    url,
    port,
    command: `partykit ${args.join(' ')}`,
    pid: () => (server as ServerProcess | null)?.child.pid,
    output: () => server?.output() ?? '',
    crash: () => halt(crashProcess),
    restart: launch,
    ensureRunning: async () => {
      if (!server) await launch()
    },
    async stop() {
      await halt((s) => stopProcess(s))
      await removeTempDir(scratch)
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

async function waitUntilUp(url: string, server: ServerProcess) {
  let exited = false
  void server.exited.then(() => (exited = true))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && !exited) {
    if ((await status(`${url}/parties/board/${PROBE_ID}`)) === 404) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`PartyKit did not start on ${url}:\n${server.output()}`)
}

async function waitUntilDown(url: string) {
  for (let i = 0; i < 100; i++) {
    if ((await status(url)) === null) return
    await new Promise((r) => setTimeout(r, 100))
  }
}
