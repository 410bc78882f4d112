/**
 * A real dot vote through the real server, run from raw sockets: a facilitator session starts
 * it, voters (each with a person key of their own) cast their dots, the facilitator ends it.
 * For tests of what comes after a vote (the results panel, exports, the deck) without driving
 * the voting UI.
 */
import { nanoid } from 'nanoid'
import { workshopMember } from './raw-workshop'

/** A raw workshop socket for `secret` with a fresh person key, named `name` when given. */
async function facilitationSession(
  serverUrl: string,
  roomId: string,
  secret: string,
  name?: string,
) {
  const member = await workshopMember(serverUrl, roomId, secret, nanoid(43))
  if (name) await member.act({ type: 'name', name })
  return member
}

export interface RawVote {
  title: string
  scopeLabel?: string
  stickyIds: string[]
  /** One voter per entry: the stickies they put a dot on (an id twice: two dots). */
  ballots: { name: string; dots: string[] }[]
  anonymous?: boolean
}

/** Starts, casts and ends a vote; the board then has its result. */
export async function runVote(
  serverUrl: string,
  roomId: string,
  secrets: { facilitatorSecret: string; participantKey: string },
  vote: RawVote,
): Promise<void> {
  const facilitator = await facilitationSession(serverUrl, roomId, secrets.facilitatorSecret)
  const voters = await Promise.all(
    vote.ballots.map((b) => facilitationSession(serverUrl, roomId, secrets.participantKey, b.name)),
  )
  try {
    await facilitator.act({
      type: 'vote-start',
      title: vote.title,
      scopeLabel: vote.scopeLabel ?? 'Selection',
      stickyIds: vote.stickyIds,
      votesPerPerson: Math.max(1, ...vote.ballots.map((b) => b.dots.length)),
      maxPerSticky: 5,
      anonymous: vote.anonymous ?? true,
    })
    for (const [i, ballot] of vote.ballots.entries()) {
      for (const stickyId of ballot.dots) {
        await voters[i].act({ type: 'vote', stickyId, change: 1 })
      }
    }
    await facilitator.act({ type: 'vote-end' })
  } finally {
    for (const session of [facilitator, ...voters]) session.socket.close()
  }
}
