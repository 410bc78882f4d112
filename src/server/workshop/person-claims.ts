/**
 * Which person key owns each public person id on this board (while the board is in memory).
 *
 * A person id (`?u=`) is public: everyone's client sees everyone's in presence, so anyone can
 * connect with someone else's. It names a person in the ready check ("Ana" is not done), but it
 * is not a credential; the person key is (its hash is the session's `author`). So the first
 * person key that comes with a person id claims it, and a later socket that brings the same id
 * with another key gets no person id in the workshop: it cannot rename that person, say they
 * are done, or appear as them. A socket with no key at all (a tab from before person keys)
 * claims nothing and keeps its id only while no key has claimed it. A claim outlives its sockets (Ana reloading
 * must not let anyone take her id meanwhile); claims are capped, the oldest with no socket
 * going first, so minting ids cannot grow memory.
 */

/** Claims kept at most; a board holds at most 100 sockets, so only idle claims are dropped. */
export const MAX_PERSON_CLAIMS = 2_000

export class PersonClaims {
  /** Person id → author (person key hash), oldest first. */
  private readonly owners = new Map<string, string>()

  constructor(
    /** Whether a socket with this person id is connected now (such a claim is never dropped). */
    private readonly inUse: (personId: string) => boolean,
    private readonly max = MAX_PERSON_CLAIMS,
  ) {}

  /** The person id this author may use in the workshop: the one it asked for, or null. */
  claim(personId: string | null, author: string | null): string | null {
    if (personId === null || author === null) return null
    const owner = this.owners.get(personId)
    if (owner !== undefined) return owner === author ? personId : null
    if (this.owners.size >= this.max) this.dropIdle()
    if (this.owners.size >= this.max) return null
    this.owners.set(personId, author)
    return personId
  }

  /** The author that claimed this person id, if any. */
  owner(personId: string): string | undefined {
    return this.owners.get(personId)
  }

  get size(): number {
    return this.owners.size
  }

  private dropIdle() {
    for (const personId of this.owners.keys()) {
      if (this.owners.size < this.max) return
      if (!this.inUse(personId)) this.owners.delete(personId)
    }
  }
}
