/**
 * Whole, valid tldraw records for raw-protocol tests: a sticky, an arrow, an arrow binding, a
 * page and an image asset, as a modified client would push them. Valid on purpose, so that a
 * refusal comes from a write rule and not from tldraw's schema.
 */
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
