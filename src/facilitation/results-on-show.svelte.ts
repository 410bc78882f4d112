/**
 * Which vote result's counts the stickies show, for this person: by default the newest (and
 * always the newest right after a vote ends), another one they picked in the results panel,
 * or none ("Hide counts"). The choice is remembered per board in this browser; the headless
 * exporter remembers nothing, so it always shows the newest result's counts.
 *
 * While a vote is under way no result shows: its counts would read as the running vote's.
 *
 * It also tells the board page when a vote has just ended, so the results panel opens for
 * everyone: the newest result ended after this page joined (on the server's clock), which a
 * result sent on joining, or sent again on a reconnect, has not.
 */
import { z } from 'zod'
import type { VoteResult } from '../protocol/facilitation'
import { readLocal, writeLocal } from '../shared/local-store'
import type { Workshop } from './workshop.svelte'

const choiceSchema = z.union([
  z.strictObject({ kind: z.literal('newest') }),
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('result'), id: z.string().max(100) }),
])
type Choice = z.infer<typeof choiceSchema>

const NEWEST: Choice = { kind: 'newest' }

export class ResultsOnShow {
  private choice = $state<Choice>(NEWEST)
  /** When this page first had the workshop's state, on the server's clock. */
  private joinedAt: number | null = null
  /** The newest result this page has seen (announced or not). */
  private seen: string | null = null
  private readonly storageKey: string

  /** The result whose counts the stickies show; null for none. */
  readonly shown: VoteResult | null = $derived.by(() => {
    const results = this.workshop.results
    if (this.workshop.view?.vote) return null
    const choice = this.choice
    if (choice.kind === 'none') return null
    if (choice.kind === 'result') {
      const picked = results.find((r) => r.id === choice.id)
      if (picked) return picked
    }
    return results[0] ?? null
  })

  /** A vote is under way: its counts, not a result's, are what matter now. */
  readonly paused: boolean = $derived.by(() => this.workshop.view?.vote != null)

  constructor(
    private readonly workshop: Workshop,
    roomId: string,
    /** False for the headless exporter: it keeps nothing in the browser. */
    private readonly remember: boolean,
  ) {
    this.storageKey = `switchback:vote-results:${roomId}`
    if (remember) this.choice = readLocal(this.storageKey, choiceSchema, NEWEST)
  }

  show(id: string): void {
    this.choose(this.workshop.results[0]?.id === id ? NEWEST : { kind: 'result', id })
  }

  hide(): void {
    this.choose({ kind: 'none' })
  }

  /**
   * Call from an effect: true once for each vote that ends while this page is open (its
   * result is then the one on show).
   */
  checkEnded(): boolean {
    if (this.workshop.view && this.joinedAt === null) this.joinedAt = this.workshop.serverNow()
    const newest = this.workshop.results[0]
    if (!newest || newest.id === this.seen) return false
    this.seen = newest.id
    if (this.joinedAt === null || newest.endedAt < this.joinedAt) return false
    this.choose(NEWEST)
    return true
  }

  private choose(choice: Choice): void {
    this.choice = choice
    if (this.remember) writeLocal(this.storageKey, choice)
  }
}
