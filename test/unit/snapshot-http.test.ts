import { createTLSchema } from '@tldraw/tlschema'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { SNAPSHOT_LIMITS, snapshotsPath } from '../../src/protocol'
import {
  MAX_UPLOAD_BYTES,
  checkBoardFile,
  readSnapshotUpload,
} from '../../src/server/snapshots/snapshot-http'
import { refusal } from './refusal'
import { boardFile, origin, pngBytes, roomId, uploadRequest } from './snapshot-fixtures'

const at = (path: string, init?: RequestInit) => new Request(`${origin}${path}`, init)

describe('snapshot uploads', () => {
  it('reads the image, its size from the PNG header, the board and the title', async () => {
    const png = pngBytes(640, 360)
    const upload = await readSnapshotUpload(
      uploadRequest({
        image: new Blob([png], { type: 'image/png' }),
        title: '  After step 2  ',
      }),
    )
    if ('error' in upload) throw new Error(await upload.error.text())
    expect(upload).toMatchObject({ title: 'After step 2', width: 640, height: 360 })
    expect(Buffer.from(upload.image).equals(Buffer.from(png))).toBe(true)
    const board = JSON.parse(upload.board)
    expect(board.store).toEqual(boardFile().store)
    expect(board.schema).toEqual(createTLSchema().serialize())
  })

  it('takes the board as a file or as a string, and no title as none', async () => {
    const asFile = await readSnapshotUpload(
      uploadRequest({
        board: new Blob([JSON.stringify(boardFile())], { type: 'application/json' }),
      }),
    )
    if ('error' in asFile) throw new Error(await asFile.error.text())
    expect(asFile.title).toBeUndefined()
    expect(JSON.parse(asFile.board).store['document:document'].name).toBe('Retro')
  })

  it('refuses anything but multipart/form-data with 415', async () => {
    for (const [body, type] of [
      ['{"image":"x"}', 'application/json'],
      ['image=x', 'application/x-www-form-urlencoded'],
      ['', ''],
      ['x', 'multipart/form-data'],
    ]) {
      const req = at(snapshotsPath(roomId), {
        method: 'POST',
        body,
        headers: type ? { 'Content-Type': type } : {},
      })
      if (!type) req.headers.delete('Content-Type')
      expect(await refusal(readSnapshotUpload(req)), type).toMatchObject({
        status: 415,
        error: expect.stringMatching(/multipart\/form-data/),
      })
    }
  })

  it('refuses an image that is not a PNG with 415, whatever it claims', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(100).fill(7)])
    const png = pngBytes(10, 10)
    const cases: [string, Blob | string][] = [
      ['a JPEG named image/png', new Blob([jpeg], { type: 'image/png' })],
      ['garbage named image/png', new Blob(['hello, world'.repeat(10)], { type: 'image/png' })],
      ['a PNG cut inside its header', new Blob([png.slice(0, 20)], { type: 'image/png' })],
      ['a real PNG sent as image/jpeg', new Blob([png], { type: 'image/jpeg' })],
      ['a real PNG with no type', new Blob([png])],
      ['text instead of a file', 'iVBORw0KGgo='],
    ]
    for (const [what, image] of cases) {
      expect(await refusal(readSnapshotUpload(uploadRequest({ image }))), what).toMatchObject({
        status: 415,
      })
    }
  })

  it('refuses an upload over the limits with 413: declared, sent, image, board', async () => {
    const declared = uploadRequest({}, { 'Content-Length': String(MAX_UPLOAD_BYTES + 1) })
    expect(await refusal(readSnapshotUpload(declared))).toMatchObject({
      status: 413,
      error: expect.stringMatching(/upload is over/),
    })
    expect(declared.bodyUsed).toBe(true)

    // A body bigger than the declared length says: refused while reading.
    const sent = uploadRequest({
      image: new Blob([new Uint8Array(MAX_UPLOAD_BYTES + 10)], { type: 'image/png' }),
    })
    expect(await refusal(readSnapshotUpload(sent))).toMatchObject({
      status: 413,
      error: expect.stringMatching(/upload is over/),
    })

    const bigImage = new Uint8Array(SNAPSHOT_LIMITS.maxImageBytes + 1)
    bigImage.set(pngBytes(10, 10))
    expect(
      await refusal(
        readSnapshotUpload(uploadRequest({ image: new Blob([bigImage], { type: 'image/png' }) })),
      ),
    ).toMatchObject({ status: 413, error: expect.stringMatching(/image is over 12 MiB/) })

    const bigBoard = JSON.stringify({
      ...boardFile(),
      padding: 'x'.repeat(SNAPSHOT_LIMITS.maxBoardBytes),
    })
    expect(await refusal(readSnapshotUpload(uploadRequest({ board: bigBoard })))).toMatchObject({
      status: 413,
      error: expect.stringMatching(/board file is over 16 MiB/),
    })
  })

  it('refuses a picture over the largest side with 413, saying its size', async () => {
    const side = SNAPSHOT_LIMITS.maxImageSide
    const upload = (bytes: Uint8Array<ArrayBuffer>) =>
      readSnapshotUpload(uploadRequest({ image: new Blob([bytes], { type: 'image/png' }) }))
    // A few bytes of header can claim a picture no browser could draw.
    expect(await refusal(upload(pngHeader(1_000_000, 1_000_000)))).toMatchObject({
      status: 413,
      error: `The image is 1000000×1000000 px; a snapshot's picture is at most 16,384 px a side.`,
    })
    expect(await refusal(upload(pngBytes(side + 1, 1)))).toMatchObject({ status: 413 })
    expect(await refusal(upload(pngBytes(1, side + 1)))).toMatchObject({ status: 413 })
    const widest = await upload(pngBytes(side, 1))
    if ('error' in widest) throw new Error(await widest.error.text())
    expect(widest).toMatchObject({ width: side, height: 1 })
  })

  it('refuses a body that claims to be a form but is not one with 400', async () => {
    const req = at(snapshotsPath(roomId), {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=abc' },
      body: 'this is not a form',
    })
    expect(await refusal(readSnapshotUpload(req))).toEqual({
      status: 400,
      error: 'The body is not a readable multipart form.',
      allow: null,
    })
  })

  it('refuses missing parts and bad titles with 400, saying what is wrong', async () => {
    const cases: [string, Parameters<typeof uploadRequest>[0], RegExp][] = [
      ['no image', { image: null }, /no "image"/],
      ['no board', { board: null }, /no "board"/],
      ['a blank title', { title: '   ' }, /^Invalid title: Too small/],
      ['a long title', { title: 't'.repeat(121) }, /^Invalid title: Too big/],
      ['a title file', { title: new Blob(['x']) }, /"title" must be text/],
    ]
    for (const [what, parts, message] of cases) {
      expect(await refusal(readSnapshotUpload(uploadRequest(parts))), what).toMatchObject({
        status: 400,
        error: expect.stringMatching(message),
      })
    }
  })
})

