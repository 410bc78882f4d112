/**
 * An in-memory stand-in for Durable Object storage with the two limits that bite: a value
 * serialises to at most 128 KiB, and one call writes or deletes at most 128 keys. Like the
 * real thing, it throws when either is exceeded.
 */
import type { KeyValueStorage } from '../../src/server/core/kv'

export const MAX_VALUE_BYTES = 128 * 1024

/** V8 stores strings with any non-Latin-1 character as two bytes per character. */
function serializedBytes(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return /[\u0100-\uffff]/.test(text) ? text.length * 2 : text.length
}

export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>()
  largestValue = 0

  async get<T>(key: string) {
    return structuredClone(this.data.get(key)) as T | undefined
  }

  async list<T>({ prefix }: { prefix: string }) {
    const out = new Map<string, T>()
    for (const [key, value] of [...this.data].sort(([a], [b]) => a.localeCompare(b))) {
      if (key.startsWith(prefix)) out.set(key, structuredClone(value) as T)
    }
    return out
  }

  async put<T>(entries: Record<string, T>) {
    const keys = Object.keys(entries)
    if (keys.length > 128) throw new Error(`put of ${keys.length} keys: at most 128`)
    for (const [key, value] of Object.entries(entries)) {
      const bytes = serializedBytes(value)
      if (bytes > MAX_VALUE_BYTES) throw new Error(`value for ${key} is ${bytes} bytes`)
      this.largestValue = Math.max(this.largestValue, bytes)
    }
    for (const [key, value] of Object.entries(entries)) this.data.set(key, structuredClone(value))
  }

  async delete(keys: string[]) {
    if (keys.length > 128) throw new Error(`delete of ${keys.length} keys: at most 128`)
    let count = 0
    for (const key of keys) if (this.data.delete(key)) count++
    return count
  }
}
