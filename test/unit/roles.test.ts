import { describe, expect, it } from 'vitest'
import type { TLRecordAuthorizer } from '@tldraw/sync-core'
import {
  createTLSchema,
  type TLAsset,
  type TLBinding,
  type TLDocument,
  type TLPage,
  type TLRecord,
  type TLShape,
} from '@tldraw/tlschema'
import { LIMITS, secretSchema, type Role } from '../../src/protocol'
import { isFrozen } from '../../src/board/shape-meta'
import {
  hashSecret,
  mintBoardAuth,
  mintSecret,
  recordRules,
  resolveRole,
  type SessionMeta,
} from '../../src/server/rules/roles'

describe('roles', () => {
  it('mints 256-bit secrets in the shape the protocol accepts, all different', () => {
    const secrets = new Set(Array.from({ length: 100 }, mintSecret))
    expect(secrets.size).toBe(100)
    for (const s of secrets) expect(secretSchema.safeParse(s).success).toBe(true)
  })

  it('keeps only hashes of the secrets', async () => {
    const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
    const stored = JSON.stringify(auth)
    expect(stored).not.toContain(facilitatorSecret)
    expect(stored).not.toContain(participantKey)
    expect(auth.facilitatorHash).toBe(await hashSecret(facilitatorSecret))
  })

  it('gives each credential its role, and refuses a wrong one', async () => {
    const { auth, facilitatorSecret, participantKey } = await mintBoardAuth()
    expect(await resolveRole(auth, { f: facilitatorSecret })).toBe('facilitator')
    expect(await resolveRole(auth, { k: participantKey })).toBe('participant')
    expect(await resolveRole(auth, {})).toBe('viewer')
    expect(await resolveRole(auth, { f: participantKey })).toBeNull()
    expect(await resolveRole(auth, { k: mintSecret() })).toBeNull()
  })
})

/** A board of records by id, and the rules reading it. */
function boardWith(...records: TLRecord[]) {
  const byId = new Map(records.map((r) => [r.id as string, r]))
  const frozenShapeIds = () =>
    [...byId.values()].filter((r) => r.typeName === 'shape' && isFrozen(r)).map((r) => r.id)
  return { records: byId, rules: recordRules({ get: (id) => byId.get(id), frozenShapeIds }) }
}

type Rule<R extends TLRecord> = TLRecordAuthorizer<R, SessionMeta>
const session = (role: Role) => ({ isReadonly: role === 'viewer', meta: { role }, sessionId: 's' })
/** Whether `rule` lets `role` create, update (prev → next) or delete a record. */
const may = <R extends TLRecord>(rule: Rule<R>, role: Role) => ({
  create: (next: R) => rule({ session: session(role), type: 'create', prev: null, next }) !== null,
  update: (prev: R, next: R) =>
    rule({ session: session(role), type: 'update', prev, next }) !== null,
  remove: (prev: R) => rule({ session: session(role), type: 'delete', prev, next: null }) !== null,
})

const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} } as TLPage
const shape = (id: string, overrides: object = {}) =>
  ({
    id,
    typeName: 'shape',
    type: 'note',
    x: 0,
    y: 0,
    rotation: 0,
    parentId: 'page:page',
    isLocked: false,
    meta: {},
    ...overrides,
  }) as TLShape
const switchback = (meta: object) => ({ meta: { switchback: meta } })
/** The shape with Switchback's meta replaced. */
const withMeta = (of: TLShape, meta: object) => ({ ...of, ...switchback(meta) }) as TLShape
const binding = (fromId: string, toId: string) =>
  ({ id: 'binding:b', typeName: 'binding', type: 'arrow', fromId, toId, meta: {} }) as TLBinding
const image = (props: Partial<Extract<TLAsset, { type: 'image' }>['props']>) =>
  ({
    id: 'asset:a',
    typeName: 'asset',
    type: 'image',
    meta: {},
    props: {
      name: 'photo.png',
      src: 'data:image/png;base64,iVBORw0KGgo=',
      w: 800,
      h: 600,
      mimeType: 'image/png',
      isAnimated: false,
      fileSize: 1000,
      ...props,
    },
  }) as TLAsset

