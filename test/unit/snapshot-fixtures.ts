/** Real PNGs, real board files and upload requests for the snapshot tests. */
import { readFileSync } from 'node:fs'
import { PNG } from 'pngjs'
import { SNAPSHOT_FORM, snapshotsPath } from '../../src/protocol'
import { initialBoard } from '../../src/server/room/initial-board'
import { parseTemplate } from '../../src/protocol/template-format'

export const roomId = 'abcdefghijklmnopqrstuv'
export const origin = 'http://localhost:1999'

export function pngBytes(width: number, height: number): Uint8Array<ArrayBuffer> {
  const image = new PNG({ width, height })
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7919) % 251
  return new Uint8Array(PNG.sync.write(image))
}

const retro = (() => {
  const text = readFileSync(new URL('../../templates/retro.json', import.meta.url), 'utf8')
  const parsed = parseTemplate(JSON.parse(text))
  if (!parsed.ok) throw new Error('templates/retro.json does not parse')
  return parsed.template
})()

/** A board as `GET /parties/board/<roomId>` answers it: the retro template, rendered. */
export function boardFile(title = 'Retro') {
  const snapshot = initialBoard(title, retro, 'inst1234')
  return {
    schema: snapshot.schema!,
    store: Object.fromEntries(
      snapshot.documents.map((d) => [d.state.id, d.state]),
    ) as unknown as Record<string, { id: string; typeName: string; [key: string]: unknown }>,
  }
}

export interface UploadParts {
  image?: Blob | string | null
  board?: Blob | string | null
  title?: Blob | string | null
}

/** `POST …/snapshots` with a multipart form; a part set to null is left out. */
export function uploadRequest(
  parts: UploadParts = {},
  headers: Record<string, string> = {},
): Request {
  const form = new FormData()
  const image =
    parts.image === undefined ? new Blob([pngBytes(320, 180)], { type: 'image/png' }) : parts.image
  const board = parts.board === undefined ? JSON.stringify(boardFile()) : parts.board
  if (image !== null) form.set(SNAPSHOT_FORM.image, image)
  if (board !== null) form.set(SNAPSHOT_FORM.board, board)
  if (parts.title !== undefined && parts.title !== null) form.set(SNAPSHOT_FORM.title, parts.title)
  return new Request(`${origin}${snapshotsPath(roomId)}`, { method: 'POST', body: form, headers })
}
