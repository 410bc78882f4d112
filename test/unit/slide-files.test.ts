import JSZip from 'jszip'
import { extractText, getDocumentProxy } from 'unpdf'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildDeck, type DeckSource, type Slide } from '../../src/export/deck'
import { pdfText, writePdf, type RenderSlide } from '../../src/export/pdf'
import { writePptx } from '../../src/export/pptx'
import { exportSlides } from '../../src/export/slides'
import { pngImage, sampleSource } from '../support/sample-deck'

const page = pngImage(96, 54)
const fakeRender: RenderSlide = async () => ({
  dataUrl: page.src as string,
  width: page.width,
  height: page.height,
})

function sourceWithTrickyText(): DeckSource {
  const source = sampleSource()
  source.stickies.push({
    ...source.stickies.find((s) => !s.background && s.text.startsWith('Pairing'))!,
    id: 'shape:tricky',
    text: 'R&D <needs> “quotes” — café',
    bounds: { x: 100, y: 900, w: 200, h: 200 },
  })
  return source
}

describe('the PPTX', () => {
  let source: DeckSource
  let slides: Slide[]
  let zip: JSZip
  let slideXml: string[]
  beforeAll(async () => {
    source = sourceWithTrickyText()
    slides = buildDeck(source)
    const blob = await writePptx(slides, { title: source.title })
    zip = await JSZip.loadAsync(await blob.arrayBuffer())
    slideXml = await Promise.all(
      slides.map((_, i) => zip.file(`ppt/slides/slide${i + 1}.xml`)!.async('string')),
    )
  })

  it('has a slide per slide of the deck, in order', () => {
    const files = Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f))
    // Title, then each of the three frames and its stickies.
    expect(slides.map((s) => s.kind)).toEqual([
      'title',
      'frame',
      'summary',
      'frame',
      'summary',
      'frame',
      'summary',
    ])
    expect(files).toHaveLength(slides.length)
    expect(slideXml[0]).toContain('Platform team retro, Q3')
    expect(slideXml[0]).toContain('24 November 2026')
    expect(slideXml[0]).toContain('8 people took part')
    expect(slideXml[1]).toContain('>Retrospective<')
    expect(slideXml[3]).toContain('Drivers, constraints, floats')
    expect(slideXml[5]).toContain('>Experiment<')
  })

  it('has the stickies as text, escaped, on the summary slides', () => {
    expect(slideXml[2]).toContain('Pairing on the migration')
    expect(slideXml[2]).toContain('Went well')
    expect(slideXml[2]).toContain('R&amp;D &lt;needs&gt; “quotes” — café')
    expect(slideXml[4]).toContain('Ship the self-serve onboarding by March')
    // Prompts are the template's, not the team's.
    expect(slideXml.join('')).not.toContain('What helped us this cycle?')
  })

  it('has each frame as a picture', async () => {
    const media = Object.keys(zip.files).filter((f) => /^ppt\/media\/.+\.png$/.test(f))
    expect(media).toHaveLength(3)
    const png = await zip.file(media[0])!.async('uint8array')
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG')
    for (const i of [1, 3, 5]) expect(slideXml[i]).toContain('<p:pic>')
  })

  it('has the agenda steps in the speaker notes', async () => {
    const notes = async (slide: number) => {
      const rels = await zip.file(`ppt/slides/_rels/slide${slide}.xml.rels`)!.async('string')
      const target = /Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/.exec(rels)![1]
      return zip.file(`ppt/notesSlides/${target}`)!.async('string')
    }
    const retro = await notes(2)
    expect(retro).toContain('Went well (8 min)')
    expect(retro).toContain('Write one sticky per thing that helped, in silence.')
    expect(retro).toContain('Actions (15 min)')
    const title = await notes(1)
    expect(title).toContain('Retrospective (40 min)')
    expect(title).toContain('Enabling constraints')
  })
})

describe('the PDF', () => {
  let slides: Slide[]
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>
  let rendered: number[]
  beforeAll(async () => {
    const source = sourceWithTrickyText()
    slides = buildDeck(source)
    rendered = []
    const blob = await writePdf(slides, {
      title: source.title,
      renderSlide: async (slide) => {
        rendered.push(slide.number)
        return fakeRender(slide)
      },
    })
    pdf = await getDocumentProxy(new Uint8Array(await blob.arrayBuffer()))
  })

  it('has a 16:9 page per slide, each drawn once', async () => {
    expect(pdf.numPages).toBe(slides.length)
    expect(rendered).toEqual(slides.map((s) => s.number))
    for (let i = 1; i <= pdf.numPages; i++) {
      const { width, height } = (await pdf.getPage(i)).getViewport({ scale: 1 })
      expect(width / height).toBeCloseTo(16 / 9, 2)
      expect(width).toBeCloseTo(960, 0)
    }
  })

  it('has the titles and the stickies as (invisible) text', async () => {
    const { text } = await extractText(pdf, { mergePages: false })
    expect(text[0]).toContain('Platform team retro, Q3')
    expect(text[0]).toContain('8 people took part')
    expect(text[1]).toContain('Retrospective')
    expect(text[2]).toContain('Pairing on the migration')
    expect(text[2]).toContain('R&D <needs> “quotes” — café')
    expect(text[4]).toContain('Keep p95 latency under 300 ms')
    expect(text.join('\n')).not.toContain('What helped us this cycle?')
  })

  it('keeps the text layer to what its font can spell', () => {
    expect(pdfText('Café “ok” – € ✅ 日本 Łódź Čapek\nnext')).toBe(
      'Café “ok” – €   Lódz Capek\nnext',
    )
  })

  it('says which slide it could not write', async () => {
    const [, frame] = slides
    const broken = {
      ...frame,
      elements: frame.elements.map((e) =>
        e.kind === 'image'
          ? { ...e, image: { ...e.image, src: 'data:image/png;base64,bm90IGEgcG5n' } }
          : e,
      ),
    } as Slide
    await expect(writePdf([broken], { title: 't', renderSlide: fakeRender })).rejects.toThrow(
      /^Could not write the slide “Retrospective”: /,
    )
  })
})

describe('exportSlides', () => {
  it('reports each slide, then the saving, and makes a PPTX', async () => {
    const source = sampleSource()
    const calls: [number, number, string][] = []
    const blob = await exportSlides(source, 'pptx', (...call) => calls.push(call))
    const total = buildDeck(source).length
    expect(blob.type).toBe(
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    )
    expect(calls.map(([done]) => done)).toEqual([...Array(total + 1).keys()])
    expect(calls.every(([, t]) => t === total)).toBe(true)
    expect(calls[0][2]).toBe(`Slide 1 of ${total}: Title slide`)
    expect(calls[2][2]).toBe(`Slide 3 of ${total}: Stickies in “Retrospective”`)
    expect(calls[total][2]).toBe('Saving the file')
  })

  it('makes a PDF with the renderer it is given', async () => {
    const source = sampleSource()
    const blob = await exportSlides(source, 'pdf', undefined, { renderSlide: fakeRender })
    expect(blob.type).toBe('application/pdf')
    const pdf = await getDocumentProxy(new Uint8Array(await blob.arrayBuffer()))
    expect(pdf.numPages).toBe(buildDeck(source).length)
  })
})
