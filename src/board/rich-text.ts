/**
 * Rich text (tldraw's TipTap documents) read back as plain text without tldraw's runtime, so
 * code outside the canvas (Save as template, vote results, tests) can read a shape's words.
 *
 * The reader is total: it takes any JSON (a record stored before the server checked rich
 * text, or loaded from an old backup) and never throws. It keeps its own stack (no recursion
 * into a value nested thousands deep), skips what is not a node, and stops at a bound, so a
 * vote or a repair over a malformed sticky still gets whatever words it holds.
 */
import type { TLRichText } from '@tldraw/tlschema'

/** Characters of text read at most, and nodes visited at most (a sticky holds far fewer). */
const MAX_TEXT_CHARS = 100_000
const MAX_NODES = 100_000

/** The plain text of a TipTap document, one line per top-level block (for saving a board back). */
export function fromRichText(richText: TLRichText | unknown): string {
  const blocks = contentOf(richText)
  if (!blocks) return ''
  const lines: string[] = []
  let chars = 0
  let nodes = 0
  for (const block of blocks) {
    if (chars >= MAX_TEXT_CHARS || nodes >= MAX_NODES) break
    let line = ''
    // Depth first, children in order: the stack holds them last to first.
    const stack: unknown[] = [block]
    while (stack.length > 0 && nodes < MAX_NODES && chars + line.length < MAX_TEXT_CHARS) {
      const node = stack.pop()
      nodes++
      if (!node || typeof node !== 'object') continue
      const text = (node as { text?: unknown }).text
      if (typeof text === 'string') line += text
      const children = contentOf(node)
      if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
    }
    chars += line.length
    lines.push(line)
  }
  return lines.join('\n').slice(0, MAX_TEXT_CHARS)
}

/** A node's `content` when it is an array, else null. */
function contentOf(node: unknown): readonly unknown[] | null {
  if (!node || typeof node !== 'object') return null
  const content = (node as { content?: unknown }).content
  return Array.isArray(content) ? content : null
}

/** Plain text as a document: one paragraph a line, as tldraw's `toRichText` makes it. */
export function plainRichText(text: string): TLRichText {
  return {
    type: 'doc',
    content: text
      .split('\n')
      .map((line) =>
        line
          ? { type: 'paragraph', content: [{ type: 'text', text: line }] }
          : { type: 'paragraph' },
      ),
  }
}