describe('board files', () => {
  const check = async (board: unknown) =>
    refusal(checkBoardFile(typeof board === 'string' ? board : JSON.stringify(board)))

  it('accepts a board and answers it in the current schema', () => {
    const result = checkBoardFile(JSON.stringify(boardFile()))
    if ('error' in result) throw new Error('refused')
    expect(JSON.parse(result.json)).toEqual({
      schema: createTLSchema().serialize(),
      store: boardFile().store,
    })
  })

  it('migrates a board from an older tldraw', () => {
    const old = boardFile()
    delete old.store['document:document'].meta
    const sequences = (old.schema as { sequences: Record<string, number> }).sequences
    old.schema = { ...old.schema, sequences: { ...sequences, 'com.tldraw.document': 1 } } as never
    const result = checkBoardFile(JSON.stringify(old))
    if ('error' in result) throw new Error('refused')
    expect(JSON.parse(result.json).store['document:document'].meta).toEqual({})
  })

  it('refuses what a restore could not load, saying what is wrong', async () => {
    const board = boardFile()
    const [shapeId] = Object.keys(board.store).filter((id) => id.startsWith('shape:'))
    const shape = board.store[shapeId] as unknown as { props: Record<string, unknown> }
    const without = (typeName: string) =>
      Object.fromEntries(Object.entries(board.store).filter(([, r]) => r.typeName !== typeName))
    const cases: [string, unknown, RegExp][] = [
      ['not JSON', '{"schema":', /not JSON/],
      ['not a snapshot', { document: {} }, /not a tldraw store snapshot: schema: .*; store: /],
      ['a record without id', { ...board, store: { x: { typeName: 'shape' } } }, /store\.x\.id/],
      [
        'a bad shape',
        {
          ...board,
          store: { ...board.store, [shapeId]: { ...shape, props: { ...shape.props, w: 'wide' } } },
        },
        new RegExp(`store\\["${shapeId}"\\]: .*w`),
      ],
      [
        'a record under another id',
        { ...board, store: { ...board.store, 'shape:elsewhere': board.store[shapeId] } },
        /store\["shape:elsewhere"\]: its id is/,
      ],
      [
        'an unknown record type',
        { ...board, store: { ...board.store, 'widget:1': { id: 'widget:1', typeName: 'widget' } } },
        /unknown record type "widget"/,
      ],
      [
        'session state',
        {
          ...board,
          store: {
            ...board.store,
            'pointer:pointer': {
              id: 'pointer:pointer',
              typeName: 'pointer',
              x: 0,
              y: 0,
              lastActivityTimestamp: 0,
              meta: {},
            },
          },
        },
        /"pointer" record is not part of a board/,
      ],
      ['no document', { ...board, store: without('document') }, /no document record/],
      ['no page', { ...board, store: without('page') }, /no page/],
      [
        'a newer tldraw',
        {
          ...board,
          schema: {
            ...board.schema,
            sequences: {
              ...(board.schema as { sequences: object }).sequences,
              'com.tldraw.shape': 99,
            },
          },
        },
        /cannot be brought to this server's tldraw schema/,
      ],
    ]
    for (const [what, file, message] of cases) {
      expect(await check(file), what).toMatchObject({
        status: 400,
        error: expect.stringMatching(message),
      })
    }
  })
})

/** A PNG signature and a well-formed IHDR claiming this size, with nothing after it. */
function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const view = new DataView(bytes.buffer)
  view.setUint32(8, 13)
  bytes.set(
    [...'IHDR'].map((c) => c.charCodeAt(0)),
    12,
  )
  view.setUint32(16, width)
  view.setUint32(20, height)
  bytes.set([8, 6, 0, 0, 0], 24)
  view.setUint32(29, crc32(bytes.subarray(12, 29)))
  return bytes
}
