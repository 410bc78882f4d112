/**
 * How many people took part, for the deck's title slide: the board server counts everyone
 * who joined with an edit link.
 */
import { peopleCountSchema, peoplePath } from '../protocol'
import { callServer } from '../shared/server-call'

/** People who joined with edit rights over the board's life; null if the server can't say. */
export async function countParticipants(roomId: string): Promise<number | null> {
  try {
    return peopleCountSchema.parse(await callServer(peoplePath(roomId))).participants
  } catch {
    return null
  }
}
