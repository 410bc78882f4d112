/**
 * The free-form JSON in a board's records, checked and repaired. tldraw's record schema pins
 * down most props (numbers, colours, ids), but leaves two open: every record's `meta` (any
 * JSON) and the rich text of notes, texts, geo shapes and arrow labels (any `{ type, content }`).
 * What a client cannot read there breaks the canvas for everyone who opens the board, and
 * what is nested too deep breaks the server's own JSON handling; so:
 *
 * - `recordContentProblem` says why a record may not be written (the server's record rules
 *   refuse it, with that reason to the writer);
 * - `repairedRecord` makes a record already held (stored before the check, or in a backup
 *   being restored) one that renders: bad rich text becomes the plain text that can be read
 *   from it, bad meta is dropped but for Switchback's own part when that part is sound.
 */
import { META_KEY } from './shape-meta'
import { RECORD_RULES } from '../protocol'
import { jsonProblem } from './json-bounds'
import { fromRichText, plainRichText } from './rich-text'
import { richTextProblem } from './rich-text-schema'

/** A record as stored: enough of tldraw's shape to find its free-form parts. */
interface LooseRecord {
  id?: unknown
  typeName?: unknown
  meta?: unknown
  props?: unknown
}

/** So the repaired text itself is well within the rich-text bounds. */
const MAX_RECOVERED_CHARS = 20_000
const MAX_RECOVERED_LINES = 200

const META_BOUNDS = { maxDepth: RECORD_RULES.maxMetaDepth, maxChars: RECORD_RULES.maxMetaChars }

/** Why this record may not be written ("its meta …", "its text …"); null when it may. */
export function recordContentProblem(record: LooseRecord): string | null {
  const meta = jsonProblem(record.meta ?? {}, META_BOUNDS)
  if (meta) return `its meta ${meta}`
  const richText = richTextOf(record)
  return richText === undefined ? null : richTextProblem(richText)
}

/** The record as it may stay on the board, and whether anything had to change. */
export function repairedRecord<R extends LooseRecord>(record: R): { record: R; repaired: boolean } {
  let next = record
  if (jsonProblem(record.meta ?? {}, META_BOUNDS)) {
    const own = (record.meta as Record<string, unknown> | null | undefined)?.[META_KEY]
    const keep = own !== undefined && !jsonProblem({ [META_KEY]: own }, META_BOUNDS)
    next = { ...next, meta: keep ? { [META_KEY]: own } : {} }
  }
  const richText = richTextOf(record)
  if (richText !== undefined && richTextProblem(richText)) {
    const props = record.props as Record<string, unknown>
    next = { ...next, props: { ...props, richText: plainRichText(recoverable(richText)) } }
  }
  return { record: next, repaired: next !== record }
}

/** Text kept from bad rich text: the words, within what a sticky's text may hold. */
function recoverable(richText: unknown): string {
  const lines = fromRichText(richText).slice(0, MAX_RECOVERED_CHARS).split('\n')
  if (lines.length <= MAX_RECOVERED_LINES) return lines.join('\n')
  const head = lines.slice(0, MAX_RECOVERED_LINES - 1)
  return [...head, lines.slice(MAX_RECOVERED_LINES - 1).join(' ')].join('\n')
}

/** The rich text a shape carries in its props (any shape type that has one), or undefined. */
function richTextOf(record: LooseRecord): unknown {
  if (record.typeName !== 'shape') return undefined
  const props = record.props
  if (!props || typeof props !== 'object' || !('richText' in props)) return undefined
  return (props as { richText: unknown }).richText
}
