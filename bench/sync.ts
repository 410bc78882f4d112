/**
 * Sync benchmark: what a board costs as the room grows, with every cursor moving.
 *
 * N participants (BENCH_SYNC_SIZES, default 10, 50, 100, 200) join one board as raw sync
 * clients (raw-sync-client.ts, spread over worker threads: sync-load.ts), one of them the
 * editor. First the editor adds a shape ten times a second in a still room (what an edit costs
 * by itself), then every participant moves its cursor while the edits go on; the second part is
 * measured after a warm-up. A run prints, per receiver and edit: the send-to-arrival time
 * (p50 / p95 / max) and the deliveries missing after a timeout; per cursor update received:
 * its age on arrival (staleness, p50 / p95) and how many each receiver got a second; whether
 * every push was answered; the CPU of the load generator (the whole process, and each worker
 * thread with its event-loop delay: a generator running late would inflate the figures) and
 * of the server's process tree (from /proc), and the server's memory.
 *
 * Runs, in the same order alternated per N: Switchback with `tldraw`-style clients (presence
 * pushed at 30 Hz, as tldraw's own client and an old tab do: they must not bring the room
 * down), Switchback with `lane` clients (the new client's cursor lane), and a bare
 * `TLSocketRoom` on Node `ws` (bare-sync-server.ts, a fresh process per run) with
 * `tldraw`-style clients. At the largest N, above the crowd threshold, the lane also runs with
 * the facilitator's crowd mode set to "everyone", and once with BENCH_SYNC_VIEWERS (300)
 * viewer sockets beside the participants. Crowd mode is otherwise left at its default (auto);
 * the editor joins as a facilitator (whose cursor crowd mode never hides), and each run prints
 * the mode its ticks carried.
 *
 * Then the cost table (issue 17, item 6): server CPU per edit (the still room's CPU time over
 * its edits) and memory per connection (the process tree's RSS with everyone connected minus
 * before, over the sockets) at the sizes among 10, 100 and 200.
 *
 * Environment: SWITCHBACK_URL (use a running server instead of starting one), BENCH_SYNC_SIZES,
 * BENCH_SYNC_SECONDS (measured seconds per run, 8), BENCH_SYNC_VIEWERS (300; 0: no viewers' run),
 * BENCH_SYNC_WORKERS (worker threads, 4), BENCH_SYNC_RUNS (only these runs, e.g.
 * "switchback-lane,bare": the names are printed with each run).
 *
 * `partykit dev` rebuilds when party/ or src/ changes: editing them during a run restarts the
 * board, which shows up as closed sockets and missing deliveries.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { nanoid } from 'nanoid'
import { boardPath, createBoardResponseSchema } from '../src/protocol'
import { startProcess, stopProcess, type ServerProcess } from '../test/support/processes'
import { workshopMember } from '../test/support/raw-workshop'
import { startServer } from '../test/support/server'
import { Histogram } from './histogram'
import { cpuByName, processTree, rssByName, type ProcessUsage } from './proc-usage'
import { LoadGenerator } from './sync-load'
import {
  now,
  type ClientKind,
  type ClientSpec,
  type Door,
  type Plan,
  type WorkerReport,
} from './sync-plan'

export { geoShape } from './shapes'

const SIZES = [...new Set(listFromEnv('BENCH_SYNC_SIZES') ?? [10, 50, 100, 200])]
const MEASURE_MS = Number(process.env.BENCH_SYNC_SECONDS ?? 8) * 1000
const VIEWERS = Number(process.env.BENCH_SYNC_VIEWERS ?? 300)
const WORKERS = Number(process.env.BENCH_SYNC_WORKERS ?? 4)
const ONLY = process.env.BENCH_SYNC_RUNS?.split(',').map((name) => name.trim())
/** tldraw's editor adding a shape ten times a second. */
const EDIT_EVERY_MS = 100
/** Edits in the still room (the CPU-per-edit window). */
const QUIET_EDITS = 20
/** Cursors move this long before the measured window opens. */
const WARMUP_MS = 2000
/** An edit that has not reached a receiver this long after it was sent is missing. */
const DELIVERY_TIMEOUT_MS = 5000
/** Pause after connecting (the joins' traffic settles) before memory is read and edits start. */
const SETTLE_MS = 1500
/** Above this many editors crowd mode `auto` shows only facilitators' cursors (lane contract). */
const CROWD_THRESHOLD = 30
/** Sizes of the cost table (issue 17, item 6). */
const COST_SIZES = [10, 100, 200]
/** The issue's targets for the participants' edit p95. */
const TARGETS: Record<number, string> = {
  10: 'p95 ≤ 20 ms and ≤ bare',
  50: 'p95 ≤ 40 ms and ≤ bare',
  100: 'p95 ≤ 100 ms, nothing missing',
  200: 'p95 ≤ 150 ms, nothing missing',
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

type CrowdMode = 'auto' | 'everyone'

/** A fresh board on a server: where its editor, participants and viewers connect. */
interface Room {
  editor: Door
  participant: Door
  viewer: Door
  /** Sets crowd mode as the facilitator would; the server's refusal if it has no such action. */
  setMode?(mode: CrowdMode): Promise<string | null>
}

/** A server under test. */
interface Target {
  name: 'switchback' | 'bare'
  description: string
  newRoom(): Promise<Room>
  /** The root of the server's process tree (what /proc is read for). */
  pid(): number | undefined
  /**
   * The process in that tree that serves the board (`partykit dev` also runs its own Node
   * process and esbuild, which a deployment does not; tsx runs esbuild beside the bare peer).
   */
  serverProcess: string
  /** The tail of the server's output, when we started it: for error messages. */
  log(): string
  stop(): Promise<void>
}

interface RunSpec {
  target: Target['name']
  kind: ClientKind
  n: number
  viewers: number
  mode: CrowdMode
}

interface RunResult {
  spec: RunSpec
  name: string
  connected: number
  failed: string[]
  quiet: Histogram
  moving: Histogram
  viewerEdits: Histogram
  staleness: Histogram
  missing: WorkerReport['missing']
  expected: WorkerReport['expected']
  /** Cursor updates per participant per second, in the measured window. */
  cursorRate: number
  pushes: WorkerReport['pushes']
  closes: Record<string, number>
  modes: Record<string, number>
  workshopCursors: string | null
  generator: { cpu: number; workers: { cpu: number; loopP99: number; loopMax: number }[] }
  server: {
    /** The process that serves the board (`Target.serverProcess`). */
    process: string
    /** Share of one CPU by process name while cursors moved. */
    movingCpu: Map<string, number>
    /** CPU ms of the server process per edit in the still room. */
    cpuPerEditMs: number
    /** RSS of the server process before anyone connected, and with everyone connected. */
    rssBefore: number
    rssConnected: number
    /** The whole tree's peak RSS while cursors moved, and its RSS connected, by process. */
    treePeak: number
    rssByName: Map<string, number>
  }
}

export async function run(): Promise<void> {
  printMachine()
  const runs = plannedRuns()
  console.log(
    `sizes N = ${SIZES.join(', ')} participants (1 editor adding a shape every ${EDIT_EVERY_MS} ms);` +
      ` ${QUIET_EDITS} edits in a still room, then ${WARMUP_MS / 1000} s warm-up and` +
      ` ${MEASURE_MS / 1000} s measured with every cursor moving; ${WORKERS} worker threads;` +
      ` a delivery later than ${DELIVERY_TIMEOUT_MS / 1000} s is missing\n`,
  )
  const generator = await LoadGenerator.start(WORKERS)
  const targets = new Map<Target['name'], Target>()
  const results: RunResult[] = []
  try {
    targets.set('switchback', await switchbackTarget())
    targets.set('bare', bareTarget())
    for (const target of targets.values()) console.log(`${target.name}: ${target.description}`)
    console.log()
    for (const spec of runs) {
      const result = await measure(targets.get(spec.target)!, spec, generator)
      results.push(result)
      printRun(result)
    }
    printSummary(results)
    printCosts(results)
    console.log(`\n${load()} at the end`)
  } finally {
    await generator.stop()
    for (const target of targets.values()) await target.stop()
  }
}

function runName(spec: RunSpec) {
  const kind = spec.kind === 'lane' ? 'lane' : 'tldraw'
  const extra = [spec.mode === 'everyone' ? 'everyone' : '', spec.viewers ? 'viewers' : '']
  return [`${spec.target}-${kind}`, ...extra.filter(Boolean)].join('-')
}

/** Every run, in order: per N the three alternate who goes first; the extras at the end. */
function plannedRuns(): RunSpec[] {
  const runs: RunSpec[] = []
  for (const [i, n] of SIZES.entries()) {
    const group: RunSpec[] = [
      { target: 'switchback', kind: 'tldraw', n, viewers: 0, mode: 'auto' },
      { target: 'switchback', kind: 'lane', n, viewers: 0, mode: 'auto' },
      { target: 'bare', kind: 'tldraw', n, viewers: 0, mode: 'auto' },
    ]
    runs.push(...(i % 2 === 0 ? group : group.reverse()))
  }
  const largest = Math.max(...SIZES)
  if (largest > CROWD_THRESHOLD) {
    runs.push({ target: 'switchback', kind: 'lane', n: largest, viewers: 0, mode: 'everyone' })
  }
  if (VIEWERS > 0) {
    runs.push({ target: 'switchback', kind: 'lane', n: largest, viewers: VIEWERS, mode: 'auto' })
  }
  return ONLY ? runs.filter((spec) => ONLY.some((name) => runName(spec).startsWith(name))) : runs
}

/** One run: a fresh room, everyone in, the timetable, the reports. */
async function measure(
  target: Target,
  spec: RunSpec,
  generator: LoadGenerator,
): Promise<RunResult> {
  const name = runName(spec)
  process.stdout.write(`${name} N=${spec.n}${spec.viewers ? ` + ${spec.viewers} viewers` : ''}: `)
  const room = await target.newRoom()
  if (spec.mode !== 'auto') {
    const refused = await room.setMode!(spec.mode)
    if (refused) console.log(`(crowd mode "${spec.mode}" not set: ${refused}) `)
  }
  const tree = () => processTree(target.pid())
  const rssOf = (usage: ProcessUsage[]) => usage.reduce((sum, p) => sum + p.rssBytes, 0)
  const serverRss = (usage: ProcessUsage[]) =>
    rssOf(usage.filter((p) => p.name === target.serverProcess))
  const before = tree()

  const specs = (count: number, from: number, role: ClientSpec['role'], door: Door): ClientSpec[] =>
    Array.from({ length: count }, (_, i) => ({ index: from + i, role, kind: spec.kind, door }))
  const joined = await generator.connect([
    ...specs(1, 0, 'editor', room.editor),
    ...specs(spec.n - 1, 1, 'participant', room.participant),
  ])
  const viewers = spec.viewers
    ? await generator.connect(specs(spec.viewers, spec.n, 'viewer', room.viewer))
    : { ok: 0, failed: [] }
  const failed = [...joined.failed, ...viewers.failed]
  process.stdout.write(
    `${joined.ok + viewers.ok} connected${failed.length ? `, ${failed.length} failed` : ''}; `,
  )
  await sleep(SETTLE_MS)
  const connected = tree()

  const start = now() + 500
  const quietEnd = start + QUIET_EDITS * EDIT_EVERY_MS
  const moveStart = quietEnd + 1000 // the last still edit has arrived before cursors move
  const plan: Plan = {
    epoch: Math.floor(start) - 1000,
    editEveryMs: EDIT_EVERY_MS,
    quietStart: start,
    quietEdits: QUIET_EDITS,
    moveStart,
    measureStart: moveStart + WARMUP_MS,
    measureEnd: moveStart + WARMUP_MS + MEASURE_MS,
    deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
  }
  generator.start(plan)
  await sleep(plan.quietStart - now())
  const quietFrom = tree()
  await sleep(quietEnd - now())
  const quietTo = tree()
  await sleep(plan.measureStart - now())
  const movingFrom = tree()
  const generatorFrom = process.cpuUsage()
  let treePeak = rssOf(movingFrom)
  const sampler = setInterval(() => (treePeak = Math.max(treePeak, rssOf(tree()))), 500)
  await sleep(plan.measureEnd - now())
  clearInterval(sampler)
  const movingTo = tree()
  const generatorUsed = process.cpuUsage(generatorFrom)
  process.stdout.write('measured; waiting for late deliveries\n')
  await sleep(plan.measureEnd + DELIVERY_TIMEOUT_MS + 200 - now())
  const reports = await generator.report()
  await generator.close()

  const seconds = MEASURE_MS / 1000
  const merge = (pick: (r: WorkerReport) => Parameters<Histogram['merge']>[0]) =>
    reports.reduce((h, r) => h.merge(pick(r)), new Histogram())
  const sum = <K extends string>(pick: (r: WorkerReport) => Record<K, number>) => {
    const total = {} as Record<K, number>
    for (const r of reports) {
      for (const [key, value] of Object.entries(pick(r)) as [K, number][]) {
        total[key] = (total[key] ?? 0) + value
      }
    }
    return total
  }
  const receivers = reports.reduce((n, r) => n + r.cursorReceivers, 0)
  const quietCpu = cpuByName(quietFrom, quietTo).get(target.serverProcess) ?? NaN
  const movingCpu = new Map(
    [...cpuByName(movingFrom, movingTo)].map(([process, cpu]) => [process, cpu / seconds]),
  )
  return {
    spec,
    name,
    connected: joined.ok + viewers.ok,
    failed,
    quiet: merge((r) => r.quietEdits),
    moving: merge((r) => r.movingEdits),
    viewerEdits: merge((r) => r.viewerEdits),
    staleness: merge((r) => r.staleness),
    missing: sum((r) => r.missing),
    expected: sum((r) => r.expected),
    cursorRate: reports.reduce((n, r) => n + r.cursorUpdates, 0) / receivers / seconds,
    pushes: sum((r) => r.pushes),
    closes: sum((r) => r.closes),
    modes: sum((r) => r.modes),
    workshopCursors: reports.find((r) => r.workshopCursors)?.workshopCursors ?? null,
    generator: {
      cpu: (generatorUsed.user + generatorUsed.system) / 1e6 / seconds,
      workers: reports.map((r) => ({
        cpu: r.cpuSeconds / (r.cpuWindowMs / 1000),
        loopP99: r.loopDelay.p99,
        loopMax: r.loopDelay.max,
      })),
    },
    server: {
      process: target.serverProcess,
      movingCpu,
      cpuPerEditMs: (quietCpu * 1000) / QUIET_EDITS,
      rssBefore: serverRss(before),
      rssConnected: serverRss(connected),
      treePeak,
      rssByName: rssByName(connected),
    },
  }
}

async function switchbackTarget(): Promise<Target> {
  const given = process.env.SWITCHBACK_URL?.replace(/\/$/, '')
  // No per-address cap: every client of the benchmark comes from this one machine. The
  // board's own caps (200 editors, 300 viewers) are kept: the default run fits them, and a
  // bigger BENCH_SYNC_SIZES has sockets refused, each reported with its reason.
  const vars = { MAX_CONNECTIONS_PER_ADDRESS: '0' }
  const server = given ? null : await startServer({ withoutApp: true, vars })
  const httpBase = given ?? server!.url
  return {
    name: 'switchback',
    description: given
      ? `running server at ${given} (SWITCHBACK_URL; its process is not measured)`
      : `started \`${server!.command}\` on ${server!.url}`,
    async newRoom() {
      const roomId = nanoid(22)
      const res = await fetch(`${httpBase}${boardPath(roomId)}`, {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      })
      if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
      const board = createBoardResponseSchema.parse(await res.json())
      const door = (secret: string): Door => ({ kind: 'ticket', httpBase, roomId, secret })
      return {
        editor: door(board.facilitatorSecret),
        participant: door(board.participantKey),
        viewer: { kind: 'viewer', httpBase, roomId },
        async setMode(mode) {
          const facilitator = await workshopMember(
            httpBase,
            roomId,
            board.facilitatorSecret,
            undefined,
          )
          try {
            const answer = await facilitator.post({ type: 'set-cursor-mode', mode })
            return answer.status === 200 ? null : `${answer.status} ${answer.error ?? ''}`.trim()
          } finally {
            // Gone before the participants come: the room's places are counted exactly.
            facilitator.socket.close()
            await facilitator.socket.closed
          }
        },
      }
    },
    pid: () => server?.pid(),
    serverProcess: 'workerd',
    log: () => server?.output() ?? '',
    stop: async () => server?.stop(),
  }
}

/** The peer every benchmark compares with: a bare `TLSocketRoom` behind a plain `ws` server. */
export async function startBareServer() {
  const script = fileURLToPath(new URL('bare-sync-server.ts', import.meta.url))
  const server = startProcess(process.execPath, ['--import', 'tsx', script], REPO_ROOT)
  const port = await new Promise<number>((resolve, reject) => {
    server.child.stdout?.on('data', (chunk: Buffer) => {
      const match = /"port":\s*(\d+)/.exec(chunk.toString())
      if (match) resolve(Number(match[1]))
    })
    void server.exited.then(() => reject(new Error(`bare server exited:\n${server.output()}`)))
  })
  return { server, port }
}

/**
 * The bare peer, a fresh process for every run: a room flooded at 200 participants may take
 * long to catch up, and must not weigh on the next run.
 */
function bareTarget(): Target {
  let current: ServerProcess | null = null
  const stop = async () => {
    if (current) await stopProcess(current)
    current = null
  }
  return {
    name: 'bare',
    description:
      'TLSocketRoom + ws, `node --import tsx bench/bare-sync-server.ts`, a new process per run',
    async newRoom() {
      await stop()
      const { server, port } = await startBareServer()
      current = server
      const url = `ws://127.0.0.1:${port}/${nanoid(22)}`
      const door: Door = { kind: 'url', url }
      return { editor: door, participant: door, viewer: door }
    },
    pid: () => current?.child.pid,
    serverProcess: 'node',
    log: () => current?.output() ?? '',
    stop,
  }
}

const pct = (share: number) => `${(share * 100).toFixed(0)} %`
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0)
const p = (h: Histogram, q: number) => (h.count ? ms(h.percentile(q)) : '–')

