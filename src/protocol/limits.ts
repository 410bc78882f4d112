/**
 * Limits both sides know: what a socket message, an image and a record may be, and what keeps
 * a board's room up whatever its clients send.
 */
import { CROWD_CURSOR_THRESHOLD } from './cursors'

/**
 * Limits on what a client may send over the socket. tldraw's client splits messages into
 * frames of at most 1 MiB; a whole (reassembled) message above MAX_MESSAGE_BYTES is refused.
 */
export const LIMITS = {
  maxFrameBytes: 1024 * 1024,
  maxMessageBytes: 16 * 1024 * 1024,
  /**
   * Images are stored inline, base64 (4/3 the size), in the board's records; the app refuses a
   * bigger file up front so that its push always fits in one message.
   */
  maxImageBytes: 8 * 1024 * 1024,
  /**
   * Pasted still images are scaled down to fit this square (the client's tldraw setting); the
   * server refuses an image asset that claims to be bigger. Animated images are not scaled.
   */
  maxImageDimension: 2400,
} as const

/**
 * What the server accepts in the records a client writes (src/server/rules/roles.ts). An asset's
 * `src`, and a bookmark's picture and icon, are fetched by every attendee's browser, so they
 * may only be data inside the record (`data:` of one of these types) or a path on our own
 * origin: never another host, which would learn who is on the board.
 */
export const RECORD_RULES = {
  imageDataTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'],
  videoDataTypes: ['video/mp4', 'video/webm', 'video/quicktime'],
  /** How deep shapes may nest (frame in frame in group…); also stops a parent cycle. */
  maxShapeDepth: 32,
  /**
   * Free-form JSON in a record (src/board/record-content.ts): rich text (a note's, a text's, a
   * geo or arrow label) nests so many nodes deep (a list in a list is two) and is so long as
   * JSON; every record's `meta` (Switchback's own marks, the agenda) so deep and so long.
   */
  maxRichTextDepth: 40,
  maxRichTextChars: 256 * 1024,
  maxMetaDepth: 16,
  maxMetaChars: 512 * 1024,
} as const

/**
 * Limits that keep a board's room up whatever its clients send: one socket, one address or a
 * crowd can slow or lose only itself, never the room. Figures and reasons are in the README
 * ("Security model"); the server enforces them (src/server), the app explains the closes.
 */
export const ROOM_LIMITS = {
  /**
   * Editors (participants and facilitators) on one board at once. The board party hibernates
   * (PartyKit allows 32,000 connections a room with hibernation, 100 without), so this is
   * Switchback's own cap: what one room's sync and fan-out carry. The `MAX_EDITORS` var
   * changes it.
   */
  maxEditors: 200,
  /**
   * Viewers (the view-only link) beside them, counted apart: a board full of editors still
   * takes a projector or a latecomer watching, and the "board is full" screen offers the link.
   * The `MAX_VIEWERS` var changes it.
   */
  maxViewers: 300,
  /**
   * What the server keeps with each socket so that the room can resume it after the board's
   * Durable Object wakes from hibernation (role, person, author, tldraw's session snapshot), in
   * bytes of JSON. Cloudflare keeps at most 2,048 bytes with a socket, PartyKit's own id and
   * the socket's URL included; past this the presence record is left out, then the session.
   */
  maxSocketStateBytes: 1280,
  /**
   * Sockets from one client address (`cf-connecting-ip`), so one machine cannot take every
   * place. Generous: a workshop in one office shares one public address. `0` turns it off;
   * the `MAX_CONNECTIONS_PER_ADDRESS` var changes it.
   */
  maxConnectionsPerAddress: 40,
  /**
   * Frames and bytes one socket may send per second, sustained, and in a burst (token buckets
   * that start full). tldraw's client pushes at most 30 times a second; a whole 16 MiB message
   * (a pasted board, an 8 MB image) fits in the byte burst.
   */
  framesPerSecond: 60,
  frameBurst: 120,
  bytesPerSecond: 1024 * 1024,
  byteBurst: 20 * 1024 * 1024,
  /** Over budget, a socket's frames wait in a queue this deep; past it the socket is closed. */
  maxQueuedFrames: 100,
  maxQueuedBytes: 2 * 1024 * 1024,
  /**
   * Presence (cursor, selection) forwarded per session per second, the latest kept: every
   * forward is sent to every other socket, so presence costs grow with the square of the room.
   */
  presencePerSecond: 10,
  /**
   * All of a board's editors' presence forwards together, per second: each session's rate is
   * min(presencePerSecond, this / editors), so the room's presence fan-out (every forward goes
   * to every socket) grows with the room rather than its square. Only slow presence (names,
   * selections) is forwarded at all; cursors have their own lane (presence/cursor-lane.ts).
   */
  presencePerRoomPerSecond: 100,
  /**
   * A viewer's presence carries only what the people list shows (name, colour), at most this
   * often: nobody needs a watcher's cursor.
   */
  viewerPresencePerSecond: 1,
  /** A viewer sends connect, presence and pings: a few KB. Past this a message is refused. */
  viewerMaxMessageBytes: 256 * 1024,
  /** Unfinished chunked messages held for all of a board's sockets together. */
  maxUnfinishedBytesPerRoom: 32 * 1024 * 1024,
  /** Frames (and their bytes) a socket may send before its role is known (a real one sends 1). */
  maxEarlyFrames: 32,
  maxEarlyBytes: 256 * 1024,
  /** Records on one board: 5x the 4,000-sticky board the tests and benchmarks use. */
  maxRecords: 20_000,
  /**
   * The board's records as JSON: a board bigger than a snapshot's board file could not be
   * snapshotted or restored, and the whole board lives in the Durable Object's 128 MB.
   */
  maxBoardBytes: 16 * 1024 * 1024,
  /**
   * Editors present above which crowd mode `auto` shows only the facilitators' cursors: past
   * it a board of moving pointers is noise, and each cursor is an entry in every tick.
   */
  crowdCursorThreshold: CROWD_CURSOR_THRESHOLD,
} as const
