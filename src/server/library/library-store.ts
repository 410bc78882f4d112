/**
 * Keeps a team library in PartyKit (Durable Object) storage.
 *
 * A template may be 512 KiB but one storage value holds at most 128 KiB, so a template's JSON
 * is stored in pieces, and the listing is one small entry per template:
 *
 *   library                        the library's name and the hash of its secret
 *   entry:<templateId>             the template's summary, and where its pieces are
 *   piece:<templateId>/<rev>/<i>   the i-th piece of its JSON
 *
 * Pieces are written before the entry that points at them, and every publish writes them
 * under a new revision: a crash part-way through leaves the previous entry pointing at its
 * own, intact pieces. Removing drops the entry before its pieces for the same reason.
 */
import { MAX_LIBRARY_TEMPLATES, type LibrarySummary } from '../../protocol'
import type { Template } from '../../protocol/template-format'
import { batches, splitText, type KeyValueStorage } from '../core/kv'

/** What the server keeps of a library: its name and only the SHA-256 hash of its secret. */
export interface LibraryMeta {
  name: string
  secretHash: string
  createdAt: number
}

interface StoredEntry {
  summary: LibrarySummary
  rev: string
  pieces: number
}

export type PublishResult =
  { kind: 'created' | 'replaced'; summary: LibrarySummary } | { kind: 'full'; limit: number }

const META_KEY = 'library'
const ENTRY_PREFIX = 'entry:'
const PIECE_PREFIX = 'piece:'

/** "/" cannot occur in a template id, so one template's prefix never matches another's. */
const piecesOf = (templateId: string) => `${PIECE_PREFIX}${templateId}/`
const pieceKey = (templateId: string, rev: string, index: number) =>
  `${piecesOf(templateId)}${rev}/${index}`

export class LibraryStore {
  /** The library and every entry, each read once: the Durable Object is the only writer. */
  private library: Promise<LibraryMeta | undefined> | null = null
  private entries: Map<string, StoredEntry> | null = null

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly maxTemplates = MAX_LIBRARY_TEMPLATES,
  ) {}

  /** The library, or undefined when it was never created. */
  meta(): Promise<LibraryMeta | undefined> {
    this.library ??= this.storage.get<LibraryMeta>(META_KEY).catch((error: unknown) => {
      this.library = null
      throw error
    })
    return this.library
  }

  async create(meta: LibraryMeta): Promise<void> {
    await this.storage.put({ [META_KEY]: meta })
    this.library = Promise.resolve(meta)
  }

  /** Every template's summary, the most recently first published first. */
  async list(): Promise<LibrarySummary[]> {
    const entries = await this.loadEntries()
    return [...entries.values()]
      .map((entry) => entry.summary)
      .sort(
        (a, b) =>
          b.publishedAt - a.publishedAt || b.updatedAt - a.updatedAt || a.id.localeCompare(b.id),
      )
  }

  /** The template's JSON as published, or null when there is no such template. */
  async read(templateId: string): Promise<string | null> {
    const entry = (await this.loadEntries()).get(templateId)
    if (!entry) return null
    const parts = await Promise.all(
      Array.from({ length: entry.pieces }, (_, i) =>
        this.storage.get<string>(pieceKey(templateId, entry.rev, i)),
      ),
    )
    if (parts.some((part) => part === undefined)) {
      // Cannot happen when pieces are written first; say so rather than serve broken JSON.
      console.error(`library storage: template ${templateId} is missing pieces`)
      return null
    }
    return parts.join('')
  }

  /** Adds the template, or replaces the one with its id (keeping when it was first published). */
  async publish(template: Template, now = Date.now()): Promise<PublishResult> {
    const entries = await this.loadEntries()
    const previous = entries.get(template.id)
    if (!previous && entries.size >= this.maxTemplates) {
      return { kind: 'full', limit: this.maxTemplates }
    }
    // Whatever is stored for this id now (the previous revision, or leftovers of a publish
    // that crashed) goes once the new entry is written.
    const stale = [...(await this.storage.list({ prefix: piecesOf(template.id) })).keys()]

    const json = JSON.stringify(template)
    const rev = crypto.randomUUID().slice(0, 8)
    const pieces: Record<string, string> = {}
    const parts = splitText(json)
    parts.forEach((part, i) => (pieces[pieceKey(template.id, rev, i)] = part))
    for (const batch of batches(Object.entries(pieces))) {
      await this.storage.put(Object.fromEntries(batch))
    }

    const summary = summarize(template, previous?.summary.publishedAt ?? now, now)
    const entry: StoredEntry = { summary, rev, pieces: parts.length }
    await this.storage.put({ [ENTRY_PREFIX + template.id]: entry })
    entries.set(template.id, entry)

    for (const batch of batches(stale)) await this.storage.delete(batch)
    return { kind: previous ? 'replaced' : 'created', summary }
  }

  /** Removes the template; false when there was none. */
  async remove(templateId: string): Promise<boolean> {
    const entries = await this.loadEntries()
    if (!entries.has(templateId)) return false
    await this.storage.delete([ENTRY_PREFIX + templateId])
    entries.delete(templateId)
    const pieces = [...(await this.storage.list({ prefix: piecesOf(templateId) })).keys()]
    for (const batch of batches(pieces)) await this.storage.delete(batch)
    return true
  }

  private async loadEntries(): Promise<Map<string, StoredEntry>> {
    if (!this.entries) {
      const stored = await this.storage.list<StoredEntry>({ prefix: ENTRY_PREFIX })
      this.entries = new Map(
        [...stored].map(([key, entry]) => [key.slice(ENTRY_PREFIX.length), entry]),
      )
    }
    return this.entries
  }
}

function summarize(template: Template, publishedAt: number, updatedAt: number): LibrarySummary {
  const { id, title, summary, tags, minutes, source } = template
  return {
    id,
    title,
    summary,
    tags,
    minutes,
    ...(source ? { source } : {}),
    publishedAt,
    updatedAt,
  }
}
