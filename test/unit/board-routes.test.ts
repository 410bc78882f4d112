import { describe, expect, it } from 'vitest'
import {
  MAX_SNAPSHOT_TITLE_LENGTH,
  boardPath,
  facilitationPath,
  peoplePath,
  snapshotBoardPath,
  snapshotImagePath,
  snapshotListSchema,
  snapshotPath,
  snapshotRestorePath,
  snapshotSummarySchema,
  snapshotsPath,
} from '../../src/protocol'
import {
  handleBoardRequest,
  readCreateBody,
  routeBoardRequest,
  safetyTitle,
  type BoardHost,
  type RestoreOutcome,
} from '../../src/server/room/board-routes'
import { FACILITATION_LIMITS } from '../../src/protocol/facilitation'
import { People } from '../../src/server/workshop/people'
import { mintBoardAuth } from '../../src/server/rules/roles'
import { SnapshotStore } from '../../src/server/snapshots/snapshot-store'
import { refusal } from './refusal'
import { boardFile, origin, pngBytes, roomId, uploadRequest } from './snapshot-fixtures'
import { SnapshotTestStorage } from './snapshot-storage'
import { SocketTickets } from '../../src/server/rules/socket-tickets'

const secret = 'S'.repeat(43)
const snapId = '0mwuqm43cClQyDv2F'
const at = (path: string, init?: RequestInit) => new Request(`${origin}${path}`, init)

describe('board routes', () => {
  it('tells the requests apart by method and path', () => {
    const auth = { headers: { Authorization: `Bearer ${secret}` } }
    const route = (path: string, init?: RequestInit) => routeBoardRequest(at(path, init), roomId)
    expect(route(snapshotsPath(roomId))).toEqual({ kind: 'list' })
    expect(route(`${snapshotsPath(roomId)}/`)).toEqual({ kind: 'list' })
    expect(route(snapshotsPath(roomId), { method: 'POST', ...auth })).toEqual({
      kind: 'take',
      secret,
    })
    expect(route(snapshotsPath(roomId), { method: 'POST' })).toEqual({ kind: 'take', secret: null })
    expect(route(snapshotImagePath(roomId, snapId))).toEqual({
      kind: 'image',
      id: snapId,
      head: false,
      ifNoneMatch: null,
    })
    expect(
      route(snapshotImagePath(roomId, snapId), {
        method: 'HEAD',
        headers: { 'If-None-Match': `"${snapId}"` },
      }),
    ).toEqual({ kind: 'image', id: snapId, head: true, ifNoneMatch: `"${snapId}"` })
    expect(route(snapshotBoardPath(roomId, snapId))).toEqual({ kind: 'board-file', id: snapId })
    expect(route(snapshotPath(roomId, snapId), { method: 'DELETE', ...auth })).toEqual({
      kind: 'delete',
      id: snapId,
      secret,
    })
    expect(route(snapshotRestorePath(roomId, snapId), { method: 'POST', ...auth })).toEqual({
      kind: 'restore',
      id: snapId,
      secret,
    })
    expect(route(peoplePath(roomId))).toEqual({ kind: 'people' })
  })

  it('routes the board’s own path: its backup and its creation', () => {
    expect(routeBoardRequest(at(boardPath(roomId)), roomId)).toEqual({ kind: 'backup' })
    expect(routeBoardRequest(at(`${boardPath(roomId)}/`, { method: 'POST' }), roomId)).toEqual({
      kind: 'create',
    })
  })

  it('reads a malformed Authorization header as a secret that matches nothing', () => {
    for (const header of ['Basic abc', `Bearer ${secret}x`, 'Bearer', secret]) {
      const route = routeBoardRequest(
        at(snapshotsPath(roomId), { method: 'POST', headers: { Authorization: header } }),
        roomId,
      )
      expect(route, header).toEqual({ kind: 'take', secret: '' })
    }
  })

  it('answers a wrong method with 405 and what is allowed', async () => {
    const cases: [string, string, string][] = [
      [snapshotsPath(roomId), 'PUT', 'GET, POST'],
      [snapshotsPath(roomId), 'DELETE', 'GET, POST'],
      [snapshotPath(roomId, snapId), 'GET', 'DELETE'],
      [snapshotImagePath(roomId, snapId), 'POST', 'GET, HEAD'],
      [snapshotImagePath(roomId, snapId), 'DELETE', 'GET, HEAD'],
      [snapshotBoardPath(roomId, snapId), 'PUT', 'GET'],
      [snapshotRestorePath(roomId, snapId), 'GET', 'POST'],
      [peoplePath(roomId), 'POST', 'GET'],
      [boardPath(roomId), 'DELETE', 'GET, POST'],
    ]
    for (const [path, method, allow] of cases) {
      const answer = await refusal(routeBoardRequest(at(path, { method }), roomId))
      expect(answer, `${method} ${path}`).toMatchObject({ status: 405, allow })
      expect(answer.error).toContain(method)
    }
  })

  it('answers unknown paths with 404 and malformed ids with 400', async () => {
    for (const path of [
      `${snapshotsPath(roomId)}/${snapId}/undo`,
      `${snapshotsPath(roomId)}/${snapId}.png/restore`,
      `${snapshotsPath(roomId)}/${snapId}/restore/now`,
      `${snapshotsPath(roomId)}x`,
      `${peoplePath(roomId)}/1`,
      `${boardPath(roomId)}/elsewhere`,
    ]) {
      expect(await refusal(routeBoardRequest(at(path), roomId)), path).toMatchObject({
        status: 404,
        error: expect.stringMatching(/No such path/),
      })
    }
    for (const name of ['short.png', 'has.dot.png', `${snapId}.gif`, `${'x'.repeat(33)}.json`]) {
      expect(
        await refusal(routeBoardRequest(at(`${snapshotsPath(roomId)}/${name}`), roomId)),
        name,
      ).toMatchObject({ status: 400, error: expect.stringMatching(/Malformed snapshot id/) })
    }
  })
})