function modeOf(r: RunResult) {
  const seen = Object.entries(r.modes)
    .map(([mode, count]) => (Object.keys(r.modes).length > 1 ? `${mode} ×${count}` : mode))
    .join(', ')
  return r.spec.target === 'bare' ? 'n/a (bare)' : `${seen} (chosen: ${r.spec.mode})`
}

function printRun(r: RunResult) {
  const lines = [
    `  edits at participants: p50 ${p(r.moving, 50)}  p95 ${p(r.moving, 95)}  max ${p(r.moving, 100)} ms` +
      ` (${r.moving.count} samples), missing ${r.missing.measured}/${r.expected.measured};` +
      ` still room p95 ${p(r.quiet, 95)} ms, missing ${r.missing.quiet}/${r.expected.quiet}`,
    `  cursors: staleness p50 ${p(r.staleness, 50)}  p95 ${p(r.staleness, 95)} ms,` +
      ` ${r.cursorRate.toFixed(1)} updates per receiver per second; crowd mode ${modeOf(r)}` +
      (r.workshopCursors ? `; workshop view ${r.workshopCursors}` : ''),
    `  pushes answered ${r.pushes.answered}/${r.pushes.sent}` +
      (r.pushes.outOfOrder ? ` (${r.pushes.outOfOrder} out of order!)` : '') +
      `; sockets closed during the run: ${Object.keys(r.closes).length ? JSON.stringify(r.closes) : 'none'}`,
    `  load generator CPU ${pct(r.generator.cpu)} of one core; workers ` +
      r.generator.workers
        .map((w) => `${pct(w.cpu)} (loop delay p99 ${ms(w.loopP99)}, max ${ms(w.loopMax)} ms)`)
        .join(', '),
    `  server CPU while cursors moved: ${[...r.server.movingCpu]
      .filter(([, share]) => share >= 0.005)
      .map(([name, share]) => `${name} ${pct(share)}`)
      .join(
        ', ',
      )}; ${r.server.process} ${ms(r.server.cpuPerEditMs)} ms CPU per edit in the still room`,
    `  server RSS (${r.server.process}) ${mib(r.server.rssBefore)} MiB before,` +
      ` ${mib(r.server.rssConnected)} MiB connected: ${kibPerConnection(r)} KiB per connection;` +
      ` whole tree connected ${[...r.server.rssByName].map(([name, bytes]) => `${name} ${mib(bytes)}`).join(', ')} MiB,` +
      ` peak ${mib(r.server.treePeak)} MiB while cursors moved`,
  ]
  if (r.spec.viewers) {
    lines.push(
      `  viewers: edits p50 ${p(r.viewerEdits, 50)}  p95 ${p(r.viewerEdits, 95)} ms,` +
        ` missing ${r.missing.viewers}/${r.expected.viewers}`,
    )
  }
  if (r.failed.length)
    lines.push(
      `  failed to connect (${r.failed.length}): ${[...new Set(r.failed)].slice(0, 3).join('; ')}`,
    )
  console.log(lines.join('\n'))
}

