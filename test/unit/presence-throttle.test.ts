import { describe, expect, it } from 'vitest'
import { ROOM_LIMITS } from '../../src/protocol'
import { PresenceThrottle, type HighRatePresence } from '../../src/server/presence-throttle'

const push = (clientClock: number, name: string, x: number) => ({
  type: 'push',
  clientClock,
  presence: [
    'put',
    {
      id: 'instance_presence:a',
      userName: name,
      cursor: { x, y: 0, type: 'default', rotation: 0 },
      camera: { x: 0, y: 0, z: 1 },
      screenBounds: { x: 0, y: 0, w: 10, h: 10 },
      lastActivityTimestamp: x,
    },
  ],
})

/** A throttle on a manual clock, recording what it forwards and what it gives the lane. */
function throttle(editors: number) {
  let now = 0
  const forwarded: { presence?: [string, Record<string, unknown>] }[] = []
  const moved: HighRatePresence[] = []
  const t = new PresenceThrottle(
    false,
    (json) => forwarded.push(JSON.parse(json) as (typeof forwarded)[number]),
    ROOM_LIMITS,
    () => now,
    undefined,
    { moved: (fields) => moved.push(fields), editors: () => editors },
  )
  const send = (message: ReturnType<typeof push>) => t.accept(message, JSON.stringify(message))
  return { t, send, forwarded, moved, advance: (ms: number) => (now += ms) }
}

describe('PresenceThrottle', () => {
  it('gives the lane the high-rate fields, and the room presence only when the rest changed', () => {
    const { t, send, forwarded, moved } = throttle(2)
    for (let i = 1; i <= 10; i++) send(push(i, 'Ada', i))
    expect(moved).toHaveLength(10)
    expect(moved.at(-1)?.cursor).toMatchObject({ x: 10 })
    const withPresence = forwarded.filter((m) => m.presence)
    expect(withPresence).toHaveLength(1)
    expect(withPresence[0].presence?.[1]).toMatchObject({
      userName: 'Ada',
      cursor: null,
      camera: null,
      screenBounds: null,
      lastActivityTimestamp: null,
    })
    // Every push is answered (none held back for a cursor move).
    expect(forwarded).toHaveLength(10)
    t.dispose()
  })

  it('shares the room’s presence rate among its editors', () => {
    const rate = (editors: number) => {
      const { t, send, forwarded, advance } = throttle(editors)
      // A new name every 100 ms for 10 s.
      for (let i = 1; i <= 100; i++) {
        send(push(i, `Ada ${i}`, 0))
        advance(100)
      }
      t.dispose()
      return forwarded.filter((m) => m.presence).length / 10
    }
    expect(rate(2)).toBe(ROOM_LIMITS.presencePerSecond)
    expect(rate(100)).toBeLessThanOrEqual(ROOM_LIMITS.presencePerRoomPerSecond / 100 + 0.1)
    expect(rate(200)).toBeLessThanOrEqual(ROOM_LIMITS.presencePerRoomPerSecond / 200 + 0.1)
  })
})
