import { describe, expect, it } from 'vitest'
import {
  peoplePath,
  snapshotBoardPath,
  snapshotImagePath,
  snapshotListSchema,
  snapshotRestorePath,
  snapshotSummarySchema,
  snapshotsPath,
} from '../../src/protocol'
import { People } from '../../src/server/people'
import { mintBoardAuth } from '../../src/server/roles'
import { routeSnapshotRequest } from '../../src/server/snapshot-http'
import {
  answerSnapshotRequest,
  type RestoreOutcome,
  type SnapshotHost,
} from '../../src/server/snapshot-routes'
import { SnapshotStore } from '../../src/server/snapshot-store'
import { boardFile, origin, pngBytes, roomId, uploadRequest } from './snapshot-fixtures'
import { SnapshotTestStorage } from './snapshot-storage'

async function board(options: { maxSnapshots?: number; created?: boolean } = {}) {
  const kv = new SnapshotTestStorage()
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  const restored: string[] = []
  let outcome: RestoreOutcome = 'restored'
  const host: SnapshotHost = {
    roomId,
    auth: options.created === false ? null : auth,
    snapshots: new SnapshotStore(kv, options.maxSnapshots),
    people: new People(kv),
    async restore(json) {
      restored.push(json)
      return outcome
    },
  }
  const send = async (req: Request) => {
    const route = routeSnapshotRequest(req, roomId)
    if (!route) throw new Error(`not a snapshot route: ${req.url}`)
    return 'error' in route ? route.error : answerSnapshotRequest(req, route, host)
  }
  const as = (secret: string) => ({ Authorization: `Bearer ${secret}` })
  return {
    kv,
    host,
    send,
    restored,
    facilitator: as(facilitatorSecret),
    participant: as(participantKey),
    restoreOutcome: (next: RestoreOutcome) => (outcome = next),
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
    expect(snapshotListSchema.parse(await list.json())).toEqual({ snapshots: [summary] })

    const image = await b.get(snapshotImagePath(roomId, summary.id))
    expect(image.status).toBe(200)
    expect(Object.fromEntries(image.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.byteLength),
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${summary.id}"`,
      'access-control-allow-origin': '*',
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
    expect((await json.json()).store).toEqual(boardFile().store)

    const removal = { method: 'DELETE', headers: b.participant }
    const path = `${origin}${snapshotsPath(roomId)}/${summary.id}`
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
    expect(await done.json()).toEqual({ restored: id })
    expect(b.restored).toHaveLength(1)
    expect(JSON.parse(b.restored[0]).store).toEqual(boardFile().store)

    b.restoreOutcome('reloading')
    const reloading = await restore(b.facilitator)
    expect(reloading.status).toBe(503)
    expect(reloading.headers.get('Retry-After')).toBe('1')
    b.restoreOutcome('failed')
    expect((await errorOf(await restore(b.facilitator))).status).toBe(500)
  })

  it('counts people', async () => {
    const b = await board()
    expect(await (await b.get(peoplePath(roomId))).json()).toEqual({ participants: 0 })
    await b.host.people.remember('person-0001')
    await b.host.people.remember('person-0002')
    expect(await (await b.get(peoplePath(roomId))).json()).toEqual({ participants: 2 })
  })
})
