/**
 * Team libraries, from the browser: the ones this device knows (with their secret when it may
 * publish; the secret only ever lives here and in a publish link), and the calls to the
 * library party. Every error thrown carries the server's message.
 */
import { z } from 'zod'
import {
  createLibraryResponseSchema,
  libraryIdSchema,
  libraryListingSchema,
  libraryPath,
  librarySummarySchema,
  libraryTemplatePath,
  secretSchema,
  type CreateLibraryResponse,
  type LibraryListing,
  type LibrarySummary,
} from '../protocol'
import { parseTemplate, type Template, type TemplateInput } from '../protocol/template-format'
import { newRoomId } from '../shared/ids'
import { readLocal, writeLocal } from '../shared/local-store'
import { callServer } from '../shared/server-call'

const KEY = 'switchback:libraries'
/** What a library is called here until its listing has been read. */
const UNNAMED = 'Team library'

const knownLibrarySchema = z.object({
  libraryId: libraryIdSchema,
  name: z.string(),
  secret: secretSchema.optional(),
})
export type KnownLibrary = z.infer<typeof knownLibrarySchema>
const knownLibrariesSchema = z.array(knownLibrarySchema)

export function knownLibraries(): KnownLibrary[] {
  return readLocal(KEY, knownLibrariesSchema, [])
}

/** Adds the library or updates what is known of it; a secret once known is kept. */
export function rememberLibrary(libraryId: string, update: { name?: string; secret?: string }) {
  const all = knownLibraries()
  const current = all.find((l) => l.libraryId === libraryId)
  const secret = update.secret ?? current?.secret
  const next: KnownLibrary = {
    libraryId,
    name: update.name ?? current?.name ?? UNNAMED,
    ...(secret ? { secret } : {}),
  }
  writeLocal(KEY, [next, ...all.filter((l) => l.libraryId !== libraryId)])
}

/** Drops a secret the server refused; the library stays, read-only. */
export function forgetLibrarySecret(libraryId: string): void {
  writeLocal(
    KEY,
    knownLibraries().map((l) => (l.libraryId === libraryId ? { libraryId, name: l.name } : l)),
  )
}

/** Creates a library on the server and remembers it, secret included. */
export async function createLibrary(name: string): Promise<CreateLibraryResponse> {
  const created = createLibraryResponseSchema.parse(
    await callServer(libraryPath(newRoomId()), { method: 'POST', body: JSON.stringify({ name }) }),
  )
  rememberLibrary(created.libraryId, { name: created.name, secret: created.secret })
  return created
}

/** The library's name and its templates, newest first. */
export async function listLibrary(libraryId: string): Promise<LibraryListing> {
  const listing = libraryListingSchema.parse(await callServer(libraryPath(libraryId)))
  if (knownLibraries().some((l) => l.libraryId === libraryId)) {
    rememberLibrary(libraryId, { name: listing.name })
  }
  return listing
}

/** A published template, checked with the same schema as a file. */
export async function fetchLibraryTemplate(
  libraryId: string,
  templateId: string,
): Promise<Template> {
  const parsed = parseTemplate(await callServer(libraryTemplatePath(libraryId, templateId)))
  if (!parsed.ok) {
    throw new Error(`The library’s copy of "${templateId}" is not a valid template.`)
  }
  return parsed.template
}

/** Publishes the template under its id, replacing one with the same id. */
export async function publishTemplate(
  libraryId: string,
  secret: string,
  template: Template | TemplateInput,
): Promise<LibrarySummary> {
  const body = await callServer(libraryTemplatePath(libraryId, template.id), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${secret}` },
    body: JSON.stringify(template),
  })
  return librarySummarySchema.parse(body)
}

export async function removeTemplate(
  libraryId: string,
  secret: string,
  templateId: string,
): Promise<void> {
  await callServer(libraryTemplatePath(libraryId, templateId), {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${secret}` },
  })
}

/** Links to share: `read` opens the library; `publish` also carries the secret, in the fragment. */
export function libraryLinks(libraryId: string, secret?: string) {
  const read = `${window.location.origin}/?library=${encodeURIComponent(libraryId)}`
  return { read, publish: secret ? `${read}#ls=${secret}` : null }
}

/**
 * Reads a library link (`?library=<id>`, and `#ls=<secret>` for a publish link), remembers
 * the library, and takes the secret out of the address bar so it does not linger in history
 * or get shared by accident. Null when the address names no (well-formed) library.
 */
export function claimLibraryFromUrl(): KnownLibrary | null {
  const location = window.location
  const id = libraryIdSchema.safeParse(new URLSearchParams(location.search).get('library'))
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''))
  const secret = secretSchema.safeParse(hash.get('ls'))
  if (hash.has('ls')) {
    hash.delete('ls')
    const rest = hash.toString()
    window.history.replaceState(
      window.history.state,
      '',
      `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`,
    )
  }
  if (!id.success) return null
  rememberLibrary(id.data, secret.success ? { secret: secret.data } : {})
  // Read back what is now known; if storage is unavailable, what the link said.
  return (
    knownLibraries().find((l) => l.libraryId === id.data) ?? {
      libraryId: id.data,
      name: UNNAMED,
      ...(secret.success ? { secret: secret.data } : {}),
    }
  )
}
