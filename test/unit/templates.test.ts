import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTLSchema, type TLRecord } from '@tldraw/tlschema'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { elementBox, renderTemplate, templateBounds } from '../../src/templates/render'
import { parseTemplate, parseTemplateText, type Template } from '../../src/protocol/template-format'
import { readShapeMeta } from '../../src/board/shape-meta'
import { readAgenda, withAgenda } from '../../src/board/agenda'
import { agendaToReport, agendaToSteps, shapesToElements } from '../../src/templates/from-shapes'
import { initialBoard } from '../../src/server/room/initial-board'

const dir = join(import.meta.dirname, '../../templates')
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
const schema = createTLSchema()

/** The templates the product promises, with their exact ids. */
const EXPECTED_IDS = [
  'four-framework-jobs',
  'hill-climbing-map',
  'enabling-constraints',
  'pivot-or-proceed',
  'signals-and-confidence',
  'initiative-shape',
  'retro',
  'blank',
]
/** The brief gives these posts' addresses; the canvases must credit exactly them. */
const SOURCES_FROM_THE_BRIEF: Record<string, string> = {
  'four-framework-jobs': 'https://cutlefish.substack.com/p/tbm-354-the-4-framework-jobs-and',
  'hill-climbing-map': 'https://cutlefish.substack.com/p/tbm-4852-hill-climbing',
  'enabling-constraints': 'https://cutlefish.substack.com/p/tbm-314-using-enabling-constraints',
}

describe('template files', () => {
  it('are exactly the eight templates, each named after its id, all in the catalog', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...EXPECTED_IDS].sort())
    expect(BUILT_IN_TEMPLATES.map((t) => t.id)).toEqual(EXPECTED_IDS)
  })

  it('each has its gallery thumbnail (npm run thumbnails), a PNG', () => {
    for (const { id } of BUILT_IN_TEMPLATES) {
      const png = readFileSync(join(dir, `../public/templates/${id}.png`))
      expect(png.subarray(1, 4).toString(), id).toBe('PNG')
    }
  })

  it.each(files)('%s validates against the shared schema', (file) => {
    const result = parseTemplateText(readFileSync(join(dir, file), 'utf8'))
    if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2))
    expect(`${result.template.id}.json`).toBe(file)
  })

  it.each(Object.entries(SOURCES_FROM_THE_BRIEF))(
    '%s credits its post from the brief',
    (id, url) => {
      expect(BUILT_IN_TEMPLATES.find((t) => t.id === id)?.source?.url).toBe(url)
    },
  )

  it.each(BUILT_IN_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s credits its source on the canvas too, in the footer',
    (_id, template) => {
      const footer = template.elements.find((e) => e.id === 'footer')
      expect(footer?.type).toBe('text')
      const text = footer?.type === 'text' ? footer.text : ''
      expect(text).toContain(template.source ? template.source.title.split(':')[0] : 'Switchback')
    },
  )
})

describe('rendering a template', () => {
  it.each(BUILT_IN_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s gives valid tldraw shapes, one per element, inside its bounds',
    (_id, template) => {
      const origin = { x: 5000, y: -300 }
      const rendered = renderTemplate(template, { origin, instance: 'abc123' })
      expect(rendered.shapes).toHaveLength(template.elements.length)
      for (const shape of rendered.shapes) {
        expect(() => schema.types.shape.validate(shape)).not.toThrow()
        expect(readShapeMeta(shape).template).toBe(template.id)
      }
      // Frames and top-level elements sit inside the template's bounds, at the origin.
      expect(rendered.bounds).toMatchObject(origin)
      const own = templateBounds(template)
      for (const shape of rendered.shapes.filter((s) => s.parentId.startsWith('page:'))) {
        expect(shape.x).toBeGreaterThanOrEqual(origin.x - 0.001)
        expect(shape.y).toBeGreaterThanOrEqual(origin.y - 0.001)
        expect(shape.x).toBeLessThanOrEqual(origin.x + own.w)
        expect(shape.y).toBeLessThanOrEqual(origin.y + own.h)
      }
      expectElementsInsideTheirFrames(template)
    },
  )

  it('is pure: the same template, origin and instance give the same records', () => {
    const [template] = BUILT_IN_TEMPLATES
    const a = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'x' })
    const b = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'x' })
    expect(a).toEqual(b)
  })

  it('places children after their frames and gives every shape a unique id', () => {
    for (const template of BUILT_IN_TEMPLATES) {
      const { shapes } = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'i' })
      const seen = new Set<string>()
      for (const shape of shapes) {
        if (!shape.parentId.startsWith('page:')) expect(seen.has(shape.parentId)).toBe(true)
        seen.add(shape.id)
      }
      expect(seen.size).toBe(shapes.length)
    }
  })

  it('locks background elements and carries zone rules in the shape meta', () => {
    const template = BUILT_IN_TEMPLATES.find((t) => t.id === 'enabling-constraints')!
    const { shapes } = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'i' })
    const capped = shapes.filter((s) => readShapeMeta(s).zone?.capacity === 2)
    expect(capped.length).toBeGreaterThanOrEqual(2)
    for (const shape of capped) expect(shape.isLocked).toBe(true)
  })

  it('makes a board snapshot tldraw accepts, with the agenda in the document', () => {
    const template = BUILT_IN_TEMPLATES.find((t) => t.id === 'retro')!
    const snapshot = initialBoard('Friday retro', template, 'i')
    const records = snapshot.documents.map((d) => d.state as TLRecord)
    for (const record of records)
      expect(() => schema.validateRecord(null!, record, 'initialize', null)).not.toThrow()
    const document = records.find((r) => r.typeName === 'document')!
    expect(document).toMatchObject({ name: 'Friday retro' })
    expect(JSON.stringify(document.meta)).toContain(template.steps[0].instructions)
  })
})