/** The server process's share of one core while cursors moved. */
function serverShare(r: RunResult) {
  return r.server.movingCpu.get(r.server.process) ?? NaN
}

function kibPerConnection(r: RunResult) {
  return ((r.server.rssConnected - r.server.rssBefore) / 1024 / Math.max(1, r.connected)).toFixed(0)
}

function find(results: RunResult[], name: string, n: number) {
  return results.find((r) => r.name === name && r.spec.n === n)
}

/** The issue's table (participants | Switchback | bare | target), then every run in one table. */
function printSummary(results: RunResult[]) {
  const cell = (r: RunResult | undefined, label = '') =>
    r ? `${label}p95 ${p(r.moving, 95)} ms, ${r.missing.measured} missing` : ''
  const rows = ['| participants | Switchback | bare | target |', '|---|---|---|---|']
  for (const n of SIZES) {
    const switchback = [
      cell(find(results, 'switchback-lane', n), 'lane: '),
      cell(find(results, 'switchback-tldraw', n), 'tldraw-style: '),
    ].filter(Boolean)
    rows.push(
      `| ${n} | ${switchback.join('; ')} | ${cell(find(results, 'bare-tldraw', n))} | ${TARGETS[n] ?? ''} |`,
    )
  }
  console.log(
    `\nEdit send-to-arrival at every other participant, cursors moving:\n\n${rows.join('\n')}`,
  )

  const all = [
    '| run | N | edit p50 | p95 | max | missing | still p95 | cursor staleness p50 | p95 | cursors/s per receiver | crowd mode | generator CPU | server CPU |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|',
  ]
  for (const r of results) {
    const serverCpu = serverShare(r)
    const n = r.spec.viewers ? `${r.spec.n} + ${r.spec.viewers} viewers` : String(r.spec.n)
    all.push(
      `| ${r.name} | ${n} | ${p(r.moving, 50)} | ${p(r.moving, 95)} | ${p(r.moving, 100)} |` +
        ` ${r.missing.measured} | ${p(r.quiet, 95)} | ${p(r.staleness, 50)} | ${p(r.staleness, 95)} |` +
        ` ${r.cursorRate.toFixed(1)} | ${modeOf(r)} | ${pct(r.generator.cpu)} | ${pct(serverCpu)} |`,
    )
  }
  console.log(
    `\nEvery run (ms; CPU as a share of one core while cursors moved; server: workerd or the bare node):\n\n${all.join('\n')}`,
  )
}

