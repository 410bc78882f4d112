import { describe, expect, it } from 'vitest'
import { CLOSE_REASONS, ROOM_LIMITS, SYNC_FATAL_CLOSE_CODE } from '../../src/protocol'
import { ConnectionCounter, connectionLimitsFrom } from '../../src/server/limits/connection-limits'

const refused = (reason: string) => ({ code: SYNC_FATAL_CLOSE_CODE, reason })

describe('connectionLimitsFrom', () => {
  it('takes 200 editors and 300 viewers by default, and the party’s vars over them', () => {
    expect(connectionLimitsFrom()).toEqual({
      maxEditors: 200,
      maxViewers: 300,
      maxConnectionsPerAddress: ROOM_LIMITS.maxConnectionsPerAddress,
    })
    expect(
      connectionLimitsFrom({
        MAX_EDITORS: '50',
        MAX_VIEWERS: '7',
        MAX_CONNECTIONS_PER_ADDRESS: '0',
      }),
    ).toEqual({ maxEditors: 50, maxViewers: 7, maxConnectionsPerAddress: 0 })
  })

  it('ignores a malformed var', () => {
    expect(connectionLimitsFrom({ MAX_EDITORS: 'lots', MAX_VIEWERS: '-3' })).toMatchObject({
      maxEditors: 200,
      maxViewers: 300,
    })
  })
})

describe('ConnectionCounter', () => {
  it('counts editors and viewers apart; a full board offers the view-only link while it has room', () => {
    const counter = new ConnectionCounter({
      maxEditors: 2,
      maxViewers: 2,
      maxConnectionsPerAddress: 0,
    })
    expect(counter.admit('f', 'facilitator', null)).toBeNull()
    expect(counter.admit('p', 'participant', null)).toBeNull()
    expect(counter.admit('p2', 'participant', null)).toEqual(
      refused(CLOSE_REASONS.boardFullForEditors),
    )
    expect(counter.admit('v1', 'viewer', null)).toBeNull()
    expect(counter.admit('v2', 'viewer', null)).toBeNull()
    expect(counter.admit('v3', 'viewer', null)).toEqual(refused(CLOSE_REASONS.boardFull))
    // No viewer place left: an editor is no longer offered one.
    expect(counter.admit('p3', 'participant', null)).toEqual(refused(CLOSE_REASONS.boardFull))
    expect(counter.size).toBe(4)

    counter.leave('p')
    expect(counter.admit('p4', 'participant', null)).toBeNull()
    counter.leave('v1')
    expect(counter.admit('v4', 'viewer', null)).toBeNull()
  })

  it('counts a resumed socket without judging it, once', () => {
    const counter = new ConnectionCounter({
      maxEditors: 1,
      maxViewers: 1,
      maxConnectionsPerAddress: 1,
    })
    counter.readmit('a', 'participant', '10.0.0.1')
    counter.readmit('b', 'participant', '10.0.0.1')
    counter.readmit('b', 'participant', '10.0.0.1')
    expect(counter.size).toBe(2)
    expect(counter.admit('c', 'viewer', '10.0.0.1')).toEqual(
      refused(CLOSE_REASONS.tooManyFromAddress),
    )
    expect(counter.admit('d', 'participant', '10.0.0.2')).toEqual(
      refused(CLOSE_REASONS.boardFullForEditors),
    )
    counter.leave('a')
    counter.leave('b')
    expect(counter.admit('e', 'participant', '10.0.0.1')).toBeNull()
  })
})
