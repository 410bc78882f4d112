/**
 * Servers the tests and benchmarks start, and their scratch directories. Each server runs in
 * its own process group, so stopping it also stops what it spawned (`partykit` → `workerd`).
 * Whatever is still running or on disk when the process exits, however it exits, goes in
 * `cleanUpNow`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ServerProcess {
  child: ChildProcess
  /** The last few KB of its stdout and stderr, for error messages. */
  output(): string
  /** Resolves when the process exits. */
  exited: Promise<void>
}

const running = new Set<ChildProcess>()
const tempDirs = new Set<string>()
const OUTPUT_TAIL = 8 * 1024

export function startProcess(command: string, args: string[], cwd: string): ServerProcess {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  if (process.env.SERVER_LOG) {
    // SERVER_LOG=1 shows the servers' output, for debugging a test or a benchmark.
    child.stdout?.pipe(process.stderr)
    child.stderr?.pipe(process.stderr)
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  void exited.then(() => running.delete(child))
  return { child, output: () => output, exited }
}

/** SIGTERM to the whole group, SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(server: ServerProcess, graceMs = 5000): Promise<void> {
  const { child } = server
  if (child.pid === undefined) return
  killGroup(child.pid, 'SIGTERM')
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout'))
  await Promise.race([server.exited, timeout])
  // The leader may be gone while something it spawned lingers: make sure of the whole group.
  killGroup(child.pid, 'SIGKILL')
  running.delete(child)
}

/** `kill -9` the whole group, as in a crash: no shutdown code runs. */
export async function crashProcess(server: ServerProcess): Promise<void> {
  if (server.child.pid !== undefined) killGroup(server.child.pid, 'SIGKILL')
  await server.exited
  running.delete(server.child)
}

/** Synchronous, for exit and signal handlers. */
export function cleanUpNow(): void {
  for (const child of running) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL')
  running.clear()
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/** Polls `url` until it answers with any HTTP status; fails early if `server` exits. */
export async function waitForHttp(url: string, server: ServerProcess, timeoutMs = 60_000) {
  let exited = false
  void server.exited.then(() => (exited = true))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited before answering ${url}:\n${server.output()}`)
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  throw new Error(`no answer from ${url} after ${timeoutMs} ms:\n${server.output()}`)
}
