/**
 * The workshop as this browser sees it: the state the server sends over the board's socket
 * (step, timer, follow, ready check), the server's clock, and how this session acts (a POST
 * with the token its socket was given). Every message is checked with the protocol's schema;
 * a refused action says why in a toast. The server decides everything: nothing here is
 * trusted by it.
 */
import { toast } from 'svelte-sonner'
import { facilitationPath } from '../protocol'
import {
  facilitationMessageSchema,
  type FacilitationAction,
  type FacilitationMessage,
  type FacilitationView,
  type VoteResult,
} from '../protocol/facilitation'
import { errorMessage } from '../shared/error-message'
import { callServer } from '../shared/server-call'

export type PrivateNotesMessage = Extract<FacilitationMessage, { type: 'private-notes' }>

export interface WorkshopEvents {
  /** The facilitator brings everyone to a place (bounds) or a step's focus (a shape id). */
  onSummon(message: Extract<FacilitationMessage, { type: 'summon' }>): void
  onReaction(message: Extract<FacilitationMessage, { type: 'reaction' }>): void
}

export class Workshop {
  /** The shared state; null until the server has sent it. */
  view = $state<FacilitationView | null>(null)
  /** Every ended vote the board keeps, newest first (the server sends them on joining). */
  results = $state<VoteResult[]>([])
  /** The server has sent the results (it does on joining): an export may count on them. */
  resultsReceived = $state(false)
  /** This person's id as the server knows it (null for a nameless headless export). */
  personId = $state<string | null>(null)
  private token: string | null = null
  /** The server's clock minus ours, so a timer reads the same on every laptop. */
  private clockOffset = 0
  private name = ''

  /** Who hears of summons and reactions: the layer over the canvas, once it is there. */
  private events: WorkshopEvents | null = null
  /** Who hears of this person's hidden stickies, and what came before it listened. */
  private privateNotes: ((message: PrivateNotesMessage) => void) | null = null
  private privateInbox: PrivateNotesMessage[] = []

  constructor(private readonly roomId: string) {}

  listen(events: WorkshopEvents | null): void {
    this.events = events
  }

  /** Hands this person's hidden stickies (private-notes messages) to `listener`, or stops. */
  listenPrivateNotes(listener: ((message: PrivateNotesMessage) => void) | null): void {
    this.privateNotes = listener
    if (listener) for (const message of this.privateInbox.splice(0)) listener(message)
  }

  /** Now, on the server's clock. */
  serverNow(): number {
    return Date.now() + this.clockOffset
  }

  /** A message the board's socket carried; anything that is not ours is ignored. */
  receive(data: unknown): void {
    const parsed = facilitationMessageSchema.safeParse(data)
    if (!parsed.success) return
    const message = parsed.data
    switch (message.type) {
      case 'welcome':
        // A new socket (first connect or a reconnect) has a new token; say who we are again.
        this.token = message.token
        this.personId = message.personId
        if (this.name) void this.act({ type: 'name', name: this.name }, { quiet: true })
        return
      case 'state':
        this.clockOffset = message.serverNow - Date.now()
        this.view = message.view
        return
      case 'summon':
        this.events?.onSummon(message)
        return
      case 'reaction':
        this.events?.onReaction(message)
        return
      case 'vote-results':
        this.results = message.results
        this.resultsReceived = true
        return
      case 'private-notes':
        // The private brainstorm's (private-brainstorm.ts); kept until it listens.
        if (this.privateNotes) this.privateNotes(message)
        else this.privateInbox.push(message)
        return
    }
  }

  /** The name shown in the ready check and on reactions. */
  setName(name: string): void {
    if (name === this.name) return
    this.name = name
    if (this.token) void this.act({ type: 'name', name }, { quiet: true })
  }

  /** Sends an action; resolves to whether the server took it (a refusal is toasted). */
  async act(action: FacilitationAction, options: { quiet?: boolean } = {}): Promise<boolean> {
    const refused = await this.attempt(action)
    if (refused !== null && !options.quiet) toast.error(refused)
    return refused === null
  }

  /** Sends an action; resolves to null when the server took it, else why not (no toast). */
  async attempt(action: FacilitationAction): Promise<string | null> {
    if (!this.token) return 'Not connected to the board yet; try again in a moment.'
    try {
      await callServer(facilitationPath(this.roomId), {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}` },
        body: JSON.stringify(action),
      })
      return null
    } catch (error) {
      return errorMessage(error)
    }
  }
}
