/**
 * One worker thread of the sync benchmark's load generator: it runs the raw clients the main
 * thread gives it (raw-sync-client.ts), starts them on the run's timetable, and reports what
 * they saw, with its own CPU time and event-loop delay over the measured window (a thread
 * running late would inflate every figure it reports, so the report says whether it did).
 * Loaded through tsx by sync-load.ts; speaks sync-plan.ts's messages.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parentPort } from 'node:worker_threads'
import { connectMessage } from '../test/support/raw-socket'
import { threadCpuSeconds } from './proc-usage'
import { RawSyncClient, Tally } from './raw-sync-client'
import { now, type FromWorker, type Plan, type ToWorker, type WorkerReport } from './sync-plan'

/** Sockets a worker opens at once: a class joining a board does not all arrive in one tick. */
const CONNECT_BATCH = 10

const port = parentPort!
const send = (message: FromWorker) => port.postMessage(message)
const CONNECT = JSON.stringify(connectMessage('bench'))

let clients: RawSyncClient[] = []
let tally = new Tally()
let plan: Plan | null = null
let window = { cpuStart: NaN, cpuEnd: NaN, timeStart: NaN, timeEnd: NaN }
const loopDelay = monitorEventLoopDelay({ resolution: 5 })
const timers: ReturnType<typeof setTimeout>[] = []

port.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) =>
    send({
      type: 'error',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  )
})
send({ type: 'ready' })

async function handle(message: ToWorker) {
  switch (message.type) {
    case 'connect': {
      const failed: string[] = []
      let ok = 0
      for (let i = 0; i < message.clients.length; i += CONNECT_BATCH) {
        const batch = message.clients.slice(i, i + CONNECT_BATCH)
        const opened = await Promise.allSettled(
          batch.map((spec) => RawSyncClient.open(spec, tally, CONNECT)),
        )
        for (const result of opened) {
          if (result.status === 'fulfilled') {
            clients.push(result.value)
            ok++
          } else failed.push(String(result.reason?.message ?? result.reason))
        }
      }
      return send({ type: 'connected', ok, failed })
    }
    case 'start': {
      plan = message.plan
      for (const client of clients) client.start(plan)
      const at = (time: number, run: () => void) =>
        timers.push(setTimeout(run, Math.max(0, time - now())))
      at(plan.measureStart, () => {
        window = { ...window, cpuStart: threadCpuSeconds(), timeStart: now() }
        loopDelay.reset()
        loopDelay.enable()
      })
      at(plan.measureEnd, () => {
        window = { ...window, cpuEnd: threadCpuSeconds(), timeEnd: now() }
        loopDelay.disable()
      })
      return
    }
    case 'report':
      return send({ type: 'report', report: report() })
    case 'close': {
      for (const client of clients) client.close()
      for (const timer of timers.splice(0)) clearTimeout(timer)
      clients = []
      tally = new Tally()
      plan = null
      window = { cpuStart: NaN, cpuEnd: NaN, timeStart: NaN, timeEnd: NaN }
      return send({ type: 'closed' })
    }
  }
}

function report(): WorkerReport {
  const missing = { quiet: 0, measured: 0, viewers: 0 }
  const expected = { quiet: 0, measured: 0, viewers: 0 }
  const modes: Record<string, number> = {}
  let cursorReceivers = 0
  for (const client of clients) {
    const lost = client.missing()
    const due = client.expected()
    if (client.spec.role === 'viewer') {
      missing.viewers += lost.quiet + lost.measured
      expected.viewers += due.quiet + due.measured
      continue
    }
    missing.quiet += lost.quiet
    missing.measured += lost.measured
    expected.quiet += due.quiet
    expected.measured += due.measured
    cursorReceivers++
    const mode = client.lastMode ?? 'none seen'
    modes[mode] = (modes[mode] ?? 0) + 1
  }
  return {
    clients: clients.length,
    quietEdits: tally.quietEdits.toData(),
    movingEdits: tally.movingEdits.toData(),
    viewerEdits: tally.viewerEdits.toData(),
    missing,
    expected,
    cursorUpdates: tally.cursorUpdates,
    cursorReceivers,
    staleness: tally.staleness.toData(),
    pushes: tally.pushes,
    cursorFrames: tally.cursorFrames,
    closes: Object.fromEntries(tally.closes),
    modes,
    workshopCursors: tally.workshopCursors,
    cpuSeconds: window.cpuEnd - window.cpuStart,
    cpuWindowMs: window.timeEnd - window.timeStart,
    loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  }
}