describe('board create body', () => {
  const url = `${origin}${boardPath(roomId)}`
  const post = (body: string) => new Request(url, { method: 'POST', body })

  async function errorOf(request: Request) {
    const result = await readCreateBody(request)
    if (!('error' in result)) throw new Error('expected an error')
    return { status: result.error.status, body: (await result.error.json()) as { error: string } }
  }

  it('reads a create request: blank, titled, or from a template', async () => {
    expect(await readCreateBody(post(''))).toEqual({ title: undefined, template: undefined })
    expect(await readCreateBody(post('{"title":"  Retro  "}'))).toEqual({
      title: 'Retro',
      template: undefined,
    })
    expect(await readCreateBody(post('{"templateId":"retro"}'))).toEqual({
      title: undefined,
      template: { id: 'retro' },
    })
  })

  it('refuses a whole template that does not validate, saying where', async () => {
    const response = await errorOf(
      post(
        JSON.stringify({ template: { formatVersion: 1, id: 'x1', elements: [{ type: 'zone' }] } }),
      ),
    )
    expect(response.status).toBe(400)
    expect(response.body.error).toContain('template.elements.0')
  })

  it('answers bad bodies with 400 and what is wrong', async () => {
    expect(await errorOf(post('{nope'))).toEqual({
      status: 400,
      body: { error: 'Request body is not JSON.' },
    })
    const long = await errorOf(post(JSON.stringify({ title: 'x'.repeat(500) })))
    expect(long.status).toBe(400)
    expect(long.body.error).toContain('title')
    expect((await errorOf(post('{"title":"ok","admin":true}'))).body.error).toContain('admin')
    expect((await errorOf(post('x'.repeat(600 * 1024)))).status).toBe(413)
  })

  it('refuses other methods and paths', async () => {
    expect(
      (await refusal(routeBoardRequest(new Request(url, { method: 'DELETE' }), roomId))).status,
    ).toBe(405)
    expect((await refusal(routeBoardRequest(new Request(`${url}/secrets`), roomId))).status).toBe(
      404,
    )
  })
})

