import { describe, expect, it } from 'vitest'
import { SOCKET_TICKET_TTL_MS, socketTicketSchema } from '../../src/protocol'
import { MAX_OUTSTANDING_TICKETS, SocketTickets } from '../../src/server/rules/socket-tickets'

describe('socket tickets', () => {
  it('grant their role once, within their lifetime', () => {
    let now = 1_000
    const tickets = new SocketTickets(() => now)
    const { ticket, expiresAt } = tickets.issue('facilitator')
    expect(socketTicketSchema.safeParse(ticket).success).toBe(true)
    expect(expiresAt).toBe(1_000 + SOCKET_TICKET_TTL_MS)
    expect(tickets.redeem(ticket)).toEqual({ role: 'facilitator', author: null })
    expect(tickets.redeem(ticket)).toBeNull()

    const late = tickets.issue('participant').ticket
    now += SOCKET_TICKET_TTL_MS
    expect(tickets.redeem(late)).toBeNull()
    expect(tickets.redeem('A'.repeat(43))).toBeNull()
  })

  it('carry the author key of the person who asked', () => {
    const tickets = new SocketTickets()
    const { ticket } = tickets.issue('participant', 'hash-of-ana')
    expect(tickets.redeem(ticket)).toEqual({ role: 'participant', author: 'hash-of-ana' })
  })

  it('keep memory bounded: expired ones go, and past the cap the oldest', () => {
    let now = 0
    const tickets = new SocketTickets(() => now)
    const first = tickets.issue('participant').ticket
    for (let i = 1; i < MAX_OUTSTANDING_TICKETS; i++) tickets.issue('participant')
    expect(tickets.size).toBe(MAX_OUTSTANDING_TICKETS)
    const newest = tickets.issue('participant').ticket
    expect(tickets.size).toBe(MAX_OUTSTANDING_TICKETS)
    expect(tickets.redeem(first)).toBeNull()
    expect(tickets.redeem(newest)).toEqual({ role: 'participant', author: null })
    now += SOCKET_TICKET_TTL_MS
    expect(tickets.size).toBe(0)
  })
})
