/**
 * The server's rich-text check (src/board/rich-text-schema.ts) against tldraw's own editor
 * schema: the same nodes and marks, everything tldraw's editor and toolbar make accepted, each
 * malformed kind refused with a reason; the record-level bounds and repair; a total reader.
 * Loading tldraw here changes TipTap's shared code and highlight marks, so what the server's
 * schema must say itself about those is checked in rich-text-schema-alone.test.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getSchema } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import { tipTapDefaultExtensions, toRichText } from 'tldraw'
import { RECORD_RULES } from '../../src/protocol'
import { recordContentProblem, repairedRecord } from '../../src/board/record-content'
import { fromRichText } from '../../src/board/rich-text'
import { richTextProblem, richTextSchema } from '../../src/board/rich-text-schema'
import { note } from '../support/raw-records'

/** Rich text nested `depth` paragraphs deep (invalid, but first of all too deep to walk). */
function deep(depth: number): unknown {
  let node: unknown = { type: 'text', text: 'bottom' }
  for (let i = 0; i < depth; i++) node = { type: 'paragraph', content: [node] }
  return { type: 'doc', content: [node] }
}

/** What a schema is, as the editor uses it: nodes and marks in rank order, with their rules. */
function describeSchema(schema: Schema) {
  return {
    nodes: Object.values(schema.nodes).map((n) => ({
      name: n.name,
      content: n.spec.content ?? null,
      group: n.spec.group ?? null,
      inline: n.isInline,
      marks: n.spec.marks ?? null,
      attrs: Object.entries(n.spec.attrs ?? {}).map(([k, v]) => [k, v.default]),
    })),
    marks: Object.values(schema.marks).map((m) => ({
      name: m.name,
      excludes: Object.values(schema.marks)
        .filter((other) => m.excludes(other))
        .map((other) => other.name),
      inclusive: m.spec.inclusive ?? true,
      attrs: Object.entries(m.spec.attrs ?? {}).map(([k, v]) => [k, v.default]),
    })),
    top: schema.topNodeType.name,
  }
}

const tldrawSchema = getSchema(tipTapDefaultExtensions)

/** Documents as tldraw's editor makes them: built with tldraw's own schema and checked by it. */
function editorDocs(): unknown[] {
  const s = tldrawSchema
  const t = (text: string, ...marks: string[]) =>
    s.text(
      text,
      marks.map((m) =>
        m === 'link' ? s.marks.link.create({ href: 'https://example.com' }) : s.marks[m].create(),
      ),
    )
  const p = (...content: ReturnType<typeof t>[]) => s.node('paragraph', { dir: 'auto' }, content)
  const item = (...content: ReturnType<typeof s.node>[]) => s.node('listItem', null, content)
  const docs = [
    s.node('doc', null, [
      p(t('plain '), t('bold', 'bold'), t('italic', 'italic'), t('both', 'bold', 'italic')),
      p(t('code', 'code'), t('bold code', 'bold', 'code'), t('marked', 'highlight')),
      p(t('a link', 'link'), t('struck', 'strike'), t('under', 'underline')),
      p(t('all', 'highlight', 'link', 'bold', 'code', 'italic', 'strike', 'underline')),
      p(t('line'), s.node('hardBreak'), t('break')),
      s.node('heading', { level: 1 }, [t('Title')]),
      s.node('heading', { level: 3 }, [t('Sub')]),
      s.node('bulletList', null, [
        item(p(t('one'))),
        item(p(t('two')), s.node('bulletList', null, [item(p(t('nested')))])),
      ]),
      s.node('orderedList', { start: 3 }, [item(p(t('three')))]),
      p(),
    ]),
  ]
  for (const doc of docs) doc.check()
  return [
    ...docs.map((d) => d.toJSON()),
    toRichText(''),
    toRichText('Hello\n\nWorld'),
    toRichText('x'.repeat(10_000)),
    // The empty document the app's own tests and older boards hold.
    { type: 'doc', content: [] },
  ]
}

