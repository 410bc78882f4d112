/**
 * The document schema of tldraw's text editor, for checking rich text where tldraw's UI is
 * not loaded (the server runs in workerd: no React, no `tldraw` package). tldraw's record
 * schema takes any `{ type, content: [...] }` as rich text, but its editor builds a
 * ProseMirror document from it to draw or measure a shape, and throws on one that does not
 * fit: a `null` node, an unknown type, `content` that is not an array, a bad mark. One such
 * record on a board took every browser's canvas down, so the server refuses it (roles.ts,
 * through record-content.ts) and repairs one it already holds.
 *
 * The schema is built from the same TipTap extensions, configured as tldraw 5.4's
 * `tipTapDefaultExtensions` configures them (StarterKit without blockquote, code block and
 * horizontal rule; Highlight before the other marks; a code mark that other marks may join;
 * text direction on every block). Only extensions that add nodes, marks or attributes are
 * here; keyboard and cursor plugins change nothing a document may hold. A unit test builds
 * tldraw's own schema and checks this one matches it, node for node and mark for mark.
 */
import { extensions as coreExtensions, getSchema } from '@tiptap/core'
import { Node, type Schema } from '@tiptap/pm/model'
import { Bold } from '@tiptap/extension-bold'
import { Code } from '@tiptap/extension-code'
import { Document } from '@tiptap/extension-document'
import { HardBreak } from '@tiptap/extension-hard-break'
import { Heading } from '@tiptap/extension-heading'
import { Highlight } from '@tiptap/extension-highlight'
import { Italic } from '@tiptap/extension-italic'
import { Link } from '@tiptap/extension-link'
import { BulletList, ListItem, OrderedList } from '@tiptap/extension-list'
import { Paragraph } from '@tiptap/extension-paragraph'
import { Strike } from '@tiptap/extension-strike'
import { Text } from '@tiptap/extension-text'
import { Underline } from '@tiptap/extension-underline'
import { RECORD_RULES } from '../protocol'
import { jsonProblem } from './json-bounds'

/**
 * In StarterKit's order (marks of equal priority rank in the order they are listed, and a
 * node's marks must be in rank order). tldraw lets code join other marks (it clears the code
 * mark's "excludes everything"); excluding only itself is ProseMirror's default, said here
 * explicitly because TipTap reads an empty setting as "take the parent's".
 */
const schemaExtensions = [
  Bold,
  BulletList,
  Code.extend({ excludes: 'code' }),
  Document,
  HardBreak,
  Heading,
  Italic,
  ListItem,
  Link.configure({ openOnClick: false, autolink: true }),
  OrderedList,
  Paragraph,
  Strike,
  Text,
  Underline,
  Highlight.extend({ priority: 1100 }),
  coreExtensions.TextDirection.configure({ direction: 'auto' }),
]

let built: Schema | null = null

/** The schema, built on first use (a few milliseconds, once per server instance). */
export function richTextSchema(): Schema {
  built ??= getSchema(schemaExtensions)
  return built
}

/** Schemes a link in rich text may use: what a browser opens without running anything. */
const LINK_SCHEMES = ['http', 'https', 'mailto', 'tel']

/**
 * What is wrong with this rich text ("its text …", for the writer's notice), or null when
 * tldraw's editor can build, draw and edit it. Bounded first (depth, size), so nothing below
 * recurses into a value too deep for the stack; then ProseMirror's own reading and `check()`
 * (content and marks where the schema allows them), attribute values, and link targets.
 */
export function richTextProblem(value: unknown): string | null {
  const { maxRichTextDepth, maxRichTextChars } = RECORD_RULES
  // A node is two JSON levels (the node, its content array).
  const bounded = jsonProblem(value, { maxDepth: maxRichTextDepth * 2, maxChars: maxRichTextChars })
  if (bounded) return `its text ${bounded}`
  const schema = richTextSchema()
  if ((value as { type?: unknown } | null)?.type !== schema.topNodeType.name) {
    return 'its text is not a document'
  }
  let doc: Node
  try {
    doc = Node.fromJSON(schema, value)
  } catch (error) {
    return `its text is not one the editor can read (${reason(error)})`
  }
  // tldraw draws an empty document (no paragraph) as empty text; the schema would want one.
  if (doc.childCount > 0) {
    try {
      doc.check()
    } catch (error) {
      return `its text is not one the editor can read (${reason(error)})`
    }
  }
  return attributeProblem(doc)
}

/** Attributes hold what their extension expects: ProseMirror itself does not check values. */
function attributeProblem(doc: Node): string | null {
  let problem: string | null = null
  const check = (attrs: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && typeof value === 'object')
        problem ??= `attribute ${name} is not a value`
    }
  }
  doc.descendants((node) => {
    if (problem) return false
    check(node.attrs)
    if (node.type.name === 'heading' && ![1, 2, 3, 4, 5, 6].includes(node.attrs.level as number)) {
      problem = 'a heading level is not 1 to 6'
    }
    if (node.type.name === 'orderedList' && !Number.isSafeInteger(node.attrs.start)) {
      problem = 'a numbered list does not start at a whole number'
    }
    for (const mark of node.marks) {
      check(mark.attrs)
      if (mark.type.name === 'link' && !linkAllowed(mark.attrs.href)) {
        problem = 'a link goes somewhere a browser should not open'
      }
    }
    return true
  })
  return problem ? `its text is not one the editor can read (${problem})` : null
}

/** A link with no scheme (relative), or one of LINK_SCHEMES. */
function linkAllowed(href: unknown): boolean {
  if (href === null || href === '') return true
  if (typeof href !== 'string') return false
  // What a browser would read as the scheme: letters before a colon, ignoring what it ignores.
  // eslint-disable-next-line no-control-regex
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(/[\u0000-\u0020]/g, ''))
  return !scheme || LINK_SCHEMES.includes(scheme[1].toLowerCase())
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.length > 120 ? `${message.slice(0, 117)}...` : message
}
