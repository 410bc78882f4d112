/** Ids the browser mints: unguessable, in the alphabet and length the protocol checks. */
import { customAlphabet } from 'nanoid'
import { ROOM_ID_LENGTH } from '../protocol'

/** A board's (or a team library's) id: 22 base64url characters, 132 random bits. */
export const newRoomId = customAlphabet(
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_',
  ROOM_ID_LENGTH,
)
