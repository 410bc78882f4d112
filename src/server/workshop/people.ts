/**
 * Who has joined a board with edit rights, over its whole life: the deck's title slide says
 * how many people took part. Each person is one key (`person:<id>`), written once; the set is
 * read the first time it is needed (not as the board starts), then kept in memory.
 */
import { personIdSchema } from '../../protocol'
import type { KeyValueStorage } from '../core/kv'

const PERSON_PREFIX = 'person:'

export class People {
  private readonly known = new Set<string>()
  private loading: Promise<void> | null = null
  /** Ids whose write is under way, so a person opening several tabs is written once. */
  private readonly writing = new Set<string>()

  constructor(private readonly storage: KeyValueStorage) {}

  private ready(): Promise<void> {
    this.loading ??= this.storage.list<number>({ prefix: PERSON_PREFIX }).then(
      (stored) => {
        for (const key of stored.keys()) this.known.add(key.slice(PERSON_PREFIX.length))
      },
      (error: unknown) => {
        this.loading = null
        throw error
      },
    )
    return this.loading
  }

  /**
   * Remembers the person named by a socket's `u` parameter. Anything malformed is ignored: a
   * person id is only for counting, never a reason to refuse a connection.
   */
  async remember(personId: string | null, now = Date.now()): Promise<void> {
    const parsed = personIdSchema.safeParse(personId)
    if (!parsed.success) return
    const id = parsed.data
    await this.ready()
    if (this.known.has(id) || this.writing.has(id)) return
    this.writing.add(id)
    try {
      await this.storage.put({ [PERSON_PREFIX + id]: now })
      // Counted once it is on disk, so a count anyone has seen survives a crash.
      this.known.add(id)
    } finally {
      this.writing.delete(id)
    }
  }

  async count(): Promise<number> {
    await this.ready()
    return this.known.size
  }
}
