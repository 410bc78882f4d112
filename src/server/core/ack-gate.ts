/**
 * Holds the room's outgoing messages until the storage writes before them are durable.
 *
 * tldraw's sync room acknowledges a push (and broadcasts it) synchronously, in the same call
 * that commits it in memory. If those messages left at once, a crash before the write landed
 * would lose an edit the client had been told was saved, and the client would drop its copy.
 * So every message is tagged with the last write issued when it was sent, and released only
 * once that write has completed. Writes complete in the order they were issued.
 */
export class AckGate {
  private issued = 0
  private durable = 0
  private inFlight = 0
  private tail: Promise<void> = Promise.resolve()
  private queue: { after: number; deliver: () => void }[] = []

  constructor(private readonly onWriteFailed: (error: unknown) => void) {}

  /**
   * Runs `handle` (which may send), then `persist` (which returns the write for whatever
   * `handle` changed, or null). What `handle` sent leaves once that write is durable.
   */
  process(handle: () => void, persist: () => Promise<void> | null): void {
    const seq = ++this.issued
    let write: Promise<void> | null
    try {
      handle()
    } finally {
      write = persist()
    }
    if (!write && this.inFlight === 0) {
      this.markDurable(seq)
      return
    }
    this.inFlight++
    const pending = write ?? Promise.resolve()
    this.tail = this.tail
      .then(() => pending)
      .then(
        () => {
          this.inFlight--
          this.markDurable(seq)
        },
        (error: unknown) => {
          this.inFlight--
          // Nothing queued may leave: it would acknowledge what was not saved.
          this.queue = []
          this.onWriteFailed(error)
        },
      )
  }

  send(deliver: () => void): void {
    if (this.queue.length === 0 && this.durable >= this.issued) deliver()
    else this.queue.push({ after: this.issued, deliver })
  }

  /** Resolves when everything issued so far is durable (for tests and shutdown). */
  settled(): Promise<void> {
    return this.tail
  }

  private markDurable(seq: number) {
    this.durable = Math.max(this.durable, seq)
    let released = 0
    while (released < this.queue.length && this.queue[released].after <= this.durable) {
      this.queue[released++].deliver()
    }
    if (released > 0) this.queue.splice(0, released)
  }
}
