/**
 * CPU time and memory of a server under benchmark, read from Linux's /proc: the process a
 * benchmark started and everything it spawned (`partykit dev` runs the board in a `workerd`
 * child; the bare peer is one Node process), by command name, so a report can say which
 * process did the work. And the CPU time of the calling thread, for a worker thread of the
 * load generator (process.cpuUsage() counts every thread of the process).
 */
import { readFileSync, readdirSync } from 'node:fs'

/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100

export interface ProcessUsage {
  pid: number
  name: string
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number
  rssBytes: number
}

interface Stat {
  pid: number
  ppid: number
  name: string
  cpuSeconds: number
}

function readStat(path: string): Stat | null {
  try {
    const stat = readFileSync(path, 'utf8')
    const close = stat.lastIndexOf(')')
    // Fields after the name, from field 3 (state): ppid is field 4, utime 14, stime 15.
    const fields = stat.slice(close + 2).split(' ')
    return {
      pid: Number(stat.slice(0, stat.indexOf(' '))),
      ppid: Number(fields[1]),
      name: stat.slice(stat.indexOf('(') + 1, close),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    }
  } catch {
    return null // the process (or thread) ended meanwhile
  }
}

function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

/** `root` and its descendants, each with its CPU time so far and its RSS now. */
export function processTree(root: number | undefined): ProcessUsage[] {
  if (root === undefined) return []
  const stats = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(`/proc/${entry}/stat`))
    .filter((stat): stat is Stat => stat !== null)
  const children = new Map<number, Stat[]>()
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat])
  const tree: ProcessUsage[] = []
  const rootStat = stats.find((stat) => stat.pid === root)
  const queue = rootStat ? [rootStat] : []
  for (let next = queue.shift(); next; next = queue.shift()) {
    tree.push({ ...next, rssBytes: readRss(next.pid) })
    queue.push(...(children.get(next.pid) ?? []))
  }
  return tree
}

/** CPU seconds each command name used between two readings of the same tree. */
export function cpuByName(before: ProcessUsage[], after: ProcessUsage[]): Map<string, number> {
  const earlier = new Map(before.map((p) => [p.pid, p.cpuSeconds]))
  const byName = new Map<string, number>()
  for (const p of after) {
    const used = p.cpuSeconds - (earlier.get(p.pid) ?? 0)
    byName.set(p.name, (byName.get(p.name) ?? 0) + used)
  }
  return byName
}

/** RSS by command name. */
export function rssByName(tree: ProcessUsage[]): Map<string, number> {
  const byName = new Map<string, number>()
  for (const p of tree) byName.set(p.name, (byName.get(p.name) ?? 0) + p.rssBytes)
  return byName
}

/** CPU seconds the calling thread has used (a worker thread's own share). */
export function threadCpuSeconds(): number {
  return readStat('/proc/thread-self/stat')?.cpuSeconds ?? NaN
}
