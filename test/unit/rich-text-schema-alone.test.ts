/**
 * The server's rich-text schema as the server builds it: without tldraw's package loaded.
 * tldraw changes TipTap's shared code mark when it loads (code may join other marks), so the
 * comparison with tldraw's schema (rich-text-schema.test.ts) cannot see whether the server's
 * schema says so itself; this file never imports tldraw.
 */
import { describe, expect, it } from 'vitest'
import { richTextProblem, richTextSchema } from '../../src/board/rich-text-schema'

describe('the server’s rich-text schema, alone', () => {
  it('lets code join other marks, as tldraw’s editor does', () => {
    const { marks } = richTextSchema()
    expect(marks.code.excludes(marks.bold)).toBe(false)
    expect(marks.code.excludes(marks.code)).toBe(true)
    const boldCode = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'x', marks: [{ type: 'bold' }, { type: 'code' }] }],
        },
      ],
    }
    expect(richTextProblem(boldCode)).toBeNull()
  })

  it('ranks highlight first, as tldraw does', () => {
    expect(Object.keys(richTextSchema().marks)[0]).toBe('highlight')
  })
})
