/**
 * How the server closes a socket and what it tells a writer whose push it refused: close
 * codes, close reasons and board notices.
 */
import './zod-setup'
import { z } from 'zod'

/**
 * Reasons the server closes a socket. tldraw's client treats close code 4099 as fatal and
 * surfaces the reason; other codes make it reconnect.
 */
export const SYNC_FATAL_CLOSE_CODE = 4099
export const CLOSE_REASONS = {
  notFound: 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
  /** Every place on the board is taken, the viewers' included. */
  boardFull: 'BOARD_FULL',
  /** The editors' places are taken; the view-only link still has room. */
  boardFullForEditors: 'BOARD_FULL_VIEW_ONLY_OPEN',
  /** Too many sockets from this client's address. */
  tooManyFromAddress: 'TOO_MANY_FROM_ADDRESS',
} as const
/** A socket that sends faster than its budget, after its queue has filled (it may reconnect). */
export const TOO_FAST_CLOSE_CODE = 4008

/**
 * Custom messages the server sends a client over the sync socket (tldraw's `custom` event):
 * a push refused because the board is at its size limits, or because it would change what a
 * frozen frame holds or someone else's hidden sticky, said to the writer as a toast.
 */
export const boardNoticeSchema = z.strictObject({
  /**
   * `frozen`: a write into a frozen frame; `private-brainstorm`: an edit of someone's hidden
   * sticky, or past the hidden-sticky cap; `invalid-record`: a record whose rich text or meta
   * the board does not take (src/board/record-content.ts).
   */
  kind: z.enum(['board-limit', 'frozen', 'private-brainstorm', 'invalid-record']),
  message: z.string(),
})
/** What a participant is told when a write into a frozen frame is refused. */
export const FROZEN_NOTICE =
  'This frame is frozen: the facilitator has to unfreeze it before it can change.'
export type BoardNotice = z.infer<typeof boardNoticeSchema>
/** A bad frame closes only that socket, with policy-violation / too-big codes. */
export const BAD_FRAME_CLOSE_CODE = 1008
export const FRAME_TOO_BIG_CLOSE_CODE = 1009
