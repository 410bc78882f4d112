/**
 * Which painter draws which shape kind in the fast image path. A kind missing here (or a
 * painter returning false) is drawn by tldraw's `toImage` instead, so adding a painter can
 * only make an export faster, never drop a shape. One line per kind, each painter in its own
 * `paint-<kind>.ts`.
 */
import type { TLShape } from 'tldraw'
import type { PaintContext, Painter } from './paint-context'
import { paintNote, prepareNotes } from './paint-note'

export const PAINTERS: Partial<Record<string, Painter>> = {
  note: paintNote as Painter,
}

/**
 * Work a kind needs done for all its shapes before any is painted (painters are synchronous):
 * laying every label out in one layout of the page, decoding images.
 */
export const PREPARERS: Partial<
  Record<string, (shapes: readonly TLShape[], pc: PaintContext) => Promise<void>>
> = {
  note: prepareNotes as (shapes: readonly TLShape[], pc: PaintContext) => Promise<void>,
}
