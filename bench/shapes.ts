/**
 * The rectangle the benchmarks add and move, as tldraw's editor would write it: in a module of
 * its own so the sync benchmark's worker threads (raw-sync-client.ts) can load it without the
 * benchmark itself; sync.ts re-exports it for the others.
 */
import { createShapeId, toRichText, type TLGeoShape } from '@tldraw/tlschema'

export const SHAPE_ID = createShapeId('bench')

/** The rectangle an edit adds, as tldraw's editor would write it. */
export function geoShape(id = SHAPE_ID): TLGeoShape {
  return {
    id,
    typeName: 'shape',
    type: 'geo',
    parentId: 'page:page' as TLGeoShape['parentId'], // the page every new room starts with
    index: 'a1' as TLGeoShape['index'],
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      geo: 'rectangle',
      dash: 'draw',
      url: '',
      w: 100,
      h: 100,
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color: 'black',
      fill: 'none',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: toRichText(''),
    },
  }
}
