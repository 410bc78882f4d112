/**
 * Paces the workshop state sent to each session, so that what a session is sent does not grow
 * with how fast others act. Any session (a viewer included) may post a few actions a second,
 * and a room holds up to a hundred sessions: if every accepted action sent the state to every
 * session at once, twenty scripts would make thousands of messages a second. Here each session
 * may be sent a short burst of states at once (a facilitator's clicks land without delay), then
 * at most one every `intervalMs`; a state asked for in between is sent when the window ends,
 * and it is the latest one (the view is made at sending time), so the last change is never
 * dropped, only coalesced with the ones before it.
 *
 * The pacer knows nothing of views: `send(sessionId)` makes and sends one (or finds it has not
 * changed and sends nothing, returning false, which costs the session no allowance).
 */

export interface PacerOptions {
  /** States a session may be sent at once before the pace applies. */
  burst: number
  /** Then at most one state per session in this long. */
  intervalMs: number
  now(): number
  /** Runs `task` in `ms` (setTimeout; a test passes its own clock). */
  later(task: () => void, ms: number): void
  /** Makes and sends the session's state now; false when it had nothing new to send. */
  send(sessionId: string): boolean
}

interface Allowance {
  tokens: number
  at: number
  /** A state was asked for while the session had no allowance: it goes when the window ends. */
  pending: boolean
}

export class StatePacer {
  private readonly sessions = new Map<string, Allowance>()
  private flushScheduled = false

  constructor(private readonly options: PacerOptions) {}

  /** The session's state may have changed: send it now if its allowance lets, else soon. */
  offer(sessionId: string): void {
    const allowance = this.allowance(sessionId)
    if (allowance.pending) return
    this.refill(allowance)
    if (allowance.tokens >= 1) {
      if (this.options.send(sessionId)) allowance.tokens -= 1
      return
    }
    allowance.pending = true
    this.schedule()
  }

  /**
   * Sends the session's state now, whatever its allowance (its own action's answer, its first
   * state, or a message that must follow the state it changed): still counted, so it is never
   * also sent a moment later for the same change.
   */
  now(sessionId: string): void {
    const allowance = this.allowance(sessionId)
    this.refill(allowance)
    allowance.pending = false
    if (this.options.send(sessionId)) allowance.tokens = Math.max(0, allowance.tokens - 1)
  }

  /** Sends every state still waiting, now (before a message that must come after them). */
  flush(): void {
    for (const [sessionId, allowance] of this.sessions) {
      if (allowance.pending) this.now(sessionId)
    }
  }

  leave(sessionId: string): void {
    this.sessions.delete(sessionId)
  }

  /** Sessions with a state waiting (tests). */
  get waiting(): number {
    return [...this.sessions.values()].filter((a) => a.pending).length
  }

  private allowance(sessionId: string): Allowance {
    let allowance = this.sessions.get(sessionId)
    if (!allowance) {
      allowance = { tokens: this.options.burst, at: this.options.now(), pending: false }
      this.sessions.set(sessionId, allowance)
    }
    return allowance
  }

  private refill(allowance: Allowance) {
    const now = this.options.now()
    const earned = Math.max(0, now - allowance.at) / this.options.intervalMs
    allowance.tokens = Math.min(this.options.burst, allowance.tokens + earned)
    allowance.at = now
  }

  /** One timer for the whole hub: when it fires, every waiting session gets its latest state. */
  private schedule() {
    if (this.flushScheduled) return
    this.flushScheduled = true
    this.options.later(() => {
      this.flushScheduled = false
      for (const [sessionId, allowance] of this.sessions) {
        if (!allowance.pending) continue
        allowance.pending = false
        // The window it waited for is its allowance: it starts the next one empty.
        this.options.send(sessionId)
        allowance.tokens = 0
        allowance.at = this.options.now()
      }
    }, this.options.intervalMs)
  }
}
