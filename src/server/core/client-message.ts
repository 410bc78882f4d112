/**
 * A client's message as the frame guard let it through (its envelope checked), and a presence
 * record as read from one: the shape every step after the guard (limits, rules, presence, the
 * private brainstorm) works on, kept beneath them all.
 */
/** A client message as the frame guard let it through (its envelope checked). */
export type ClientMessage = {
  type: string
  presence?: unknown[]
  diff?: object
  [k: string]: unknown
}
export type PresenceRecord = Record<string, unknown>
