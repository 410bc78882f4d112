/**
 * Fuzz: generated HTTP requests thrown at both parties' request handlers (in-memory storage, no
 * PartyKit): board creation, snapshot upload and the board's other facilitation-free routes,
 * library creation and publishing, with the right secret, a wrong one and none. Bodies are
 * JSON of the wrong shape, huge strings, deep nesting, garbage bytes and multipart forms with
 * wrong parts; Content-Type is wrong or absent; Content-Length is absurd; the request may look
 * cross-site. Whatever comes, the answer is a 2xx or a 4xx (a refusal with a JSON `{ error }`),
 * never a throw or a 5xx; a refusal stores nothing; and a good request still works after.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  SNAPSHOT_FORM,
  boardPath,
  libraryPath,
  libraryTemplatePath,
  peoplePath,
  snapshotPath,
  snapshotRestorePath,
  snapshotsPath,
  ticketsPath,
} from '../../src/protocol'
import { BoardRoom } from '../../src/server/room/board-room'
import { handleBoardRequest } from '../../src/server/room/board-routes'
import { handleLibraryRequest } from '../../src/server/library/library-routes'
import { LibraryStore } from '../../src/server/library/library-store'
import type { MemoryStorage } from './memory-storage'
import { SnapshotTestStorage } from './snapshot-storage'
import { boardFile, origin, pngBytes, roomId, uploadRequest } from './snapshot-fixtures'
import { readFileSync } from 'node:fs'

/** Runs per target; five targets. Sized to keep the whole file near ten seconds. */
const RUNS_PER_TARGET = 400
const libraryId = 'abcdefghijklmnopqrstuv'
const retroText = readFileSync(new URL('../../templates/retro.json', import.meta.url), 'utf8')

// ---------------------------------------------------------------------------------------------
// What is sent
// ---------------------------------------------------------------------------------------------

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n)
const deepObject = (n: number) => '{"a":'.repeat(n) + '{}' + '}'.repeat(n)
const huge = fc.integer({ min: 1_000, max: 1_200_000 }).map((n) => 'x'.repeat(n))

/** JSON that parses but is not what the route reads: right keys with wrong values, and more. */
const wrongShape = fc.oneof(
  fc.json(),
  fc
    .record(
      {
        title: fc.oneof(fc.jsonValue(), huge),
        name: fc.oneof(fc.jsonValue(), huge),
        templateId: fc.jsonValue(),
        template: fc.oneof(
          fc.jsonValue(),
          fc.constant(JSON.parse(retroText) as unknown),
          fc.jsonValue().map((v) => ({ ...(JSON.parse(retroText) as object), elements: v })),
        ),
        id: fc.jsonValue(),
        formatVersion: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 200_000 }).map(deepArray),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `{"template":${deepObject(n)}}`),
)

/** A multipart form whose parts are wrong: missing, misnamed, of the wrong type or content. */
const wrongForm = fc
  .array(
    fc.tuple(
      fc.constantFrom(SNAPSHOT_FORM.image, SNAPSHOT_FORM.board, SNAPSHOT_FORM.title, 'other', ''),
      fc.oneof(
        fc.string(),
        huge,
        wrongShape,
        fc.constant(JSON.stringify(boardFile())),
        fc
          .tuple(
            fc.uint8Array({ maxLength: 4_000 }),
            fc.constantFrom('image/png', 'application/json', 'text/plain', ''),
          )
          .map(([bytes, type]) => new Blob([bytes], { type })),
        // A real PNG of absurd or zero size, or cut short.
        fc
          .tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 3 }), fc.nat(3))
          .map(([w, h, cut]) => {
            const png = pngBytes(w, h)
            return new Blob([cut === 0 ? png.slice(0, png.length / 2) : png], {
              type: 'image/png',
            })
          }),
      ),
    ),
    { maxLength: 5 },
  )
  .map((parts) => {
    const form = new FormData()
    for (const [name, value] of parts) form.append(name, value)
    return form
  })

type Body = string | Uint8Array<ArrayBuffer> | FormData | null
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 4, arbitrary: wrongShape },
  { weight: 1, arbitrary: huge },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 10_000 }).map((b) => new Uint8Array(b)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 3, arbitrary: wrongForm },
  { weight: 1, arbitrary: fc.constant(null) },
)

const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=nope',
      'image/png',
    ),
    fc.string(),
  ),
  { nil: undefined },
)

const contentLength = fc.option(
  fc.oneof(
    fc.constantFrom('0', '-1', '1e309', 'NaN', '99999999999999999999', '18446744073709551616'),
    fc.nat().map(String),
    fc.string(),
  ),
  { nil: undefined },
)

