/**
 * "Save as template" on the editor side: picks the shapes in scope (the whole page, or one
 * frame and what is in it) and hands them to the pure conversion in `src/templates`.
 */
import type { Editor, TLFrameShape, TLShape, TLShapeId } from 'tldraw'
import { readAgenda } from '../board/agenda'
import { agendaToReport, agendaToSteps, shapesToElements } from './from-shapes'
import type { AgendaStep, ReportSection, TemplateInput } from '../protocol/template-format'

/** What "Save as template" starts from: the board's shapes turned into template elements. */
export interface TemplateDraft {
  elements: TemplateInput['elements']
  steps: AgendaStep[]
  /** The report sections of the templates the board came from, for what is saved. */
  report: ReportSection[]
  /** Shape types that a template cannot hold, with how many were left out. */
  skipped: Record<string, number>
}

export interface FrameSummary {
  id: string
  name: string
}

export function draftTemplate(editor: Editor, frameId: string | null): TemplateDraft {
  const roots = frameId
    ? [editor.getShape(frameId as TLShapeId)].filter((s): s is TLShape => s?.type === 'frame')
    : editor.getSortedChildIdsForParent(editor.getCurrentPageId()).map((id) => editor.getShape(id)!)
  const scope = roots.flatMap((root) =>
    root.type === 'frame'
      ? [root, ...editor.getSortedChildIdsForParent(root.id).map((id) => editor.getShape(id)!)]
      : [root],
  )
  const { elements, elementIds, skipped } = shapesToElements(scope)
  const agenda = readAgenda(editor.getDocumentSettings().meta)
  const steps = agendaToSteps(agenda, elementIds)
  // At most as many as the format allows: a board made from several templates may have more.
  const report = agendaToReport(agenda, elementIds).slice(0, 12)
  return { elements, steps, report, skipped }
}

export function framesOnPage(editor: Editor): { frames: FrameSummary[]; selected: string | null } {
  const frames = editor
    .getCurrentPageShapesSorted()
    .filter((s): s is TLFrameShape => s.type === 'frame')
    .map((f) => ({ id: f.id as string, name: f.props.name || 'Frame' }))
  const [first] = editor.getSelectedShapes()
  const frame =
    first?.type === 'frame'
      ? first
      : first && editor.findShapeAncestor(first, (a) => a.type === 'frame')
  return { frames, selected: frame ? frame.id : null }
}
