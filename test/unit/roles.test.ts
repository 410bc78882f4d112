import { describe, expect, it } from 'vitest'
import type { TLDocument, TLShape } from '@tldraw/tlschema'
import { secretSchema } from '../../src/protocol'
import {
  hashSecret,
  mintBoardAuth,
  mintSecret,
  recordAuthorizers,
  resolveRole,
} from '../../src/server/roles'

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

  it('lets only the facilitator change the board title', () => {
    const prev = { id: 'document:document', typeName: 'document', name: 'Old' } as TLDocument
    const next = { ...prev, name: 'New' }
    const authorize = recordAuthorizers.document!
    const as = (role: 'facilitator' | 'participant') => ({
      session: { isReadonly: false, meta: { role }, sessionId: 's' },
      type: 'update' as const,
      prev,
      next,
    })
    expect(authorize(as('facilitator'))).toEqual(next)
    expect(authorize(as('participant'))).toBeNull()
    expect(authorize({ ...as('facilitator'), next: { ...next, name: 'x'.repeat(500) } })).toBeNull()
  })
  it('keeps background and locked shapes for the facilitator, and leaves participants their own', () => {
    const authorize = recordAuthorizers.shape!
    const session = (role: 'facilitator' | 'participant') => ({
      isReadonly: false,
      meta: { role },
      sessionId: 's',
    })
    const shape = (overrides: Partial<TLShape>) =>
      ({
        id: 'shape:a',
        typeName: 'shape',
        type: 'note',
        isLocked: false,
        meta: {},
        ...overrides,
      }) as TLShape
    const background = shape({ isLocked: true, meta: { switchback: { background: true } } })
    const unlockedBackground = { ...background, isLocked: false }
    const own = shape({})

    for (const prev of [background, unlockedBackground]) {
      const moved = { ...prev, x: 500 }
      const update = { type: 'update' as const, prev, next: moved }
      expect(authorize({ session: session('participant'), ...update })).toBeNull()
      expect(authorize({ session: session('facilitator'), ...update })).toEqual(moved)
      const remove = { type: 'delete' as const, prev, next: null }
      expect(authorize({ session: session('participant'), ...remove })).toBeNull()
    }
    // A participant moves their own sticky, but may not lock it or pass it off as background.
    const create = { type: 'create' as const, prev: null }
    expect(authorize({ session: session('participant'), ...create, next: own })).toEqual(own)
    expect(
      authorize({
        session: session('participant'),
        type: 'update',
        prev: own,
        next: { ...own, isLocked: true },
      }),
    ).toBeNull()
    expect(authorize({ session: session('participant'), ...create, next: background })).toBeNull()
  })
})
