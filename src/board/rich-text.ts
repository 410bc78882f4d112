/**
 * Rich text (tldraw's TipTap documents) read back as plain text without tldraw's runtime, so
 * code outside the canvas (Save as template, tests) can read a shape's words.
 */
import type { TLRichText } from '@tldraw/tlschema'

/** The plain text of a TipTap document, one line per paragraph (for saving a board back). */
export function fromRichText(richText: TLRichText | undefined): string {
  const walk = (node: { text?: string; content?: unknown[] }): string =>
    node.text ?? (node.content ?? []).map((n) => walk(n as typeof node)).join('')
  return (richText?.content ?? []).map((p) => walk(p as { content?: unknown[] })).join('\n')
}
