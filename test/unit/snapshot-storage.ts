/**
 * The in-memory Durable Object storage, extended for snapshots: binary values are measured as
 * workerd measures them (their bytes plus 13 of V8 serialisation, seen in `partykit dev`), and
 * the storage can die after a given number of calls, as in a crash.
 */
import { MAX_VALUE_BYTES, MemoryStorage } from './memory-storage'

/** What workerd adds to a Uint8Array's length when it stores one. */
const BINARY_OVERHEAD = 13

export class SnapshotTestStorage extends MemoryStorage {
  /** Every write call in order: the keys it put or deleted. */
  readonly writes: { op: 'put' | 'delete'; keys: string[] }[] = []
  /** Calls (get, list, put, delete) left before every call throws; Infinity never. */
  callsLeft = Infinity

  override async get<T>(key: string) {
    this.spend()
    return super.get<T>(key)
  }

  override async list<T>(options: { prefix: string }) {
    this.spend()
    return super.list<T>(options)
  }

  override async put<T>(entries: Record<string, T>) {
    this.spend()
    const binary: [string, ArrayBufferView][] = []
    const other: Record<string, T> = {}
    for (const [key, value] of Object.entries(entries)) {
      if (ArrayBuffer.isView(value)) binary.push([key, value])
      else other[key] = value
    }
    if (Object.keys(entries).length > 128) throw new Error('put of more than 128 keys')
    for (const [key, value] of binary) {
      // V8 serialises a view's whole underlying buffer, not only the part it shows.
      const bytes = value.buffer.byteLength + BINARY_OVERHEAD
      if (bytes > MAX_VALUE_BYTES) throw new Error(`value for ${key} is ${bytes} bytes`)
      this.largestValue = Math.max(this.largestValue, bytes)
    }
    await super.put(other)
    for (const [key, value] of binary) this.data.set(key, structuredClone(value))
    this.writes.push({ op: 'put', keys: Object.keys(entries) })
  }

  override async delete(keys: string[]) {
    this.spend()
    const count = await super.delete(keys)
    this.writes.push({ op: 'delete', keys })
    return count
  }

  keys(prefix: string): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort()
  }

  private spend() {
    if (this.callsLeft <= 0) throw new Error('storage is gone (simulated crash)')
    this.callsLeft--
  }
}
