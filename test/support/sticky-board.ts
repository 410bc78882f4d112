/**
 * A big board of stickies as clients store them (tldraw's records, valid), for the opening
 * benchmark and the big-board browser test: N notes in a square grid, each with a sample text.
 */
import { createShapeId, toRichText } from '@tldraw/tlschema'
import { getIndicesAbove } from '@tldraw/utils'
import { note } from './raw-records'
import { SAMPLE_STICKIES } from './sample-stickies'

const TEXTS = Object.values(SAMPLE_STICKIES).flat()

/** Grid pitch: a 200-unit sticky and a 40-unit gap. */
export const STICKY_PITCH = 240

export function stickyRecords(n: number, prefix = 'sticky') {
  const columns = Math.ceil(Math.sqrt(n))
  const indices = getIndicesAbove(null, n)
  return Array.from({ length: n }, (_, i) => {
    const record = note(
      createShapeId(`${prefix}${i}`),
      (i % columns) * STICKY_PITCH,
      Math.floor(i / columns) * STICKY_PITCH,
    )
    return {
      ...record,
      index: indices[i],
      // tldraw's own default (raw-records' 0 would draw the text 0 px high).
      props: {
        ...record.props,
        fontSizeAdjustment: 1,
        richText: toRichText(TEXTS[i % TEXTS.length]),
      },
    }
  })
}
