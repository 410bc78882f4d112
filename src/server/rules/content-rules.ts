/**
 * The record rules' check of free-form content (src/board/record-content.ts): whatever a
 * role may write, a record whose rich text the editor cannot read, or whose `meta` is not
 * bounded JSON, is refused, and the writer is told why. It wraps every rule of roles.ts, so no
 * record type is left out (a new one gets it by being a rule), and deleting such a record is
 * always left to the rule: a bad record can be removed.
 *
 * Also the door in front of all that (`pushTooDeep`): a push whose edits or presence nest
 * deeper than any record can is refused before anything walks it recursively (the size
 * check's and the presence throttle's `JSON.stringify`, tldraw's validators), so those never
 * overflow the stack on it.
 */
import type { BoardNotice } from '../../protocol'
import { RECORD_RULES } from '../../protocol'
import { jsonProblem } from '../../board/json-bounds'
import { recordContentProblem } from '../../board/record-content'
import type { ClientMessage } from '../core/client-message'

type AnyRule = (write: { session: { sessionId: string }; next: object | null }) => unknown

/**
 * `rules` (the record rules of roles.ts, one per record type), each refusing a record with bad
 * content after its own rule allowed it.
 */
export function checkingContent<Rules extends object>(
  rules: Rules,
  refused: (sessionId: string, reason: string) => void = () => {},
): Rules {
  const wrapped: Record<string, AnyRule> = {}
  for (const [type, rule] of Object.entries(rules) as [string, AnyRule][]) {
    wrapped[type] = (write) => {
      const verdict = rule(write)
      if (verdict === null || !write.next) return verdict
      const problem = recordContentProblem(write.next)
      if (!problem) return verdict
      const what = 'typeName' in write.next && write.next.typeName === 'shape' ? 'shape' : 'change'
      refused(write.session.sessionId, `That ${what} was not saved: ${problem}.`)
      return null
    }
  }
  return wrapped as unknown as Rules
}

/**
 * How deep a push may nest: the deepest rich text (two levels a node), inside a record's
 * props, inside the push's diff, with room for tldraw's nested patches (a board file too).
 */
export const MAX_PUSH_DEPTH = RECORD_RULES.maxRichTextDepth * 2 + 16

/**
 * Why this push is refused before anything reads it (its edits or its presence), or null
 * (not a push, or shallow enough).
 */
export function pushTooDeep(message: ClientMessage): string | null {
  if (message.type !== 'push') return null
  const { diff, presence } = message
  // Size is the size check's business (board-size.ts); only depth is judged here.
  const bounds = { maxDepth: MAX_PUSH_DEPTH, maxChars: Infinity }
  const problem = jsonProblem(diff ?? null, bounds) ?? jsonProblem(presence ?? null, bounds)
  return problem ? `Your last change was not saved: ${problem}.` : null
}

/** The writer hears why, once a second at most (a refused drag sends many pushes). */
export class ContentNotices {
  private readonly toldAt = new Map<string, number>()

  constructor(
    private readonly send: (sessionId: string, notice: BoardNotice) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  refused(sessionId: string, reason: string): void {
    const now = this.now()
    if (now - (this.toldAt.get(sessionId) ?? -Infinity) < 1000) return
    this.toldAt.set(sessionId, now)
    this.send(sessionId, { kind: 'invalid-record', message: reason })
  }

  /** The socket closed. */
  leave(sessionId: string): void {
    this.toldAt.delete(sessionId)
  }
}