async function board(options: { maxSnapshots?: number; created?: boolean } = {}) {
  const kv = new SnapshotTestStorage()
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  let opens = true
  const restored: { json: string; title: string }[] = []
  const actions: { token: string | null; action: unknown }[] = []
  let outcome: RestoreOutcome = { kind: 'restored', before: null }
  const host: BoardHost = {
    roomId,
    auth: options.created === false ? null : auth,
    snapshots: new SnapshotStore(kv, options.maxSnapshots),
    people: new People(kv),
    tickets: new SocketTickets(),
    exclusive: (task) => task(),
    ensureOpen: () => Promise.resolve(opens),
    create: () => Promise.reject(new Error('not in these tests')),
    backup: () => null,
    async restore(json, title) {
      restored.push({ json, title })
      return outcome
    },
    async facilitate(token, action) {
      actions.push({ token, action })
      return token === facilitatorSecret
        ? { ok: true }
        : { ok: false, status: 401, error: 'not connected' }
    },
  }
  const send = (req: Request) => handleBoardRequest(req, host)
  const as = (secret: string) => ({ Authorization: `Bearer ${secret}` })
  return {
    kv,
    host,
    send,
    restored,
    actions,
    facilitatorSecret,
    facilitator: as(facilitatorSecret),
    participant: as(participantKey),
    restoreOutcome: (next: RestoreOutcome) => (outcome = next),
    failLoads: () => (opens = false),
    get: (path: string, headers: Record<string, string> = {}) =>
      send(new Request(`${origin}${path}`, { headers })),
    take: (parts: Parameters<typeof uploadRequest>[0] = {}, headers: Record<string, string> = {}) =>
      send(uploadRequest(parts, headers)),
    stored: () => [...kv.data.keys()].sort(),
  }
}

const errorOf = async (response: Response) => ({
  status: response.status,
  error: ((await response.json()) as { error: string }).error,
})

