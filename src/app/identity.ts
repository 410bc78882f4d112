/** The display name and cursor colour of the person at this device, remembered locally. */
import { nanoid } from 'nanoid'
import { z } from 'zod'
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
})
export type Identity = z.infer<typeof identitySchema>

export function loadIdentity(): Identity {
  const stored = readLocal(KEY, identitySchema, null)
  if (stored) return stored
  const fresh = {
    id: nanoid(),
    name: '',
    color: CURSOR_COLORS[Math.floor(Math.random() * CURSOR_COLORS.length)],
  }
  writeLocal(KEY, fresh)
  return fresh
}

export function saveIdentity(identity: Identity): void {
  writeLocal(KEY, identity)
}
