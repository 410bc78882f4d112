/**
 * The boards this device knows: their keys (the facilitator secret only ever lives here and
 * in the creator's first URL) and when they were last opened, for the landing page.
 */
import { z } from 'zod'
import {
  boardPagePath,
  boardPath,
  createBoardResponseSchema,
  secretSchema,
  type CreateBoardRequest,
  type CreateBoardResponse,
  type Role,
} from '../protocol'
import { readLocal, writeLocal } from '../shared/local-store'
import { newRoomId } from '../shared/ids'
import { callServer } from '../shared/server-call'

const KEY = 'switchback:boards'
const MAX_RECENT = 30

const knownBoardSchema = z.object({
  title: z.string(),
  lastOpened: z.number(),
  f: secretSchema.optional(),
  k: secretSchema.optional(),
})
export type KnownBoard = z.infer<typeof knownBoardSchema> & { roomId: string }
const knownBoardsSchema = z.record(z.string(), knownBoardSchema)

function readAll() {
  return readLocal(KEY, knownBoardsSchema, {})
}

export function recentBoards(): KnownBoard[] {
  return Object.entries(readAll())
    .map(([roomId, board]) => ({ roomId, ...board }))
    .sort((a, b) => b.lastOpened - a.lastOpened)
}

export function rememberBoard(roomId: string, update: Partial<Omit<KnownBoard, 'roomId'>>): void {
  const all = readAll()
  const current = all[roomId] ?? { title: 'Untitled', lastOpened: Date.now() }
  all[roomId] = { ...current, ...update }
  const newest = Object.entries(all)
    .sort(([, a], [, b]) => b.lastOpened - a.lastOpened)
    .slice(0, MAX_RECENT)
  writeLocal(KEY, Object.fromEntries(newest))
}

export function forgetBoard(roomId: string): void {
  const all = readAll()
  delete all[roomId]
  writeLocal(KEY, all)
}

/** Drops the keys the server refused; the board stays in the list. */
export function forgetKeys(roomId: string): void {
  const all = readAll()
  if (!all[roomId]) return
  delete all[roomId].f
  delete all[roomId].k
  writeLocal(KEY, all)
}

export function roleOf(board: { f?: string; k?: string } | undefined): Role {
  return board?.f ? 'facilitator' : board?.k ? 'participant' : 'viewer'
}

/**
 * Reads the keys a link carries in its fragment (`#f=` facilitator, `#k=` participant),
 * remembers them, and returns what this device holds for the board.
 */
export function claimBoardAccess(roomId: string, hash: string): KnownBoard {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const update: Partial<KnownBoard> = { lastOpened: Date.now() }
  const f = secretSchema.safeParse(params.get('f'))
  const k = secretSchema.safeParse(params.get('k'))
  if (f.success) update.f = f.data
  if (k.success) update.k = k.data
  rememberBoard(roomId, update)
  return recentBoards().find((b) => b.roomId === roomId)!
}

/** Creates a board on the server: blank, from a built-in template, or from a whole template. */
export async function createBoard(request: CreateBoardRequest = {}): Promise<CreateBoardResponse> {
  const body = await callServer(boardPath(newRoomId()), {
    method: 'POST',
    body: JSON.stringify(request),
  })
  return createBoardResponseSchema.parse(body)
}

/** Links for the Share menu; the viewer link carries no key, so it cannot be edited into one. */
export function shareLinks(roomId: string, board: { f?: string; k?: string }) {
  const base = new URL(boardPagePath(roomId), window.location.origin).toString()
  return {
    viewer: base,
    participant: board.k ? `${base}#k=${board.k}` : null,
    facilitator: board.f ? `${base}#f=${board.f}` : null,
  }
}
