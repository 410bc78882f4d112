/** The display name and cursor colour of the person at this device, remembered locally. */
import { nanoid } from 'nanoid'
import { z } from 'zod'
import { personKeySchema } from '../protocol'
import { readLocal, writeLocal } from '../shared/local-store'

const KEY = 'switchback:identity'
export const MAX_NAME_LENGTH = 40

/** Distinct on a white canvas and readable behind white cursor labels. */
export const CURSOR_COLORS = [
  '#e03131',
  '#d9480f',
  '#f08c00',
  '#2f9e44',
  '#0c8599',
  '#1971c2',
  '#5f3dc4',
  '#9c36b5',
  '#c2255c',
  '#495057',
]

const identitySchema = z.object({
  id: z.string().min(1),
  name: z.string().max(MAX_NAME_LENGTH),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
  /**
   * A secret beside the public id: the server gives what is private to this person (hidden
   * stickies, their ballot) only to sockets that show it. Older identities lack one.
   */
  key: personKeySchema.optional(),
})
type StoredIdentity = z.infer<typeof identitySchema>
export type Identity = StoredIdentity & { key: string }

/** A person key: 43 random url-safe characters, the shape of every secret the server reads. */
const newPersonKey = () => nanoid(43)

export function loadIdentity(): Identity {
  const stored = readLocal(KEY, identitySchema, null)
  if (stored?.key) return { ...stored, key: stored.key }
  const fresh = {
    id: stored?.id ?? nanoid(),
    name: stored?.name ?? '',
    color: stored?.color ?? CURSOR_COLORS[Math.floor(Math.random() * CURSOR_COLORS.length)],
    key: newPersonKey(),
  }
  writeLocal(KEY, fresh)
  return fresh
}

export function saveIdentity(identity: Identity): void {
  writeLocal(KEY, identity)
}
