import { describe, expect, it } from 'vitest'
import * as syncCore from '@tldraw/sync-core'
import { LIMITS } from '../../src/protocol'
import { FrameGuard } from '../../src/server/frame-guard'

// tldraw's own splitter: exported at run time, internal in its published types.
const { chunk } = syncCore as unknown as { chunk(message: string): string[] }

const push = (extra = '') =>
  JSON.stringify({ type: 'push', clientClock: 1, diff: { 'shape:a': [0, { note: extra }] } })

describe('FrameGuard', () => {
  it('passes a well-formed message through', () => {
    expect(new FrameGuard().accept(JSON.stringify({ type: 'ping' }))).toMatchObject({
      kind: 'message',
      json: '{"type":"ping"}',
      data: { type: 'ping' },
    })
  })

  it('tells the cursor lane’s frames apart, strictly checked', () => {
    const cursor = {
      type: 'cursor',
      cursor: { x: 1, y: 2, type: 'pointer', rotation: 0 },
      camera: { x: 0, y: 0, z: 1 },
      screenBounds: null,
    }
    const guard = new FrameGuard()
    expect(guard.accept(JSON.stringify(cursor))).toEqual({ kind: 'cursor', data: cursor })
    const view = { type: 'cursor-view', show: false }
    expect(guard.accept(JSON.stringify(view))).toEqual({ kind: 'cursor', data: view })
    for (const bad of [
      { ...cursor, extra: 1 },
      { ...cursor, cursor: { ...cursor.cursor, x: Number.MAX_VALUE } },
      { ...cursor, camera: { x: 0, y: 0, z: -1 } },
      { ...cursor, screenBounds: { x: 0, y: 0, w: -5, h: 1 } },
      { type: 'cursor-view' },
    ]) {
      expect(guard.accept(JSON.stringify(bad)).kind).toBe('malformed')
    }
  })

  it('reassembles tldraw’s chunked frames', () => {
    const message = push('x'.repeat(600_000))
    const frames = chunk(message)
    expect(frames.length).toBeGreaterThan(1)
    const guard = new FrameGuard()
    const verdicts = frames.map((f) => guard.accept(f))
    expect(verdicts.slice(0, -1).every((v) => v.kind === 'partial')).toBe(true)
    expect(verdicts.at(-1)).toMatchObject({ kind: 'message', json: message })
  })

  it('refuses non-JSON, unknown types and missing fields, saying where', () => {
    const guard = new FrameGuard()
    expect(guard.accept('hello')).toEqual({ kind: 'malformed', reason: 'not JSON' })
    expect(guard.accept('{"type":"drop_table"}').kind).toBe('malformed')
    const verdict = guard.accept('{"type":"push","clientClock":"soon"}')
    expect(verdict).toMatchObject({
      kind: 'malformed',
      reason: expect.stringContaining('clientClock'),
    })
  })

  it('refuses chunks out of order and binary frames', () => {
    const guard = new FrameGuard()
    expect(guard.accept('2_{"ty').kind).toBe('partial')
    expect(guard.accept('0_pe"}').kind).toBe('malformed')
    expect(new FrameGuard().accept(new Uint8Array([1, 2, 3])).kind).toBe('malformed')
  })

  it('refuses an oversized frame or message', () => {
    expect(new FrameGuard().accept('x'.repeat(LIMITS.maxFrameBytes + 1)).kind).toBe('too-big')
    const guard = new FrameGuard()
    const piece = 'y'.repeat(LIMITS.maxFrameBytes - 10)
    const count = Math.ceil(LIMITS.maxMessageBytes / piece.length) + 1
    const verdicts = Array.from({ length: count }, (_, i) =>
      guard.accept(`${count - 1 - i}_${piece}`),
    )
    expect(verdicts.some((v) => v.kind === 'too-big')).toBe(true)
  })
})
