/** Calls to our own server from the browser; a refusal throws with the server's message. */
import { errorBodySchema } from '../protocol'

export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The whole error body, for callers that expect more than a message. */
    readonly body: unknown,
  ) {
    super(message)
    this.name = 'ServerError'
  }
}

/** The JSON answer (null for 204). JSON bodies are sent as JSON; forms as they are. */
export async function callServer(path: string, init: RequestInit = {}): Promise<unknown> {
  const headers = new Headers(init.headers)
  if (typeof init.body === 'string' && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json')
  }
  let response: Response
  try {
    response = await fetch(path, { ...init, headers })
  } catch {
    throw new ServerError(
      'Could not reach the server. Check the connection and try again.',
      0,
      null,
    )
  }
  if (response.status === 204) return null
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const error = errorBodySchema.loose().safeParse(body)
    throw new ServerError(
      error.success ? error.data.error : `The server answered ${response.status}.`,
      response.status,
      body,
    )
  }
  return body
}
