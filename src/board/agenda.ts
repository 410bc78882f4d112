/**
 * A board's agenda: the steps of every template placed on it, in the order they were placed.
 * It lives in the tldraw document record's meta, which only the facilitator may write.
 */
import { z } from 'zod'
import { reportSectionSchema, templateSourceSchema } from '../protocol/template-format'

export const boardStepSchema = z.strictObject({
  title: z.string(),
  minutes: z.number(),
  instructions: z.string(),
  /** The shape to zoom to when the step starts. */
  focus: z.string().optional(),
})
export type BoardStep = z.infer<typeof boardStepSchema>

/**
 * A template's report section as the board keeps it: its zones are this placement's shape ids
 * ("shape:…"), which the template format's element-id rule would refuse.
 */
export const boardReportSectionSchema = reportSectionSchema.extend({
  zones: z.array(z.string().min(1).max(200)).min(1).max(20),
})

export const agendaSectionSchema = z.strictObject({
  /** Which placement of a template this is (a board can hold the same template twice). */
  instance: z.string(),
  templateId: z.string(),
  title: z.string(),
  source: templateSourceSchema.optional(),
  steps: z.array(boardStepSchema),
  notes: z.string(),
  /**
   * The report sections the template asked for, with its zone element ids turned into the
   * shape ids of this placement.
   */
  report: z.array(boardReportSectionSchema).optional(),
})
export type AgendaSection = z.infer<typeof agendaSectionSchema>

export const AGENDA_META_KEY = 'switchbackAgenda'

/** The agenda kept in a document record's meta; an empty one if it is missing or malformed. */
export function readAgenda(documentMeta: unknown): AgendaSection[] {
  const meta = documentMeta as Record<string, unknown> | undefined
  const parsed = z.array(agendaSectionSchema).safeParse(meta?.[AGENDA_META_KEY])
  return parsed.success ? parsed.data : []
}

export function withAgenda(documentMeta: unknown, agenda: AgendaSection[]) {
  return { ...(documentMeta as object | undefined), [AGENDA_META_KEY]: agenda }
}