type Secret = 'right' | 'other' | 'wrong' | 'garbage' | 'none'

/** Mostly `usual`: most requests must pass the early gates for their bodies to be read at all. */
const mostly = <T>(usual: T, ...others: T[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(usual) }, fc.constantFrom(...others))

const request = fc.record({
  body,
  // 'right': the type the route reads (JSON, or the form's own multipart type with its boundary).
  contentType: fc.oneof({ weight: 2, arbitrary: fc.constant('right' as const) }, contentType),
  contentLength,
  secret: mostly<Secret>('right', 'other', 'wrong', 'garbage', 'none'),
  origin: mostly(undefined, 'https://evil.example', 'null', origin),
  fetchSite: mostly(undefined, 'cross-site', 'same-site', 'same-origin', 'none'),
})
type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never

/** The request, with whichever of the generated headers are present (a header may not parse). */
function build(
  path: string,
  method: string,
  g: Generated,
  secrets: Record<Secret, string | null>,
): Request {
  const headers = new Headers()
  const set = (name: string, value: string | undefined | null) => {
    if (value === undefined || value === null) return
    try {
      headers.set(name, value)
    } catch {
      // Not a legal header value (a control character): a client could not send it either.
    }
  }
  if (g.contentType !== 'right') set('Content-Type', g.contentType)
  else if (!(g.body instanceof FormData)) set('Content-Type', 'application/json')
  set('Content-Length', g.contentLength)
  set('Origin', g.origin)
  set('Sec-Fetch-Site', g.fetchSite)
  set('Authorization', secrets[g.secret] === null ? null : `Bearer ${secrets[g.secret]}`)
  const withBody = method !== 'GET' && method !== 'HEAD'
  return new Request(`${origin}${path}`, { method, headers, body: withBody ? g.body : null })
}

// ---------------------------------------------------------------------------------------------
// The parties
// ---------------------------------------------------------------------------------------------

/** A board's room on its own storage; created with its secrets when asked. */
async function boardRoom(created: boolean) {
  const storage = new SnapshotTestStorage()
  const room = new BoardRoom({
    roomId,
    storage,
    connections: () => [],
    exclusive: <T>(task: () => Promise<T>) => task(),
  })
  let secrets = { f: '', k: '' }
  if (created) {
    const answer = await handleBoardRequest(
      new Request(`${origin}${boardPath(roomId)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ templateId: 'retro' }),
      }),
      room,
    )
    expect(answer.status).toBe(201)
    const created = (await answer.json()) as { facilitatorSecret: string; participantKey: string }
    secrets = { f: created.facilitatorSecret, k: created.participantKey }
  }
  return { storage, room, secrets }
}

async function library(created: boolean) {
  const storage = new SnapshotTestStorage()
  const host = {
    libraryId,
    store: new LibraryStore(storage),
    exclusive: <T>(task: () => Promise<T>) => task(),
  }
  let secret = ''
  if (created) {
    const answer = await handleLibraryRequest(
      new Request(`${origin}${libraryPath(libraryId)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Team' }),
      }),
      host,
    )
    expect(answer.status).toBe(201)
    secret = ((await answer.json()) as { secret: string }).secret
  }
  return { storage, host, secret }
}

const keys = (storage: MemoryStorage) => [...storage.data.keys()].sort()

/**
 * Sends one request and checks its answer: a 2xx, or a 4xx with a JSON `{ error }` and the
 * storage's keys as they were. Returns the status.
 */
async function expectHandled(
  storage: MemoryStorage,
  req: Request,
  handle: (req: Request) => Promise<Response>,
): Promise<number> {
  const before = keys(storage)
  const answer = await handle(req)
  const what = `${req.method} ${new URL(req.url).pathname} → ${answer.status}`
  expect(answer.status, what).toBeGreaterThanOrEqual(200)
  expect(answer.status, what).toBeLessThan(500)
  expect(answer.status, what).not.toBe(300)
  if (answer.status >= 400) {
    expect(answer.headers.get('Content-Type'), what).toMatch(/^application\/json/)
    const body = (await answer.json()) as { error?: unknown }
    expect(typeof body.error, what).toBe('string')
    expect(keys(storage), `${what}: stored after a refusal`).toEqual(before)
  } else {
    await answer.arrayBuffer()
  }
  return answer.status
}

const fuzz = (property: fc.IAsyncProperty<[Generated]>, seed: number) =>
  fc.assert(property, { numRuns: RUNS_PER_TARGET, seed })

