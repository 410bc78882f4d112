/**
 * The sync room's log, kept readable under attack. tldraw's room reports every refused write
 * (a rule's veto, a record its schema rejects) with the error object, which the console prints
 * as a stack trace, once per frame. Here each refusal is one line, and past a budget per
 * window the rest are only counted, then summarised in one line with the next line after the
 * window ends: a socket sending a thousand bad pushes a second costs the log a few lines a
 * window, not megabytes.
 */
import type { TLSyncLog } from '@tldraw/sync-core'

/** Lines printed per window before the rest are only counted; a server setting, not protocol. */
export const REFUSAL_LOG_BUDGET = 20
export const REFUSAL_LOG_WINDOW_MS = 10_000
/** A line quotes at most this much of what it reports (a client's record may be huge). */
const MAX_LINE_CHARS = 300

export type LogLine = (line: string) => void

export class RefusalLog implements TLSyncLog {
  private printed = 0
  private dropped = 0
  private windowStart = 0

  constructor(
    private readonly label: string,
    private readonly print: LogLine = (line) => console.warn(line),
    private readonly now: () => number = Date.now,
  ) {}

  warn(...args: unknown[]): void {
    this.line('refused', args)
  }

  error(...args: unknown[]): void {
    this.line('error', args)
  }

  /** Prints the summary of a window that has ended, if it dropped anything. */
  flush(): void {
    if (this.dropped > 0) {
      this.print(
        `${this.label} ${this.dropped} more refusals in the last ${REFUSAL_LOG_WINDOW_MS / 1000} s (not shown)`,
      )
    }
    this.printed = 0
    this.dropped = 0
    this.windowStart = this.now()
  }

  private line(kind: string, args: unknown[]) {
    if (this.now() - this.windowStart >= REFUSAL_LOG_WINDOW_MS) this.flush()
    if (this.printed >= REFUSAL_LOG_BUDGET) {
      this.dropped++
      return
    }
    this.printed++
    const text = args.map(describe).join(' ').replace(/\s+/g, ' ')
    this.print(`${this.label} ${kind}: ${text.slice(0, MAX_LINE_CHARS)}`)
  }
}

/** An error by its name and message only (no stack); anything else as text. */
function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