describe('record rules', () => {
  it('has a rule for every record type in tldraw’s schema but presence', () => {
    const { rules } = boardWith()
    const types = Object.keys(createTLSchema().types).filter((t) => t !== 'instance_presence')
    expect(Object.keys(rules).sort()).toEqual(types.sort())
  })

  it('lets only the facilitator change the board title, and nobody create or delete it', () => {
    const { rules } = boardWith()
    const prev = { id: 'document:document', typeName: 'document', name: 'Old' } as TLDocument
    const next = { ...prev, name: 'New' }
    expect(may(rules.document, 'facilitator').update(prev, next)).toBe(true)
    expect(may(rules.document, 'participant').update(prev, next)).toBe(false)
    expect(
      may(rules.document, 'facilitator').update(prev, { ...next, name: 'x'.repeat(500) }),
    ).toBe(false)
    expect(may(rules.document, 'facilitator').remove(prev)).toBe(false)
    expect(may(rules.document, 'facilitator').create(next)).toBe(false)
  })

  it('leaves pages to the facilitator', () => {
    const { rules } = boardWith(page)
    const renamed = { ...page, name: 'Mine' }
    const another = { ...page, id: 'page:other' } as TLPage
    for (const [role, allowed] of [
      ['facilitator', true],
      ['participant', false],
      ['viewer', false],
    ] as const) {
      expect(may(rules.page, role).update(page, renamed)).toBe(allowed)
      expect(may(rules.page, role).create(another)).toBe(allowed)
      expect(may(rules.page, role).remove(page)).toBe(allowed)
    }
  })

  it('keeps background, locked and frozen shapes for the facilitator; participants keep theirs', () => {
    const background = shape('shape:bg', { isLocked: true, ...switchback({ background: true }) })
    const frozen = shape('shape:frozen', switchback({ frozen: true }))
    const own = shape('shape:own')
    const { rules } = boardWith(page, background, frozen, own)
    const participant = may(rules.shape, 'participant')
    const facilitator = may(rules.shape, 'facilitator')

    for (const prev of [background, { ...background, isLocked: false }, frozen]) {
      const moved = { ...prev, x: 500 }
      expect(participant.update(prev, moved)).toBe(false)
      expect(facilitator.update(prev, moved)).toBe(true)
      expect(participant.remove(prev)).toBe(false)
    }
    expect(participant.create(shape('shape:new'))).toBe(true)
    expect(participant.update(own, { ...own, x: 40 })).toBe(true)
    expect(participant.update(own, { ...own, isLocked: true })).toBe(false)
    expect(participant.update(own, withMeta(own, { frozen: true }))).toBe(false)
    expect(participant.create(shape('shape:fake', switchback({ background: true })))).toBe(false)
    expect(may(rules.shape, 'viewer').create(shape('shape:new'))).toBe(false)
  })

  it('leaves zone rules to the facilitator, malformed ones too', () => {
    const zone = shape('shape:zone', { type: 'geo', ...switchback({ zone: { capacity: 2 } }) })
    const own = shape('shape:own', { type: 'geo' })
    const { rules } = boardWith(page, zone, own)
    const participant = may(rules.shape, 'participant')
    const withRule = withMeta(own, { zone: { capacity: 3 } })
    expect(participant.update(own, withRule)).toBe(false)
    expect(participant.update(own, withMeta(own, { zone: 'junk' }))).toBe(false)
    expect(participant.create({ ...withRule, id: 'shape:new' } as TLShape)).toBe(false)
    expect(participant.update(zone, withMeta(zone, { zone: { capacity: 9 } }))).toBe(false)
    expect(participant.update(zone, { ...zone, meta: {} })).toBe(false)
    expect(participant.remove(zone)).toBe(false)
    // Moving a zone shape is not changing its rule.
    expect(participant.update(zone, { ...zone, x: 10 })).toBe(true)
    expect(may(rules.shape, 'facilitator').update(own, withRule)).toBe(true)
  })

  it('refuses a shape whose parent is not on the board, or whose parents loop', () => {
    const frame = shape('shape:frame', { type: 'frame', isLocked: true })
    const a = shape('shape:a', { parentId: 'shape:b' as TLShape['parentId'] })
    const b = shape('shape:b', { parentId: 'shape:a' as TLShape['parentId'] })
    const { rules } = boardWith(page, frame, a, b)
    for (const role of ['facilitator', 'participant'] as const) {
      const rule = may(rules.shape, role)
      expect(rule.create(shape('shape:inframe', { parentId: frame.id }))).toBe(true)
      expect(rule.create(shape('shape:lost', { parentId: 'page:nowhere' as never }))).toBe(false)
      expect(rule.create(shape('shape:orphan', { parentId: 'shape:gone' as never }))).toBe(false)
      expect(rule.create(shape('shape:self', { parentId: 'shape:self' as never }))).toBe(false)
      expect(rule.create(shape('shape:c', { parentId: a.id }))).toBe(false)
    }
  })

  it('refuses a binding with an end missing, locked, background or frozen', () => {
    const mine = shape('shape:mine')
    const other = shape('shape:other')
    const arrow = shape('shape:arrow', { type: 'arrow', isLocked: true })
    const bg = shape('shape:bg', switchback({ background: true }))
    const frozen = shape('shape:frozen', switchback({ frozen: true }))
    const { rules, records } = boardWith(page, mine, other, arrow, bg, frozen)
    const participant = may(rules.binding, 'participant')
    expect(participant.create(binding(mine.id, other.id))).toBe(true)
    expect(participant.create(binding(arrow.id, mine.id))).toBe(false)
    expect(participant.create(binding(mine.id, bg.id))).toBe(false)
    expect(participant.create(binding(mine.id, frozen.id))).toBe(false)
    expect(participant.create(binding(mine.id, 'shape:missing'))).toBe(false)
    expect(participant.create(binding('page:page', mine.id))).toBe(false)
    expect(participant.update(binding(mine.id, other.id), binding(mine.id, bg.id))).toBe(false)
    expect(participant.remove(binding(arrow.id, mine.id))).toBe(false)
    expect(may(rules.binding, 'viewer').create(binding(mine.id, other.id))).toBe(false)
    // The facilitator binds background too, but not to nothing.
    expect(may(rules.binding, 'facilitator').create(binding(arrow.id, mine.id))).toBe(true)
    expect(may(rules.binding, 'facilitator').create(binding(mine.id, 'shape:missing'))).toBe(false)
    // Once an end is deleted, its binding may go too.
    records.delete(other.id)
    expect(participant.remove(binding(mine.id, other.id))).toBe(true)
  })

  it('takes image assets only inline or from our origin, within the image limits', () => {
    const { rules } = boardWith()
    const participant = may(rules.asset, 'participant')
    expect(participant.create(image({}))).toBe(true)
    expect(participant.create(image({ src: '/assets/photo.png' }))).toBe(true)
    expect(participant.create(image({ src: null }))).toBe(true)
    for (const src of [
      'https://tracker.example/pixel.png',
      '//tracker.example/pixel.png',
      'http://localhost:1999/x.png',
      'javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      '/\\tracker.example/x.png',
    ]) {
      expect(participant.create(image({ src })), src).toBe(false)
    }
    const side = LIMITS.maxImageDimension
    expect(participant.create(image({ w: side, h: side }))).toBe(true)
    expect(participant.create(image({ w: side + 1 }))).toBe(false)
    expect(participant.create(image({ h: side * 4 }))).toBe(false)
    expect(participant.create(image({ w: side * 2, isAnimated: true }))).toBe(true)
    expect(participant.create(image({ fileSize: LIMITS.maxImageBytes + 1 }))).toBe(false)
    const huge = `data:image/png;base64,${'A'.repeat((LIMITS.maxImageBytes / 3) * 4 + 8)}`
    expect(participant.create(image({ src: huge, fileSize: 10 }))).toBe(false)
    // An update is checked like a create: no swapping in an external URL later.
    expect(participant.update(image({}), image({ src: 'https://tracker.example/a.png' }))).toBe(
      false,
    )
    expect(may(rules.asset, 'viewer').create(image({}))).toBe(false)

    const video = { ...image({}), type: 'video' } as TLAsset
    expect(
      participant.create({
        ...video,
        props: { ...video.props, src: 'https://x.example/v' },
      } as TLAsset),
    ).toBe(false)
    const bookmark = {
      id: 'asset:b',
      typeName: 'asset',
      type: 'bookmark',
      meta: {},
      props: { title: '', description: '', src: 'https://example.com', image: '', favicon: '' },
    } as TLAsset
    expect(participant.create(bookmark)).toBe(true)
    const tracked = { ...bookmark, props: { ...bookmark.props, image: 'https://t.example/i.png' } }
    expect(participant.create(tracked as TLAsset)).toBe(false)
  })

  it('takes no user records, and nothing the client keeps to itself', () => {
    const { rules } = boardWith()
    const user = { id: 'user:u', typeName: 'user', name: 'Mallory', color: '#000' } as TLRecord
    for (const role of ['facilitator', 'participant'] as const) {
      expect(may(rules.user, role).create(user as never)).toBe(false)
      expect(may(rules.camera, role).create({ id: 'camera:c' } as never)).toBe(false)
    }
  })
})