describe('fuzz: generated HTTP requests at both parties', () => {
  it('board: creation, snapshot upload and the other routes refuse cleanly and store nothing', async () => {
    const started = Date.now()
    const statuses = new Map<number, number>()
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)

    // Creation: each run on a board not created yet (a request that happens to be good creates
    // it, so the next run needs a fresh one).
    await fuzz(
      fc.asyncProperty(request, async (g) => {
        const b = await boardRoom(false)
        const req = build(boardPath(roomId), 'POST', g, {
          right: null,
          other: null,
          wrong: 'W'.repeat(43),
          garbage: '\u00ff',
          none: null,
        })
        count(await expectHandled(b.storage, req, (r) => handleBoardRequest(r, b.room)))
      }),
      1,
    )

    // One created board takes everything else, and must still work after.
    const b = await boardRoom(true)
    const secrets = {
      right: b.secrets.f,
      other: b.secrets.k,
      wrong: 'W'.repeat(43),
      garbage: 'not a secret at all',
      none: null,
    }
    const send = (r: Request) => handleBoardRequest(r, b.room)
    await fuzz(
      fc.asyncProperty(request, async (g) => {
        count(
          await expectHandled(b.storage, build(snapshotsPath(roomId), 'POST', g, secrets), send),
        )
      }),
      2,
    )
    const otherRoutes = fc.tuple(
      fc.constantFrom(
        boardPath(roomId),
        peoplePath(roomId),
        ticketsPath(roomId),
        snapshotsPath(roomId),
        snapshotPath(roomId, 'abcdefgh12'),
        `${snapshotPath(roomId, 'abcdefgh12')}.png`,
        `${snapshotPath(roomId, 'abcdefgh12')}.json`,
        snapshotRestorePath(roomId, 'abcdefgh12'),
        `${boardPath(roomId)}/%00/../x`,
      ),
      fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    )
    await fc.assert(
      fc.asyncProperty(otherRoutes, request, async ([path, method], g) => {
        // A good snapshot upload is the only write these routes take; none is sent here.
        count(await expectHandled(b.storage, build(path, method, g, secrets), send))
      }),
      { numRuns: RUNS_PER_TARGET, seed: 3 },
    )

    // The board still answers good requests: its people, a ticket, a snapshot.
    expect(await (await send(new Request(`${origin}${peoplePath(roomId)}`))).json()).toEqual({
      participants: 0,
    })
    const ticket = await send(
      new Request(`${origin}${ticketsPath(roomId)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${b.secrets.k}` },
      }),
    )
    expect(ticket.status).toBe(200)
    const snapshot = await send(uploadRequest({}, { Authorization: `Bearer ${b.secrets.f}` }))
    expect(snapshot.status).toBe(201)
    expect(b.room.backup()).not.toBeNull()

    console.info(
      `fuzz-http board: ${[...statuses].sort(([x], [y]) => x - y).map(([s, n]) => `${s}×${n}`)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  }, 60_000)

  it('library: creation and publishing, with and without the secret, refuse cleanly', async () => {
    const started = Date.now()
    await fuzz(
      fc.asyncProperty(request, async (g) => {
        const l = await library(false)
        const req = build(libraryPath(libraryId), 'POST', g, {
          right: null,
          other: null,
          wrong: 'W'.repeat(43),
          garbage: '\u00ff',
          none: null,
        })
        await expectHandled(l.storage, req, (r) => handleLibraryRequest(r, l.host))
      }),
      4,
    )

    const l = await library(true)
    const secrets = {
      right: l.secret,
      other: l.secret,
      wrong: 'W'.repeat(43),
      garbage: 'not a secret at all',
      none: null,
    }
    const send = (r: Request) => handleLibraryRequest(r, l.host)
    await fuzz(
      fc.asyncProperty(request, fc.constantFrom('retro', 'other-one'), async (g, templateId) => {
        const req = build(libraryTemplatePath(libraryId, templateId), 'PUT', g, secrets)
        await expectHandled(l.storage, req, send)
      }) as unknown as fc.IAsyncProperty<[Generated]>,
      5,
    )

    // The library still takes a good template and lists it.
    const published = await send(
      new Request(`${origin}${libraryTemplatePath(libraryId, 'retro')}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${l.secret}` },
        body: retroText,
      }),
    )
    expect(published.status).toBeLessThan(300)
    const listing = await send(new Request(`${origin}${libraryPath(libraryId)}`))
    expect(((await listing.json()) as { templates: { id: string }[] }).templates).toEqual([
      expect.objectContaining({ id: 'retro' }),
    ])
    console.info(`fuzz-http library: ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }, 60_000)
})
