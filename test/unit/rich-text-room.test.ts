/**
 * One record must not break a board: the room refuses a push whose rich text tldraw's editor
 * cannot read, or whose meta is unbounded, telling the writer why and nobody else anything; a
 * board stored with such a record (before the check) opens repaired, its text kept; a vote
 * over such a sticky is answered; a board file holding one is refused at the door.
 */
import { describe, expect, it } from 'vitest'
import {
  InstancePresenceRecordType,
  toRichText,
  type TLPageId,
  type TLUserId,
} from '@tldraw/tlschema'
import { RECORD_RULES, boardPath } from '../../src/protocol'
import { BoardRoom } from '../../src/server/room/board-room'
import { Facilitation, type BoardRecord } from '../../src/server/workshop/facilitation'
import { initialBoard } from '../../src/server/room/initial-board'
import { mintBoardAuth, mintSecret } from '../../src/server/rules/roles'
import { checkBoardFile } from '../../src/server/snapshots/snapshot-http'
import { arrow, note } from '../support/raw-records'
import { MemoryStorage } from './memory-storage'
import { FakeConnection, connectFrame, roomTicket, type Message } from './room-fixtures'
import { boardFile, origin, roomId } from './snapshot-fixtures'

async function until(condition: () => unknown, what: string, ms = 5_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Rich text nested `depth` paragraphs deep, as JSON text (too deep for JSON.stringify). */
function deepText(depth: number): string {
  const open = '{"type":"paragraph","content":['.repeat(depth)
  return `{"type":"doc","content":[${open}{"type":"text","text":"bottom"}${']}'.repeat(depth)}]}`
}

/** Meta nested `depth` objects deep, as JSON text. */
function deepMetaText(depth: number): string {
  return `${'{"meta":'.repeat(depth)}{}${'}'.repeat(depth)}`
}

const doc = (...content: unknown[]) => ({ type: 'doc', content })
const para = (...content: unknown[]) => ({ type: 'paragraph', content })
const sticky = (id: string, richText: unknown, meta: unknown = {}) => ({
  ...note(id),
  meta,
  props: { ...note(id).props, richText },
})
/** A sticky as JSON text, with a part given as JSON text (what JSON.stringify cannot write). */
const stickyText = (id: string, part: 'richText' | 'meta', text: string) =>
  JSON.stringify(
    part === 'richText' ? sticky(id, '@PART@') : sticky(id, toRichText('fine'), '@PART@'),
  ).replace('"@PART@"', text)

/** Each malformed kind the issue names, as a whole record's JSON a modified client would push. */
const MALFORMED: [string, (id: string) => string][] = [
  ['a null node in content', (id) => JSON.stringify(sticky(id, doc(null)))],
  ['an unknown node type', (id) => JSON.stringify(sticky(id, doc({ type: 'iframe' })))],
  [
    'content that is not an array',
    (id) => JSON.stringify(sticky(id, { type: 'doc', content: 'x' })),
  ],
  [
    'paragraph content that is not an array',
    (id) => JSON.stringify(sticky(id, doc({ type: 'paragraph', content: {} }))),
  ],
  // Within one frame (1 MiB), and far too deep for JSON.stringify.
  ['very deep nesting', (id) => stickyText(id, 'richText', deepText(25_000))],
  [
    'nesting past the bound',
    (id) => stickyText(id, 'richText', deepText(RECORD_RULES.maxRichTextDepth + 2)),
  ],
  [
    'a bad mark',
    (id) =>
      JSON.stringify(sticky(id, doc(para({ type: 'text', text: 'x', marks: [{ type: 'evil' }] })))),
  ],
  [
    'huge meta',
    (id) =>
      JSON.stringify(
        sticky(id, toRichText('fine'), { junk: 'x'.repeat(RECORD_RULES.maxMetaChars + 1) }),
      ),
  ],
  ['very deep meta', (id) => stickyText(id, 'meta', deepMetaText(100_000))],
  [
    'a bad arrow label',
    (id) => JSON.stringify({ ...sticky(id, doc()), type: 'arrow', props: arrowProps(doc(null)) }),
  ],
]

const pushText = (id: string, record: string, clientClock = 1) =>
  `{"type":"push","clientClock":${clientClock},"diff":{${JSON.stringify(id)}:["put",${record}]}}`

function arrowProps(richText: unknown) {
  return { ...arrow('shape:any').props, richText }
}

/** A created board on memory storage, reopened as after a restart, and a way to connect. */
async function board(prepare?: (storage: MemoryStorage) => void) {
  const storage = new MemoryStorage()
  const connections: FakeConnection[] = []
  const env = {
    roomId,
    storage,
    connections: () => connections.filter((c) => c.readyState === 1),
    exclusive: <T>(task: () => Promise<T>) => task(),
  }
  const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
  await new BoardRoom(env).create(initialBoard('Workshop', undefined, 'inst0001'), auth)
  prepare?.(storage)
  const room = new BoardRoom(env)
  await room.start()
  let count = 0
  const join = async (secret = participantKey, personKey?: string) => {
    const conn = new FakeConnection(`conn-${++count}`)
    connections.push(conn)
    const url = new URL(`${origin}${boardPath(roomId)}`)
    url.searchParams.set('t', await roomTicket(room, secret, personKey))
    await room.connect(conn, url)
    room.message(connectFrame, conn)
    await until(() => conn.of('connect').length > 0, 'the connect answer')
    return conn
  }
  return { storage, room, join, facilitatorSecret }
}

const notices = (conn: FakeConnection) =>
  conn
    .of('custom')
    .map((m) => m.data as Message)
    .filter((d) => d.kind === 'invalid-record')

describe('a record the editor cannot read', () => {
  it.each(MALFORMED)(
    'is refused when pushed (%s): the writer is told, nobody else hears of it',
    async (_, make) => {
      const b = await board()
      const [writer, watcher, fran] = [
        await b.join(),
        await b.join(),
        await b.join(b.facilitatorSecret),
      ]
      const id = 'shape:bad'
      b.room.message(pushText(id, make(id)), writer)
      await b.room.settled()
      await until(() => writer.of('push_result').length === 1, 'the answer')
      expect(writer.of('push_result')[0].action).toBe('discard')
      expect(notices(writer)[0]?.message).toMatch(/not saved: (its (text|meta) |it is nested)/)
      expect(writer.closed).toBeNull()
      for (const other of [watcher, fran]) expect(JSON.stringify(other.received)).not.toContain(id)
      expect(b.storage.data.has(`rec:${id}`)).toBe(false)
      expect(b.room.backup()?.store).not.toHaveProperty(id)
      // The facilitator is refused too (content is not a permission), and the room carries on.
      b.room.message(pushText(id, make(id)), fran)
      await b.room.settled()
      await until(() => fran.of('push_result').length === 1, 'the facilitator’s answer')
      expect(fran.of('push_result')[0].action).toBe('discard')
      const good = sticky('shape:good', toRichText('still here'))
      b.room.message(
        JSON.stringify({ type: 'push', clientClock: 2, diff: { 'shape:good': ['put', good] } }),
        writer,
      )
      await b.room.settled()
      await until(() => writer.of('push_result').length === 2, 'the second answer')
      expect(writer.of('push_result')[1].action).toBe('commit')
      expect(b.room.backup()?.store).toHaveProperty('shape:good')
    },
  )

  it('is refused as a patch of a good sticky: the sticky keeps its text', async () => {
    const b = await board()
    const writer = await b.join()
    const good = sticky('shape:n', toRichText('good words'))
    b.room.message(
      JSON.stringify({ type: 'push', clientClock: 1, diff: { 'shape:n': ['put', good] } }),
      writer,
    )
    b.room.message(
      JSON.stringify({
        type: 'push',
        clientClock: 2,
        diff: { 'shape:n': ['patch', { props: ['patch', { richText: ['put', doc(null)] }] }] },
      }),
      writer,
    )
    await b.room.settled()
    await until(() => writer.of('push_result').length === 2, 'both answers')
    expect(writer.of('push_result').map((r) => r.action)).toEqual(['commit', 'discard'])
    const kept = b.room.backup()?.store['shape:n' as never] as { props: { richText: unknown } }
    expect(kept.props.richText).toEqual(toRichText('good words'))
  })
})

describe('presence nested too deep', () => {
  it('is dropped: the room carries on, nobody else gets it', async () => {
    const b = await board()
    const [writer, watcher] = [await b.join(), await b.join()]
    const presence = JSON.stringify(
      InstancePresenceRecordType.create({
        id: InstancePresenceRecordType.createId('deep'),
        userId: 'user:deep' as TLUserId,
        userName: 'Deep',
        currentPageId: 'page:page' as TLPageId,
        meta: '@META@' as never,
      }),
    ).replace('"@META@"', deepMetaText(100_000))
    b.room.message(`{"type":"push","clientClock":1,"presence":["put",${presence}]}`, writer)
    const good = sticky('shape:after', toRichText('after'))
    b.room.message(pushText('shape:after', JSON.stringify(good), 2), writer)
    await b.room.settled()
    await until(
      () => writer.of('push_result').some((r) => r.clientClock === 2),
      'the second answer',
    )
    expect(writer.of('push_result').find((r) => r.clientClock === 2)?.action).toBe('commit')
    await until(() => JSON.stringify(watcher.received).includes('shape:after'), 'the sticky')
    expect(JSON.stringify(watcher.received)).not.toContain('user:deep')
  })
})

describe('a record the editor cannot read, during a private brainstorm', () => {
  it.each(MALFORMED)('is not kept hidden either (%s): no reveal can carry it', async (_, make) => {
    const b = await board()
    const fran = await b.join(b.facilitatorSecret, mintSecret())
    const ana = await b.join(undefined, mintSecret())
    const token = (conn: FakeConnection) =>
      conn
        .of('custom')
        .map((m) => m.data as Message)
        .find((d) => d.type === 'welcome')?.token as string
    await until(() => token(fran), 'the welcome')
    const start = { type: 'private-start', scope: { kind: 'board' }, timerMs: null }
    expect(await b.room.facilitate(token(fran), start)).toEqual({ ok: true })
    b.room.message(pushText('shape:hidden', make('shape:hidden')), ana)
    await b.room.settled()
    await until(() => ana.of('push_result').length === 1, 'the answer')
    expect(
      b.room.brainstorm.notes.view({ role: 'facilitator', author: null })?.counts ?? [],
    ).toEqual([])
    expect(
      await b.room.facilitate(token(fran), { type: 'private-reveal', anonymous: true }),
    ).toEqual({
      ok: true,
    })
    expect(b.room.backup()?.store).not.toHaveProperty('shape:hidden')
    expect(JSON.stringify(fran.received)).not.toContain('shape:hidden')
  })
})

describe('a board stored with such a record', () => {
  const stored = (id: string, state: object | string) => (storage: MemoryStorage) => {
    const json = typeof state === 'string' ? state : JSON.stringify(state)
    storage.data.set(`rec:${id}`, { json: `{"state":${json},"lastChangedClock":1}` })
  }

  it('opens with the record repaired, its words kept, on storage too', async () => {
    const bad = sticky(
      'shape:old',
      doc(para({ type: 'text', text: 'Old idea' }, null), { type: 'x' }),
      {
        switchback: { author: 'Ana' },
        junk: 'x'.repeat(RECORD_RULES.maxMetaChars),
      },
    )
    const b = await board(stored('shape:old', bad))
    const held = b.room.backup()?.store['shape:old' as never] as {
      props: { richText: unknown }
      meta: unknown
    }
    expect(held.props.richText).toEqual(toRichText('Old idea\n'))
    expect(held.meta).toEqual({ switchback: { author: 'Ana' } })
    const onDisk = JSON.parse((b.storage.data.get('rec:shape:old') as { json: string }).json)
    expect(onDisk.state.props.richText).toEqual(toRichText('Old idea\n'))
    // A client joining gets the repaired record, and the facilitator may delete it.
    const fran = await b.join(b.facilitatorSecret)
    expect(JSON.stringify(fran.of('connect'))).toContain('Old idea')
    b.room.message(
      JSON.stringify({ type: 'push', clientClock: 1, diff: { 'shape:old': ['remove'] } }),
      fran,
    )
    await b.room.settled()
    await until(() => fran.of('push_result').length === 1, 'the delete')
    expect(fran.of('push_result')[0].action).toBe('commit')
    expect(b.storage.data.has('rec:shape:old')).toBe(false)
  })

  it('opens with rich text nested too deep for the stack', async () => {
    const b = await board(
      stored('shape:deep', stickyText('shape:deep', 'richText', deepText(20_000))),
    )
    const held = b.room.backup()?.store['shape:deep' as never] as { props: { richText: unknown } }
    expect(held.props.richText).toEqual(toRichText('bottom'))
  })
})

describe('the server reads any record the room holds without throwing', () => {
  it('a vote over a malformed sticky starts and ends (200)', async () => {
    const sent: { message: { type: string; token?: string } }[] = []
    const board = new Map<string, BoardRecord>([
      [
        'shape:a',
        {
          typeName: 'shape',
          type: 'note',
          meta: {},
          props: { richText: doc(null, para({ type: 'text', text: 'A' })) },
        },
      ],
      [
        'shape:b',
        {
          typeName: 'shape',
          type: 'note',
          meta: {},
          props: { richText: JSON.parse(deepText(100_000)) },
        },
      ],
      [
        'shape:c',
        { typeName: 'shape', type: 'note', meta: null, props: null } as unknown as BoardRecord,
      ],
      [
        'shape:d',
        { typeName: 'shape', type: 'note', meta: {}, props: { richText: { content: 'x' } } },
      ],
    ])
    const facilitation = new Facilitation({
      storage: new MemoryStorage(),
      now: () => 1000,
      agenda: () => [],
      send: (_, message) => sent.push({ message }),
      record: (id) => board.get(id),
    })
    facilitation.join('fran', { role: 'facilitator', personId: 'person-fran', author: 'fran-key' })
    const token = sent.find((s) => s.message.type === 'welcome')!.message.token!
    const start = await facilitation.act(token, {
      type: 'vote-start',
      title: 'Pick',
      scopeLabel: 'Board',
      stickyIds: ['shape:a', 'shape:b', 'shape:c', 'shape:d'],
      votesPerPerson: 3,
      maxPerSticky: 1,
      anonymous: false,
    })
    expect(start, JSON.stringify(start)).toEqual({ ok: true })
    expect(await facilitation.act(token, { type: 'vote', stickyId: 'shape:a', change: 1 })).toEqual(
      { ok: true },
    )
    expect(await facilitation.act(token, { type: 'vote-end' })).toEqual({ ok: true })
    expect(JSON.stringify(sent.at(-1))).toContain('"A"')
  })
})

describe('a board file holding such a record', () => {
  it.each(MALFORMED)('is refused with the record and the reason (%s)', async (_, make) => {
    const file = JSON.stringify(boardFile('Retro')).replace(
      /^\{"schema":(.*),"store":\{/s,
      (_, schema: string) => `{"schema":${schema},"store":{"shape:bad":${make('shape:bad')},`,
    )
    const checked = checkBoardFile(file)
    if (!('error' in checked)) throw new Error('the board file was taken')
    expect(checked.error.status).toBe(400)
    expect(await checked.error.text()).toMatch(/shape:bad.*(its (text|meta)|At )|nested more than/)
  })

  it('a good one still passes', () => {
    expect(checkBoardFile(JSON.stringify(boardFile('Retro')))).toHaveProperty('json')
  })
})
