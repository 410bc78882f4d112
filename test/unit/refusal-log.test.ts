/**
 * The sync room's refusal log (refusal-log.ts): what a board prints while a client sends it bad
 * pushes. Read by a person at a terminal during an attack, it must stay one line per refusal
 * and, under a flood, a few lines a window: so each test counts lines, not only their text.
 * The clock is the test's, so a window ends when the test says.
 */
import { describe, expect, it } from 'vitest'
import {
  REFUSAL_LOG_BUDGET,
  REFUSAL_LOG_WINDOW_MS,
  RefusalLog,
} from '../../src/server/limits/refusal-log'

/** A log printing into an array, on a clock the test moves. */
function logAt(start = 1_000_000) {
  const lines: string[] = []
  let now = start
  const log = new RefusalLog(
    '[board b1]',
    (line) => lines.push(line),
    () => now,
  )
  return { log, lines, advance: (ms: number) => (now += ms) }
}

/** An error as tldraw's room reports one: with a stack several frames deep. */
function thrownDeep(message: string): Error {
  const inner = () => new TypeError(message)
  const outer = () => inner()
  return outer()
}

describe('RefusalLog', () => {
  it('prints one line per refusal, with the error’s name and message and no stack', () => {
    const { log, lines } = logAt()
    const error = thrownDeep('At shape(type = note).props.color: Expected a color, got "nope"')
    expect(error.stack).toMatch(/\n\s+at /)
    log.error(error)
    log.warn('authorizer vetoed put', 'shape:x', 'session:', 'conn-1')
    log.error('Error assembling message', { code: 'bad', detail: 'multi\nline' })

    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe(
      '[board b1] error: TypeError: At shape(type = note).props.color: Expected a color, got "nope"',
    )
    expect(lines[1]).toBe('[board b1] refused: authorizer vetoed put shape:x session: conn-1')
    expect(lines[2]).toMatch(/^\[board b1\] error: Error assembling message \{"code":"bad"/)
    for (const line of lines) {
      expect(line).not.toMatch(/\n|\bat \S+ \(|\.ts:\d+/)
    }
  })

  it('keeps a line short however big the record it quotes', () => {
    const { log, lines } = logAt()
    log.warn('authorizer vetoed put', { id: 'shape:x', props: { text: 'x'.repeat(1_000_000) } })
    expect(lines).toHaveLength(1)
    expect(lines[0].length).toBeLessThan(400)
  })

  it('counts a flood past the budget without printing it, and summarises it in one line', () => {
    const { log, lines, advance } = logAt()
    for (let i = 0; i < 1_000; i++) log.warn('authorizer vetoed put', `shape:${i}`)
    // The budget's lines, and not one more while the window lasts.
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET)
    expect(lines.at(-1)).toContain(`shape:${REFUSAL_LOG_BUDGET - 1}`)
    advance(REFUSAL_LOG_WINDOW_MS - 1)
    log.warn('authorizer vetoed put', 'shape:late')
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET)

    // The first refusal after the window: the summary of what was dropped, then its own line.
    advance(1)
    log.warn('authorizer vetoed put', 'shape:next')
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET + 2)
    const dropped = 1_000 - REFUSAL_LOG_BUDGET + 1
    expect(lines.at(-2)).toBe(
      `[board b1] ${dropped} more refusals in the last ${REFUSAL_LOG_WINDOW_MS / 1000} s (not shown)`,
    )
    expect(lines.at(-1)).toBe('[board b1] refused: authorizer vetoed put shape:next')
  })

  it('prints the summary when flushed after the window, and none for a quiet window', () => {
    const { log, lines, advance } = logAt()
    for (let i = 0; i < REFUSAL_LOG_BUDGET + 5; i++) log.error(thrownDeep(`bad ${i}`))
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET)
    advance(REFUSAL_LOG_WINDOW_MS)
    log.flush()
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET + 1)
    expect(lines.at(-1)).toMatch(/ 5 more refusals in the last 10 s \(not shown\)$/)

    // A new window starts with a whole budget, and a window within it summarises nothing.
    log.warn('authorizer vetoed delete', 'page:page')
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET + 2)
    advance(REFUSAL_LOG_WINDOW_MS)
    log.flush()
    expect(lines).toHaveLength(REFUSAL_LOG_BUDGET + 2)
  })
})