describe('what a template produces', () => {
  /** The zones each template declares as outcomes, as the TBM posts' summaries read. */
  const OUTCOME_ZONES: Record<string, Record<string, 'action' | 'decision'>> = {
    retro: { actions: 'action' },
    'four-framework-jobs': { agreed: 'decision' },
    'hill-climbing-map': { 'wont-do': 'decision' },
    'enabling-constraints': { chosen: 'decision' },
    'pivot-or-proceed': { decision: 'decision' },
  }

  it.each(BUILT_IN_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s declares exactly its outcome zones, and they render into the zone rule',
    (id, template) => {
      const declared = Object.fromEntries(
        template.elements.flatMap((e) =>
          e.type === 'zone' && e.outcome ? [[e.id, e.outcome]] : [],
        ),
      )
      expect(declared).toEqual(OUTCOME_ZONES[id] ?? {})
      const { shapes } = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'i' })
      for (const [element, outcome] of Object.entries(declared)) {
        const shape = shapes.find((s) => readShapeMeta(s).element === element)!
        expect(readShapeMeta(shape).zone?.outcome).toBe(outcome)
      }
    },
  )

  it.each(BUILT_IN_TEMPLATES.map((t) => [t.id, t] as const))(
    "%s's report sections name zones or frames that exist, and carry into the agenda",
    (_id, template) => {
      const rendered = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'i' })
      const sections = template.report?.sections ?? []
      expect(rendered.agenda.report ?? []).toHaveLength(sections.length)
      sections.forEach((section, index) => {
        const ids = rendered.agenda.report![index].zones
        expect(ids).toHaveLength(section.zones.length)
        section.zones.forEach((zone, z) => {
          const element = template.elements.find((e) => e.id === zone)
          expect(['zone', 'frame'], `${section.title}: ${zone}`).toContain(element?.type)
          const shape = rendered.shapes.find((s) => s.id === ids[z])
          expect(shape && readShapeMeta(shape).element).toBe(zone)
          expect(shape?.type).toBe(element?.type === 'zone' ? 'geo' : 'frame')
        })
      })
    },
  )

  it.each(BUILT_IN_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s: the board keeps the agenda with its report sections (shape ids) readable',
    (_id, template) => {
      const { agenda } = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'i' })
      expect(readAgenda(withAgenda({}, [agenda]))).toEqual([agenda])
    },
  )

  it('gives the framework jobs, hill-climbing and enabling-constraints reports their summaries', () => {
    const titles = (id: string) =>
      BUILT_IN_TEMPLATES.find((t) => t.id === id)!.report!.sections.map((s) => s.title)
    expect(titles('four-framework-jobs')).toEqual(
      expect.arrayContaining([
        'The jobs each framework was hired for',
        'Mismatches: meant for X, used for Y',
      ]),
    )
    const hill = BUILT_IN_TEMPLATES.find((t) => t.id === 'hill-climbing-map')!.report!.sections
    expect(hill.find((s) => s.title === 'Bets by stage')?.zones).toEqual([
      'bets-a',
      'bets-b',
      'bets-c',
      'bets-d',
      'bets-e',
    ])
    expect(hill.find((s) => s.title === 'The next hill')?.zones).toContain('next-hill')
    expect(titles('enabling-constraints')).toContain('The constraint to try')
  })

  it('says which report zone is wrong, with its path', () => {
    const template = JSON.parse(readFileSync(join(dir, 'retro.json'), 'utf8'))
    template.report.sections[1].zones = ['to-improve', 'title', 'nowhere']
    const result = parseTemplate(template)
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'report.sections[1].zones[1]: "title" is a text, not a zone or frame',
      'report.sections[1].zones[2]: no zone with id "nowhere"',
    ])
    template.report.sections[1].zones = []
    template.elements[5].outcome = 'someday'
    const structural = parseTemplate(template)
    const paths = structural.ok ? [] : structural.problems.map((p) => p.path)
    expect(paths).toEqual(
      expect.arrayContaining(['report.sections[1].zones', 'elements[5].outcome']),
    )
  })

  it.each(BUILT_IN_TEMPLATES.filter((t) => t.report).map((t) => [t.id, t] as const))(
    '%s keeps its zone outcomes and report sections through Save as template and back',
    (_id, template) => {
      const rendered = renderTemplate(template, { origin: { x: 300, y: 200 }, instance: 'i' })
      // What "Save as template" does with a board made from this template (draft-template.ts).
      const { elements, elementIds } = shapesToElements(rendered.shapes)
      const saved = parseTemplate({
        ...template,
        elements,
        steps: agendaToSteps([rendered.agenda], elementIds),
        report: { sections: agendaToReport([rendered.agenda], elementIds) },
      })
      if (!saved.ok) throw new Error(JSON.stringify(saved.problems, null, 2))
      expect(saved.template.report).toEqual(template.report)
      const outcomes = (t: Template) =>
        t.elements.flatMap((e) => (e.type === 'zone' ? [[e.id, e.outcome, e.capacity]] : []))
      expect(outcomes(saved.template)).toEqual(outcomes(template))
    },
  )

  it('drops from a saved report the zones left out, and a section left empty', () => {
    const template = BUILT_IN_TEMPLATES.find((t) => t.id === 'hill-climbing-map')!
    const rendered = renderTemplate(template, { origin: { x: 0, y: 0 }, instance: 'i' })
    // Saving only the first frame, "Bets by lever".
    const levers = rendered.shapes.find((s) => readShapeMeta(s).element === 'levers')!
    const scope = rendered.shapes.filter((s) => s.id === levers.id || s.parentId === levers.id)
    const { elementIds } = shapesToElements(scope)
    expect(agendaToReport([rendered.agenda], elementIds)).toEqual([
      template.report!.sections.find((s) => s.title === 'Bets by stage'),
    ])
  })
})

