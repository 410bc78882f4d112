/**
 * One socket's budget of frames and bytes per second (ROOM_LIMITS), so that a client sending
 * faster than any real one slows only itself. Two token buckets, full at first: within them a
 * frame is handed on at once; over them it waits in a short queue and leaves as the buckets
 * refill (the socket is slowed); once the queue is full, the socket is closed with a reason.
 * Frames are never dropped: tldraw's client expects an answer to every push, in order.
 */
import { ROOM_LIMITS } from '../../protocol'

export interface BudgetLimits {
  framesPerSecond: number
  frameBurst: number
  bytesPerSecond: number
  byteBurst: number
  maxQueuedFrames: number
  maxQueuedBytes: number
}

export class SocketBudget<F> {
  private frames: number
  private bytes: number
  private refilledAt: number
  private readonly queue: { frame: F; size: number }[] = []
  private queuedBytes = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  /** Whether this socket has been slowed before: it is logged once, not per frame. */
  private warned = false

  constructor(
    /** Hands a frame on, in the order it came. */
    private readonly deliver: (frame: F) => void,
    /** The queue is full: close the socket, saying why. The budget takes nothing after. */
    private readonly overBudget: (reason: string) => void,
    private readonly limits: BudgetLimits = ROOM_LIMITS,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.frames = limits.frameBurst
    this.bytes = limits.byteBurst
    this.refilledAt = now()
  }

  /** Frames waiting for budget, and their bytes (for tests and memory accounting). */
  get queued(): { frames: number; bytes: number } {
    return { frames: this.queue.length, bytes: this.queuedBytes }
  }

  /** One frame of `size` bytes from the socket: handed on now, later, or the socket closed. */
  offer(frame: F, size: number): void {
    if (this.closed) return
    if (this.queue.length === 0 && this.take(size)) {
      this.deliver(frame)
      return
    }
    this.queue.push({ frame, size })
    this.queuedBytes += size
    const { maxQueuedFrames, maxQueuedBytes } = this.limits
    if (this.queue.length > maxQueuedFrames || this.queuedBytes > maxQueuedBytes) {
      this.dispose()
      this.overBudget(
        `Sending too fast: over ${this.limits.framesPerSecond} frames or ` +
          `${Math.round(this.limits.bytesPerSecond / 1024)} KiB a second.`,
      )
      return
    }
    if (!this.warned) {
      this.warned = true
      console.warn('a socket is over its frame budget; its frames are being slowed')
    }
    this.schedule()
  }

  /** Drops the queue and the timer (the socket closed). */
  dispose(): void {
    this.closed = true
    this.queue.length = 0
    this.queuedBytes = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private refill() {
    const now = this.now()
    const seconds = Math.max(0, now - this.refilledAt) / 1000
    this.refilledAt = now
    this.frames = Math.min(
      this.limits.frameBurst,
      this.frames + seconds * this.limits.framesPerSecond,
    )
    this.bytes = Math.min(this.limits.byteBurst, this.bytes + seconds * this.limits.bytesPerSecond)
  }

  private take(size: number): boolean {
    this.refill()
    if (this.frames < 1 || this.bytes < size) return false
    this.frames -= 1
    this.bytes -= size
    return true
  }

  /** Releases what the buckets allow, then waits for the head of the queue to fit. */
  private drain = () => {
    this.timer = null
    while (!this.closed && this.queue.length > 0 && this.take(this.queue[0].size)) {
      const { frame, size } = this.queue.shift()!
      this.queuedBytes -= size
      this.deliver(frame)
    }
    if (!this.closed && this.queue.length > 0) this.schedule()
  }

  private schedule() {
    if (this.timer) return
    const head = this.queue[0].size
    const waitFrames = Math.max(0, 1 - this.frames) / this.limits.framesPerSecond
    const waitBytes = Math.max(0, head - this.bytes) / this.limits.bytesPerSecond
    this.timer = setTimeout(this.drain, Math.ceil(1000 * Math.max(waitFrames, waitBytes)))
  }
}
