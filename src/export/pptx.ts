/**
 * Writes a deck as PowerPoint with pptxgenjs (loaded on demand, so it stays out of the main
 * bundle). Titles and sticky lists are native text boxes, so the deck is searchable and can
 * be edited in PowerPoint, Keynote or LibreOffice; frames are pictures; notes are notes.
 */
import { errorMessage } from '../shared/error-message'
import type PptxGenJS from 'pptxgenjs'
import { imageDataUrl, type Slide, type SlideElement } from './deck'
import { COLORS, LIST, LOGO, PPTX_FONT, TYPE, type Box, type TextStyle } from './slide-layout'

export interface WriteOptions {
  title: string
  /** Called after each slide is added. */
  onSlide?: (slide: Slide, index: number) => void
}

type PptxSlide = PptxGenJS.Slide

export async function writePptx(slides: readonly Slide[], options: WriteOptions): Promise<Blob> {
  const { default: PptxGen } = await import('pptxgenjs')
  const pptx = new PptxGen()
  pptx.layout = 'LAYOUT_WIDE'
  pptx.title = options.title
  pptx.company = 'Switchback'
  pptx.theme = { headFontFace: PPTX_FONT, bodyFontFace: PPTX_FONT }

  for (const [index, slide] of slides.entries()) {
    const page = pptx.addSlide()
    page.background = { color: COLORS.surface }
    try {
      for (const element of slide.elements) await addElement(pptx, page, element)
    } catch (error) {
      throw new Error(`Could not write the slide “${slide.title}”: ${errorMessage(error)}`, {
        cause: error,
      })
    }
    if (slide.notes) page.addNotes(slide.notes)
    options.onSlide?.(slide, index)
  }
  const data = (await pptx.write({ outputType: 'arraybuffer', compression: true })) as ArrayBuffer
  return new Blob([data], {
    type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  })
}

async function addElement(pptx: PptxGenJS, page: PptxSlide, element: SlideElement) {
  switch (element.kind) {
    case 'text':
      addText(page, element.text, element.box, element.style)
      return
    case 'rect':
      page.addShape(element.radius ? pptx.ShapeType.roundRect : pptx.ShapeType.rect, {
        ...position(element.box),
        fill: element.fill ? { color: element.fill } : { type: 'none' },
        line: element.line
          ? { color: element.line.color, width: element.line.width }
          : { type: 'none' },
        ...(element.radius ? { rectRadius: element.radius } : {}),
        ...(element.rotate ? { rotate: element.rotate } : {}),
        ...(element.shadow
          ? {
              shadow: {
                type: 'outer',
                color: '101828',
                opacity: 0.18,
                blur: 8,
                offset: 3,
                angle: 90,
              },
            }
          : {}),
      })
      return
    case 'image':
      page.addImage({
        data: await imageDataUrl(element.image.src),
        ...position(element.box),
        altText: element.alt,
      })
      return
    case 'logo':
      addLogo(pptx, page, element.box)
      return
    case 'list':
      for (const entry of element.entries) {
        if (entry.kind === 'heading') {
          if (entry.color) {
            page.addShape(pptx.ShapeType.rect, {
              x: entry.box.x,
              y: entry.box.y + 0.02,
              w: LIST.headingBar,
              h: Math.max(entry.box.h - 0.04, 0.1),
              fill: { color: entry.color },
              line: { type: 'none' },
            })
          }
          addText(page, entry.text, entry.textBox, TYPE.heading)
          if (entry.descriptionBox) {
            addText(page, entry.description, entry.descriptionBox, TYPE.description)
          }
        } else {
          if (entry.swatch) {
            page.addShape(pptx.ShapeType.roundRect, {
              ...position(entry.swatch),
              fill: { color: entry.color },
              line: { color: SWATCH_EDGE, width: 0.5 },
              rectRadius: 0.025,
            })
          }
          addText(page, entry.text, entry.textBox, TYPE.item)
        }
      }
      return
  }
}

/** A hairline around each swatch, so white and pale stickies still show. */
const SWATCH_EDGE = 'C9CED6'

function addText(page: PptxSlide, text: string, box: Box, style: TextStyle) {
  page.addText(style.caps ? text.toUpperCase() : text, {
    ...position(box),
    fontFace: PPTX_FONT,
    fontSize: style.size,
    bold: style.bold,
    color: style.color,
    align: style.align,
    valign: 'top',
    margin: 0,
    lineSpacing: style.lineHeight,
    paraSpaceBefore: 0,
    paraSpaceAfter: 0,
    ...(style.letterSpacing ? { charSpacing: style.letterSpacing } : {}),
    fit: 'none',
    wrap: true,
    isTextBox: true,
  })
}

function addLogo(pptx: PptxGenJS, page: PptxSlide, box: Box) {
  page.addShape(pptx.ShapeType.roundRect, {
    ...position(box),
    fill: { color: COLORS.accent },
    line: { type: 'none' },
    rectRadius: box.w * LOGO.radius,
  })
  const unit = box.w / 32
  const xs = LOGO.points.map(([x]) => x * unit)
  const ys = LOGO.points.map(([, y]) => y * unit)
  const left = Math.min(...xs)
  const top = Math.min(...ys)
  // The types leave out custom geometry, which the library supports.
  page.addShape('custGeom' as PptxGenJS.SHAPE_NAME, {
    x: box.x + left,
    y: box.y + top,
    w: Math.max(...xs) - left,
    h: Math.max(...ys) - top,
    points: LOGO.points.map(([x, y]) => ({ x: x * unit - left, y: y * unit - top })),
    fill: { type: 'none' },
    line: { color: COLORS.surface, width: LOGO.stroke * box.w * 72 },
  })
}

const position = (box: Box) => ({ x: box.x, y: box.y, w: box.w, h: box.h })
