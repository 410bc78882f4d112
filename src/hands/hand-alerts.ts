/**
 * Which hands are new since the facilitator's queue was last seen, so each raise is announced
 * once (a toast, a soft chime). The queue as it stood when the page opened is not news: a
 * reload does not replay every hand already up.
 */
import type { RaisedHand } from '../protocol/big-rooms'

export class HandAlerts {
  private seen: Set<string> | null = null

  /** The hands in `queue` not up the last time (none, the first time), in queue order. */
  fresh(queue: readonly RaisedHand[]): RaisedHand[] {
    const before = this.seen
    this.seen = new Set(queue.map((hand) => hand.personId))
    return before === null ? [] : queue.filter((hand) => !before.has(hand.personId))
  }
}