describe('snapshot requests, end to end on one board', () => {
  it('takes, lists, serves, and removes a snapshot', async () => {
    const b = await board()
    const png = pngBytes(800, 450)
    const created = await b.take(
      { image: new Blob([png], { type: 'image/png' }), title: 'Ideas' },
      b.facilitator,
    )
    expect(created.status).toBe(201)
    const summary = snapshotSummarySchema.parse(await created.json())
    expect(summary).toMatchObject({ title: 'Ideas', width: 800, height: 450 })
    expect(summary.url).toBe(`${origin}${snapshotImagePath(roomId, summary.id)}`)

    const list = await b.get(snapshotsPath(roomId))
    expect(list.headers.get('Cache-Control')).toBe('no-store')
    expect(list.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(snapshotListSchema.parse(await list.json())).toEqual({ snapshots: [summary] })

    const image = await b.get(snapshotImagePath(roomId, summary.id))
    expect(image.status).toBe(200)
    expect(Object.fromEntries(image.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.byteLength),
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${summary.id}"`,
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    })
    expect(Buffer.from(await image.arrayBuffer()).equals(Buffer.from(png))).toBe(true)

    const cached = await b.get(snapshotImagePath(roomId, summary.id), {
      'If-None-Match': `"${summary.id}"`,
    })
    expect(cached.status).toBe(304)
    expect(cached.headers.get('ETag')).toBe(`"${summary.id}"`)
    const head = await b.send(
      new Request(`${origin}${snapshotImagePath(roomId, summary.id)}`, { method: 'HEAD' }),
    )
    expect(head.headers.get('Content-Length')).toBe(String(png.byteLength))
    expect(await head.text()).toBe('')

    const json = await b.get(snapshotBoardPath(roomId, summary.id))
    expect(json.headers.get('Content-Type')).toMatch(/application\/json/)
    // The whole board: kept by no shared cache, unlike the image.
    expect(json.headers.get('Cache-Control')).toBe('no-store')
    expect(json.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect((await json.json()).store).toEqual(boardFile().store)

    const removal = { method: 'DELETE', headers: b.participant }
    const path = `${origin}${snapshotPath(roomId, summary.id)}`
    expect((await b.send(new Request(path, removal))).status).toBe(403)
    expect((await b.send(new Request(path, { method: 'DELETE' }))).status).toBe(403)
    expect((await b.get(snapshotsPath(roomId)).then((r) => r.json())).snapshots).toHaveLength(1)
    const removed = await b.send(new Request(path, { method: 'DELETE', headers: b.facilitator }))
    expect(removed.status).toBe(204)
    expect(b.stored()).toEqual([])
    expect(
      await errorOf(await b.send(new Request(path, { method: 'DELETE', headers: b.facilitator }))),
    ).toEqual({
      status: 404,
      error: `This board has no snapshot "${summary.id}".`,
    })
    expect((await b.get(snapshotImagePath(roomId, summary.id))).status).toBe(404)
    expect((await b.get(snapshotBoardPath(roomId, summary.id))).status).toBe(404)
  })

  it('stores nothing after any refusal, and drains what it refuses unread', async () => {
    const b = await board({ maxSnapshots: 1 })
    const refusals: [string, () => Request, number][] = [
      ['no secret', () => uploadRequest(), 403],
      ['the participant key', () => uploadRequest({}, b.participant), 403],
      [
        'a wrong secret',
        () => uploadRequest({}, { Authorization: `Bearer ${'A'.repeat(43)}` }),
        403,
      ],
      [
        'not multipart',
        () =>
          new Request(`${origin}${snapshotsPath(roomId)}`, {
            method: 'POST',
            headers: { ...b.facilitator, 'Content-Type': 'application/json' },
            body: JSON.stringify(boardFile()),
          }),
        415,
      ],
      [
        'not a PNG',
        () => uploadRequest({ image: new Blob(['GIF89a'], { type: 'image/png' }) }, b.facilitator),
        415,
      ],
      ['a bad board', () => uploadRequest({ board: '{"schema":{}}' }, b.facilitator), 400],
      ['a bad title', () => uploadRequest({ title: '' }, b.facilitator), 400],
    ]
    for (const [what, request, status] of refusals) {
      const req = request()
      const answer = await errorOf(await b.send(req))
      expect(answer.status, what).toBe(status)
      expect(req.bodyUsed, `${what}: body drained`).toBe(true)
      expect(b.stored(), what).toEqual([])
    }

    expect((await b.take({}, b.facilitator)).status).toBe(201)
    const before = b.stored()
    const full = uploadRequest({}, b.facilitator)
    expect(await errorOf(await b.send(full))).toEqual({
      status: 409,
      error: 'This board keeps at most 1 snapshots; delete one before taking another.',
    })
    expect(full.bodyUsed).toBe(true)
    expect(b.stored()).toEqual(before)
  })

  it('answers 404 for everything on a board that was never created', async () => {
    const b = await board({ created: false })
    const take = uploadRequest({}, b.facilitator)
    expect(await errorOf(await b.send(take))).toEqual({
      status: 404,
      error: 'No board has been created at this address.',
    })
    expect(take.bodyUsed).toBe(true)
    for (const path of [
      snapshotsPath(roomId),
      peoplePath(roomId),
      snapshotImagePath(roomId, 'abcdefgh1'),
    ]) {
      expect((await b.get(path)).status, path).toBe(404)
    }
    expect(b.stored()).toEqual([])
  })

  it('restores a snapshot for the facilitator only, once the host says it is saved', async () => {
    const b = await board()
    const { id } = await (await b.take({}, b.facilitator)).json()
    const restore = (headers: Record<string, string> = {}, snapshotId = id) =>
      b.send(
        new Request(`${origin}${snapshotRestorePath(roomId, snapshotId)}`, {
          method: 'POST',
          headers,
        }),
      )

    expect((await errorOf(await restore())).status).toBe(403)
    expect((await errorOf(await restore(b.participant))).status).toBe(403)
    expect(b.restored).toEqual([])
    expect(await errorOf(await restore(b.facilitator, 'abcdefgh12'))).toEqual({
      status: 404,
      error: 'This board has no snapshot "abcdefgh12".',
    })

    const done = await restore(b.facilitator)
    expect(done.status).toBe(200)
    expect(await done.json()).toEqual({ restored: id, before: null })
    expect(b.restored).toHaveLength(1)
    expect(JSON.parse(b.restored[0].json).store).toEqual(boardFile().store)
    expect(b.restored[0].title).toBe('Before restoring “Snapshot 1”')

    // The safety copy the host kept is answered as a snapshot without a picture.
    const kept = await b.host.snapshots.add({
      title: 'Before restoring “Snapshot 1”',
      board: '{}',
      image: null,
    })
    if (kept.kind !== 'added') throw new Error('expected the copy to be added')
    b.restoreOutcome({ kind: 'restored', before: kept.entry })
    expect(await (await restore(b.facilitator)).json()).toEqual({
      restored: id,
      before: {
        id: kept.entry.id,
        title: 'Before restoring “Snapshot 1”',
        createdAt: kept.entry.createdAt,
        width: null,
        height: null,
        url: null,
      },
    })
    const picture = await b.get(snapshotImagePath(roomId, kept.entry.id))
    expect(picture.status).toBe(404)
    expect((await picture.json()).error).toMatch(/has no picture/)

    b.restoreOutcome({ kind: 'reloading' })
    const reloading = await restore(b.facilitator)
    expect(reloading.status).toBe(503)
    expect(reloading.headers.get('Retry-After')).toBe('1')
    b.restoreOutcome({ kind: 'full', limit: 100 })
    expect(await errorOf(await restore(b.facilitator))).toMatchObject({
      status: 409,
      error: expect.stringMatching(/at most 100 snapshots.*keeps the board as it is/),
    })
    b.restoreOutcome({ kind: 'failed' })
    expect((await errorOf(await restore(b.facilitator))).status).toBe(500)
  })

  it('names the safety copy after the snapshot restored, within the title limit', () => {
    expect(safetyTitle('Retro')).toBe('Before restoring “Retro”')
    const long = safetyTitle('x'.repeat(MAX_SNAPSHOT_TITLE_LENGTH))
    expect(long).toHaveLength(MAX_SNAPSHOT_TITLE_LENGTH)
    expect(long).toMatch(/^Before restoring “x+…”$/)
  })

  it('answers 503 while a board that failed to load is not open yet', async () => {
    const b = await board()
    b.failLoads()
    const listing = await b.get(snapshotsPath(roomId))
    expect(listing.status).toBe(503)
    expect(listing.headers.get('Retry-After')).toBe('1')
  })

  it('counts people', async () => {
    const b = await board()
    expect(await (await b.get(peoplePath(roomId))).json()).toEqual({ participants: 0 })
    await b.host.people.remember('person-0001')
    await b.host.people.remember('person-0002')
    expect(await (await b.get(peoplePath(roomId))).json()).toEqual({ participants: 2 })
  })
})

describe('facilitation actions', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request(`${origin}${facilitationPath(roomId)}`, { method: 'POST', body, headers })

  it('hands the body and the bearer token to the board, and answers its verdict', async () => {
    const b = await board()
    const ok = await b.send(post('{"type":"timer-stop"}', b.facilitator))
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ ok: true })
    expect(b.actions).toEqual([{ token: b.facilitatorSecret, action: { type: 'timer-stop' } }])

    const refused = await b.send(post('{"type":"timer-stop"}'))
    expect(await errorOf(refused)).toEqual({ status: 401, error: 'not connected' })
    expect(b.actions[1].token).toBeNull()
  })

  it('refuses what is not an action before the board sees it', async () => {
    const b = await board()
    expect((await b.send(post('not json', b.facilitator))).status).toBe(400)
    expect(
      (await b.send(post('x'.repeat(FACILITATION_LIMITS.maxActionBytes + 1), b.facilitator)))
        .status,
    ).toBe(413)
    expect((await b.get(facilitationPath(roomId))).status).toBe(405)
    expect(b.actions).toEqual([])
  })
})
