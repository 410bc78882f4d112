/**
 * Typed, validated access to localStorage: what another tab or an older version wrote is
 * checked with zod, and anything that does not fit reads as the fallback.
 */
import type { z } from 'zod'

export function readLocal<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const raw = window.localStorage.getItem(key)
    if (raw === null) return fallback
    const parsed = schema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : fallback
  } catch {
    return fallback
  }
}

export function writeLocal(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage full or disabled (private mode): the board still works, it is just not remembered.
  }
}