describe('a broken template file', () => {
  it('lists each problem with its path', () => {
    const template = JSON.parse(readFileSync(join(dir, 'retro.json'), 'utf8'))
    template.elements[3].w = 'wide'
    template.elements[4].frame = 'nowhere'
    template.steps[0].focus = 'missing'
    delete template.title
    const result = parseTemplate(template)
    expect(result.ok).toBe(false)
    const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)
    expect(problems).toContainEqual(expect.stringMatching(/^elements\[3\]\.w: .*expected number/))
    expect(problems).toContainEqual(expect.stringMatching(/^title: /))
    // Cross-references are checked once the structure is valid.
    template.elements[3].w = 576
    template.title = 'Retro'
    const second = parseTemplate(template)
    const refs = second.ok ? [] : second.problems.map((p) => `${p.path}: ${p.message}`)
    expect(refs).toEqual([
      'elements[4].frame: no frame with id "nowhere"',
      'steps[0].focus: no element with id "missing"',
    ])
  })

  it('says when a file is not JSON, or too big', () => {
    expect(parseTemplateText('{"formatVersion": 1,')).toMatchObject({
      ok: false,
      problems: [{ path: '(file)', message: expect.stringContaining('not valid JSON') }],
    })
    expect(parseTemplateText(' '.repeat(600 * 1024))).toMatchObject({
      ok: false,
      problems: [{ path: '(file)', message: expect.stringContaining('larger than') }],
    })
  })
})

/** Every element in a frame lies inside it: the frame is a slide, nothing may be cut off. */
function expectElementsInsideTheirFrames(template: Template) {
  const frames = new Map(template.elements.flatMap((e) => (e.type === 'frame' ? [[e.id, e]] : [])))
  for (const element of template.elements) {
    if (element.type === 'frame' || !element.frame) continue
    const frame = frames.get(element.frame)!
    const box = elementBox(element)
    const where = `${template.id}: ${element.id}`
    expect(box.x, where).toBeGreaterThanOrEqual(0)
    expect(box.y, where).toBeGreaterThanOrEqual(0)
    expect(box.x + box.w, where).toBeLessThanOrEqual(frame.w)
    expect(box.y + box.h, where).toBeLessThanOrEqual(frame.h)
  }
}
