/**
 * The ids and secrets both sides check: the board party's name, room ids (unguessable board
 * links) and the secrets that grant a role.
 */
import './zod-setup'
import { z } from 'zod'

/** The party that hosts boards: `/parties/board/<roomId>`. */
export const BOARD_PARTY = 'board'

/**
 * Room ids are 22+ base64url characters: at least 132 random bits, so a board link cannot be
 * guessed. The client mints them with nanoid (see `newRoomId`); the server refuses anything else.
 */
export const ROOM_ID_LENGTH = 22
export const roomIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,64}$/, 'a room id is 22 to 64 letters, digits, "-" or "_"')

/** Secrets are 43 base64url characters (256 random bits). */
export const secretSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'malformed key')

/** A tldraw shape id, as the board's records use it. */
export const shapeIdSchema = z.string().regex(/^shape:[A-Za-z0-9_-]{1,64}$/, 'not a shape id')
