/**
 * The key-value storage every server store writes to (a Durable Object's, or an in-memory one
 * in tests), and the two things each store needs to live within its limits: one value holds at
 * most 128 KiB, and one call writes or deletes at most 128 keys. The board, library and
 * snapshot stores all cut their text with `splitText` and their calls with `batches`.
 */

/** The slice of Durable Object storage we use, so tests can hand in their own. */
export interface KeyValueStorage {
  get<T = unknown>(key: string): Promise<T | undefined>
  list<T = unknown>(options: { prefix: string }): Promise<Map<string, T>>
  put<T>(entries: Record<string, T>): Promise<void>
  delete(keys: string[]): Promise<number>
}

/** Durable Objects accept at most 128 keys per put or delete call. */
const MAX_KEYS_PER_CALL = 128
/**
 * Characters per stored piece. V8 stores a string with any non-Latin-1 character as UTF-16,
 * so 32,000 characters stay under 64 KiB, half the 128 KiB limit.
 */
export const PIECE_CHARS = 32_000

/** A text cut into pieces of at most PIECE_CHARS characters (one piece for an empty one). */
export function splitText(text: string): string[] {
  const count = Math.max(1, Math.ceil(text.length / PIECE_CHARS))
  return Array.from({ length: count }, (_, i) => text.slice(i * PIECE_CHARS, (i + 1) * PIECE_CHARS))
}

/** Splits keys (or entries) into groups Durable Objects accept in one call. */
export function* batches<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += MAX_KEYS_PER_CALL) {
    yield items.slice(i, i + MAX_KEYS_PER_CALL)
  }
}
