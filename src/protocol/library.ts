/**
 * The team library: its party, ids, paths, and the bodies of its HTTP routes.
 */
import './zod-setup'
import { z } from 'zod'
import { roomIdSchema, secretSchema } from './ids'
import { templateIdSchema, templateSchema } from './template-format'

/**
 * The party that hosts team libraries: `/parties/library/<libraryId>`. Anyone with the link
 * reads a library; publishing and removing need its secret (`Authorization: Bearer <secret>`).
 */
export const LIBRARY_PARTY = 'library'
/** Library ids look like board ids: unguessable, so an unlisted library stays unlisted. */
export const libraryIdSchema = roomIdSchema
export const MAX_LIBRARY_NAME_LENGTH = 80
export const libraryNameSchema = z.string().trim().min(1).max(MAX_LIBRARY_NAME_LENGTH)
/** Templates one library holds at most. */
export const MAX_LIBRARY_TEMPLATES = 200
/** Longest `source.url` a published template may have: it is listed with every summary. */
export const MAX_LIBRARY_SOURCE_URL_LENGTH = 2048

export function libraryPath(libraryId: string): string {
  return `/parties/${LIBRARY_PARTY}/${libraryId}`
}
export function libraryTemplatePath(libraryId: string, templateId: string): string {
  return `${libraryPath(libraryId)}/templates/${templateId}`
}

/** `POST /parties/library/<libraryId>`: create the library. */
export const createLibraryRequestSchema = z.strictObject({ name: libraryNameSchema })
export type CreateLibraryRequest = z.input<typeof createLibraryRequestSchema>

/** The creator's only copy of the secret: the server keeps its hash. */
export const createLibraryResponseSchema = z.strictObject({
  libraryId: libraryIdSchema,
  name: libraryNameSchema,
  secret: secretSchema,
})
export type CreateLibraryResponse = z.infer<typeof createLibraryResponseSchema>

/** One published template as the listing shows it; times are milliseconds since the epoch. */
export const librarySummarySchema = z.strictObject({
  id: templateIdSchema,
  title: templateSchema.shape.title,
  summary: templateSchema.shape.summary,
  tags: templateSchema.shape.tags,
  minutes: templateSchema.shape.minutes,
  source: templateSchema.shape.source,
  publishedAt: z.number(),
  updatedAt: z.number(),
})
export type LibrarySummary = z.infer<typeof librarySummarySchema>

/** `GET /parties/library/<libraryId>`: the library and its templates, newest first. */
export const libraryListingSchema = z.strictObject({
  libraryId: libraryIdSchema,
  name: libraryNameSchema,
  templates: z.array(librarySummarySchema),
})
export type LibraryListing = z.infer<typeof libraryListingSchema>

/** A refused publish says what is wrong with the template, one problem per path. */
export const libraryErrorBodySchema = z.strictObject({
  error: z.string(),
  problems: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
})
export type LibraryErrorBody = z.infer<typeof libraryErrorBodySchema>