describe('the server’s rich-text schema', () => {
  it('is tldraw’s editor schema, node for node and mark for mark', () => {
    expect(describeSchema(richTextSchema())).toEqual(describeSchema(tldrawSchema))
  })

  it('accepts what tldraw’s editor and toolbar make', () => {
    for (const doc of editorDocs()) expect(richTextProblem(doc)).toBeNull()
  })

  it('accepts lists nested as deep as the bound allows', () => {
    let list: unknown = { type: 'paragraph', content: [{ type: 'text', text: 'deep' }] }
    const levels = Math.floor((RECORD_RULES.maxRichTextDepth - 3) / 2)
    for (let i = 0; i < levels; i++) {
      list = {
        type: 'bulletList',
        content: [{ type: 'listItem', content: [{ type: 'paragraph' }, list] }],
      }
    }
    expect(richTextProblem({ type: 'doc', content: [list] })).toBeNull()
  })

  const text = (t: unknown, marks?: unknown) => ({
    type: 'text',
    text: t,
    ...(marks === undefined ? {} : { marks }),
  })
  const para = (...content: unknown[]) => ({ type: 'paragraph', content })
  const doc = (...content: unknown[]) => ({ type: 'doc', content })
  const malformed: [string, unknown][] = [
    ['a null node in content', doc(null)],
    ['a null text node', doc(para(null))],
    ['an unknown node type', doc({ type: 'script', content: [] })],
    ['a node without a type', doc({ content: [] })],
    ['content that is not an array', { type: 'doc', content: { 0: para() } }],
    ['paragraph content that is not an array', doc({ type: 'paragraph', content: 'text' })],
    ['very deep nesting', deep(50_000)],
    ['nesting past the bound', deep(RECORD_RULES.maxRichTextDepth + 1)],
    ['an unknown mark', doc(para(text('x', [{ type: 'blink' }])))],
    ['marks that are not an array', doc(para(text('x', { type: 'bold' })))],
    ['a null mark', doc(para(text('x', [null])))],
    ['the same mark twice', doc(para(text('x', [{ type: 'bold' }, { type: 'bold' }])))],
    ['text that is not a string', doc(para(text(42)))],
    ['empty text', doc(para(text('')))],
    ['text straight in the document', doc(text('loose'))],
    ['a list holding text', doc({ type: 'bulletList', content: [text('x')] })],
    [
      'a heading level that is not one',
      doc({ type: 'heading', attrs: { level: '<h1>' }, content: [text('x')] }),
    ],
    [
      'a list start that is not a number',
      doc({
        type: 'orderedList',
        attrs: { start: 'x' },
        content: [{ type: 'listItem', content: [para()] }],
      }),
    ],
    ['an attribute holding an object', doc({ type: 'paragraph', attrs: { dir: { x: 1 } } })],
    [
      'a javascript: link',
      doc(para(text('x', [{ type: 'link', attrs: { href: ' javascript:alert(1)' } }]))),
    ],
    ['a root that is not a document', para(text('x'))],
    ['no root at all', null],
    ['a string', 'hello'],
    ['text past the size bound', doc(para(text('x'.repeat(RECORD_RULES.maxRichTextChars))))],
  ]
  it.each(malformed)('refuses %s, saying why', (_, value) => {
    const problem = richTextProblem(value)
    expect(problem).toMatch(/^its text /)
    expect(problem!.length).toBeLessThan(300)
  })
})

describe('a record’s free-form content', () => {
  const withMeta = (meta: unknown) => ({ ...note('shape:m'), meta })
  it('takes Switchback’s own meta and the agenda’s size, not a huge or deep one', () => {
    expect(
      recordContentProblem(withMeta({ switchback: { frozen: true, zone: { capacity: 3 } } })),
    ).toBeNull()
    expect(recordContentProblem(withMeta({ big: 'x'.repeat(RECORD_RULES.maxMetaChars) }))).toMatch(
      /^its meta .*characters/,
    )
    let nested: unknown = 1
    for (let i = 0; i < 10_000; i++) nested = { nested }
    expect(recordContentProblem(withMeta(nested))).toMatch(/^its meta .*deep/)
    const arrow = { ...note('shape:a'), type: 'arrow', props: { richText: doc(null) } }
    expect(recordContentProblem(arrow)).toMatch(/^its text /)
    expect(recordContentProblem({ id: 'page:p', typeName: 'page', meta: {} })).toBeNull()
  })
  const doc = (...content: unknown[]) => ({ type: 'doc', content })

  it('repairs a held record into one that renders, keeping its words and its own meta', () => {
    const bad = {
      ...note('shape:bad'),
      meta: { switchback: { frozen: true }, junk: 'x'.repeat(RECORD_RULES.maxMetaChars) },
      props: {
        ...note('shape:bad').props,
        richText: doc(
          { type: 'paragraph', content: [{ type: 'text', text: 'Keep me' }, null] },
          { type: 'nope', content: [{ type: 'text', text: 'and me' }] },
        ),
      },
    }
    const { record, repaired } = repairedRecord(bad)
    expect(repaired).toBe(true)
    expect(record.meta).toEqual({ switchback: { frozen: true } })
    expect(record.props.richText).toEqual(toRichText('Keep me\nand me'))
    expect(recordContentProblem(record)).toBeNull()
    const good = note('shape:good')
    expect(repairedRecord(good)).toEqual({ record: good, repaired: false })
    const deepOne = {
      ...note('shape:deep'),
      props: { ...note('shape:deep').props, richText: deep(50_000) },
    }
    const fixed = repairedRecord(deepOne).record
    expect(fixed.props.richText).toEqual(toRichText('bottom'))
  })
})

describe('fromRichText', () => {
  it('reads the words of any JSON and never throws', () => {
    expect(fromRichText(toRichText('one\ntwo'))).toBe('one\ntwo')
    expect(fromRichText(deep(50_000))).toBe('bottom')
    for (const value of [
      null,
      undefined,
      42,
      'text',
      [],
      { content: 'x' },
      { content: [null, 1, { text: 7 }] },
    ]) {
      expect(fromRichText(value)).toBe(
        typeof value === 'object' && value && 'content' in value && Array.isArray(value.content)
          ? '\n\n'
          : '',
      )
    }
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof fromRichText({ type: 'doc', content: [value] })).toBe('string')
        expect(richTextProblem({ type: 'doc', content: [value] }) ?? '').toBeTypeOf('string')
      }),
    )
  })
})
