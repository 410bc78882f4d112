/**
 * Reading request bodies within a limit, for every party. A body is never held in full past
 * its limit (a chunked body has no length to refuse it by), and a refused body is still read
 * and dropped, up to twice the limit: a client gets its refusal cleanly only once the server
 * has taken what it sends; otherwise it sees a reset (EPIPE), or its next request does.
 */

/** What we read of a request: both the Workers and the DOM `Request` fit. */
export interface BodyRequest {
  headers: { get(name: string): string | null }
  arrayBuffer(): Promise<ArrayBuffer>
  body: { getReader(): BodyReader } | null
}
interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>
  cancel(): Promise<void>
}

/** The body, or null when it is over `maxBytes` (declared or as read); null bodies are drained. */
export async function readBody(
  req: BodyRequest,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(req.headers.get('Content-Length') ?? 0) > maxBytes) {
    await drainBody(req, maxBytes)
    return null
  }
  if (!req.body) {
    const bytes = new Uint8Array(await req.arrayBuffer())
    return bytes.byteLength > maxBytes ? null : bytes
  }
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (!value) continue
    total += value.byteLength
    if (total > maxBytes) {
      chunks.length = 0
      await discard(reader, total, 2 * maxBytes)
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Reads and drops the body of a request refused anyway (up to twice `limit`, then cuts it). */
export async function drainBody(req: BodyRequest, limit: number): Promise<void> {
  if (req.body) await discard(req.body.getReader(), 0, 2 * limit)
}

async function discard(reader: BodyReader, alreadyRead: number, cap: number): Promise<void> {
  let total = alreadyRead
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      total += value?.byteLength ?? 0
      if (total > cap) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}