/** Issue 17 item 6: server CPU per edit and memory per connection as the room grows. */
function printCosts(results: RunResult[]) {
  const sizes = COST_SIZES.filter((n) => SIZES.includes(n))
  if (sizes.length === 0) return
  const cpuShare = (r: RunResult | undefined) => (r ? pct(serverShare(r)) : '')
  const perEdit = (r: RunResult | undefined) => (r ? `${ms(r.server.cpuPerEditMs)} ms` : '')
  const perConnection = (r: RunResult | undefined) => (r ? `${kibPerConnection(r)} KiB` : '')
  const rows = [
    '| participants | CPU per edit, Switchback (lane) | tldraw-style | bare | memory per connection, Switchback (lane) | tldraw-style | bare | server CPU with cursors moving, Switchback (lane) | tldraw-style | bare |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const n of sizes) {
    const [lane, tldraw, bare] = ['switchback-lane', 'switchback-tldraw', 'bare-tldraw'].map(
      (name) => find(results, name, n),
    )
    rows.push(
      `| ${n} | ${perEdit(lane)} | ${perEdit(tldraw)} | ${perEdit(bare)} | ${perConnection(lane)}` +
        ` | ${perConnection(tldraw)} | ${perConnection(bare)} | ${cpuShare(lane)} | ${cpuShare(tldraw)}` +
        ` | ${cpuShare(bare)} |`,
    )
  }
  console.log(
    `\nCost as the room grows (the server process, workerd or the bare peer's node: its CPU` +
      ` time in the still room over its ${QUIET_EDITS} edits; its RSS with everyone connected` +
      ` minus before, over the sockets; its CPU, as a share of one core, while every cursor` +
      ` moved):\n\n${rows.join('\n')}`,
  )
}

/** Node, CPUs, OS, RAM and load: what the numbers were measured on. */
export function printMachine() {
  console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}),`)
  console.log(`${platform()} ${release()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${load()}`)
}

export function load() {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`
}

export function ms(value: number) {
  return value.toFixed(1)
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}

export async function withTimeout(promise: Promise<void>, ms: number, message: () => string) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms)
  })
  try {
    await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function listFromEnv(name: string): number[] | undefined {
  const value = process.env[name]
  if (!value) return undefined
  const list = value.split(',').map(Number)
  if (list.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new Error(`${name} must be integers >= 2 separated by commas, got "${value}"`)
  }
  return list
}
