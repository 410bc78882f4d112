/**
 * A board over HTTP: creating one, the error body every answer uses, and the board's server
 * paths, so neither side spells them by hand.
 */
import './zod-setup'
import { z } from 'zod'
import { BOARD_PARTY, roomIdSchema, secretSchema } from './ids'
import { templateIdSchema, templateSchema } from './template-format'

export const MAX_TITLE_LENGTH = 120
export const boardTitleSchema = z.string().trim().min(1).max(MAX_TITLE_LENGTH)

/**
 * `POST /parties/board/<roomId>`: create the board, blank, from a built-in template
 * (`templateId`), or from a whole template (a file or a team library's).
 */
export const createBoardRequestSchema = z
  .strictObject({
    title: boardTitleSchema.optional(),
    templateId: templateIdSchema.optional(),
    template: templateSchema.optional(),
  })
  .refine((body) => !(body.templateId && body.template), {
    message: 'send templateId or template, not both',
  })
export type CreateBoardRequest = z.input<typeof createBoardRequestSchema>

/** The creator's only copy of the secrets: the server keeps hashes. */
export const createBoardResponseSchema = z.strictObject({
  roomId: roomIdSchema,
  title: boardTitleSchema,
  facilitatorSecret: secretSchema,
  participantKey: secretSchema,
})
export type CreateBoardResponse = z.infer<typeof createBoardResponseSchema>

/** Every error the server answers over HTTP has this body. */
export const errorBodySchema = z.strictObject({ error: z.string() })
export type ErrorBody = z.infer<typeof errorBodySchema>

/** Paths, so neither side spells them by hand. */
export function boardPath(roomId: string): string {
  return `/parties/${BOARD_PARTY}/${roomId}`
}

/** `POST` a facilitation action (`src/protocol/facilitation.ts`) with the session's token. */
export function facilitationPath(roomId: string): string {
  return `${boardPath(roomId)}/facilitation`
}
