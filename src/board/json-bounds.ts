/**
 * Whether a value is plain JSON within a depth and a size, checked without recursion: what
 * the server asks of every free-form part of a record (`meta`, rich text) before anything
 * else reads it. A value nested thousands deep makes `JSON.stringify`, tldraw's validators and
 * ProseMirror overflow the stack, so the walk keeps its own stack and stops at the first
 * problem, and its size count stops as soon as the bound is passed.
 */

export interface JsonBounds {
  /** Levels of objects and arrays; a primitive at the top is depth 0. */
  maxDepth: number
  /** About the length of the value's JSON text (strings, keys and punctuation counted). */
  maxChars: number
}

/**
 * What is wrong with `value` (not JSON, too deep, too big), or null. The reason names the
 * bound, for a notice to whoever wrote it.
 */
export function jsonProblem(value: unknown, bounds: JsonBounds): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  let chars = 0
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop()!
    if (item === null || typeof item === 'boolean') chars += 5
    else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'it holds a number JSON cannot carry'
      chars += 8
    } else if (typeof item === 'string') chars += item.length + 2
    else if (typeof item === 'object') {
      if (depth >= bounds.maxDepth) {
        return `it is nested more than ${bounds.maxDepth} levels deep`
      }
      if (Array.isArray(item)) {
        chars += 2 + item.length
        for (const child of item) stack.push({ value: child, depth: depth + 1 })
      } else {
        const proto: unknown = Object.getPrototypeOf(item)
        if (proto !== Object.prototype && proto !== null)
          return 'it holds a value JSON cannot carry'
        for (const [key, child] of Object.entries(item)) {
          // An absent property, as JSON.stringify drops it (records built in code have them).
          if (child === undefined) continue
          chars += key.length + 4
          stack.push({ value: child, depth: depth + 1 })
        }
        chars += 2
      }
    } else return 'it holds a value JSON cannot carry'
    if (chars > bounds.maxChars) {
      return `it is bigger than ${bounds.maxChars.toLocaleString('en')} characters`
    }
  }
  return null
}
