/**
 * Whole, valid tldraw records for raw-protocol tests: a sticky, an arrow, an arrow binding, a
 * group, a rectangle, a text, a pen stroke, a frame, a page and an image asset, as a modified client
 * would push them. Valid on purpose, so that a
 * refusal comes from a write rule and not from tldraw's schema.
 */
import { b64Vecs } from '@tldraw/tlschema'

const richText = { type: 'doc', content: [] }

export function note(id: string, x = 100, y = 100, parentId = 'page:page') {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index: 'a5',
    parentId,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 0,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText,
      scale: 1,
      textLastEditedBy: null,
    },
  }
}

export function arrow(id: string, x = 100, y = 400) {
  return {
    id,
    typeName: 'shape',
    type: 'arrow',
    x,
    y,
    rotation: 0,
    index: 'a6',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      kind: 'arc',
      labelColor: 'black',
      color: 'black',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      arrowheadStart: 'none',
      arrowheadEnd: 'arrow',
      font: 'draw',
      start: { x: 0, y: 0 },
      end: { x: 200, y: 0 },
      bend: 0,
      richText,
      labelPosition: 0.5,
      scale: 1,
      elbowMidPoint: 0.5,
    },
  }
}

export function arrowBinding(id: string, fromId: string, toId: string, terminal = 'end') {
  return {
    id,
    typeName: 'binding',
    type: 'arrow',
    fromId,
    toId,
    meta: {},
    props: {
      terminal,
      normalizedAnchor: { x: 0.5, y: 0.5 },
      isExact: false,
      isPrecise: false,
      snap: 'none',
    },
  }
}

/** A shape's common fields (what `note` and `arrow` spell out), for the shapes below. */
function shapeBase(id: string, type: string, x: number, y: number, parentId: string) {
  return {
    id,
    typeName: 'shape',
    type,
    x,
    y,
    rotation: 0,
    index: 'a7',
    parentId,
    isLocked: false,
    opacity: 1,
    meta: {},
  }
}

/** A group: it has no size of its own, its children (parented to it) make it. */
export function group(id: string, x = 0, y = 0, parentId = 'page:page') {
  return { ...shapeBase(id, 'group', x, y, parentId), props: {} }
}

/** A rectangle w × h. */
export function rectangle(id: string, x: number, y: number, w: number, h: number) {
  return {
    ...shapeBase(id, 'geo', x, y, 'page:page'),
    props: {
      geo: 'rectangle',
      dash: 'draw',
      url: '',
      w,
      h,
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
      richText,
    },
  }
}

/** A fixed-width text `w` wide, of one paragraph. */
export function text(id: string, x: number, y: number, w: number, words: string) {
  return {
    ...shapeBase(id, 'text', x, y, 'page:page'),
    props: {
      color: 'black',
      size: 'm',
      font: 'draw',
      textAlign: 'start',
      w,
      richText: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: words }] }],
      },
      scale: 1,
      autoSize: false,
    },
  }
}

/** A pen stroke through `points` (in its own coordinates), as tldraw encodes them. */
export function penStroke(id: string, x: number, y: number, points: { x: number; y: number }[]) {
  return {
    ...shapeBase(id, 'draw', x, y, 'page:page'),
    props: {
      color: 'black',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      segments: [
        { type: 'free', path: b64Vecs.encodePoints(points.map((p) => ({ ...p, z: 0.5 }))) },
      ],
      isComplete: true,
      isClosed: false,
      isPen: false,
      scale: 1,
      scaleX: 1,
      scaleY: 1,
    },
  }
}

export function page(id: string, name: string) {
  return { id, typeName: 'page', name, index: 'a9', meta: {} }
}

/** A 1×1 PNG, inline. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

export function imageAsset(id: string, src: string, w = 1, h = 1) {
  return {
    id,
    typeName: 'asset',
    type: 'image',
    meta: {},
    props: { name: 'photo.png', src, w, h, mimeType: 'image/png', isAnimated: false, fileSize: 70 },
  }
}

export function user(id: string) {
  return { id, typeName: 'user', name: 'Mallory', color: '#000000', imageUrl: '', meta: {} }
}

/**
 * A frame `w` × `h` named `name` (`index`: its place among the page's shapes): a slide, a
 * breakout's source or a group's copy.
 */
export function frame(
  id: string,
  x: number,
  y: number,
  w: number,
  h: number,
  name: string,
  index = 'a7',
) {
  return {
    ...shapeBase(id, 'frame', x, y, 'page:page'),
    index,
    props: { w, h, name, color: 'black' },
  }
}
