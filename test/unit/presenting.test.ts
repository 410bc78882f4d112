import { describe, expect, it } from 'vitest'
import type { FacilitationMessage } from '../../src/protocol/facilitation'
import type { Role } from '../../src/protocol'
import { Facilitation, type BoardRecord } from '../../src/server/workshop/facilitation'
import {
  INITIAL_STATE,
  applyAction,
  type ActionContext,
} from '../../src/server/workshop/facilitation-state'
import { MemoryStorage } from './memory-storage'

const FRAMES = ['shape:a', 'shape:b', 'shape:c', 'shape:d']
const context: ActionContext = {
  now: 5_000,
  actor: { personId: 'person-f', name: 'Fran' },
  agenda: [],
  isFrame: (id) => FRAMES.includes(id),
}

describe('presenting rules', () => {
  const started = () => {
    const outcome = applyAction(
      INITIAL_STATE,
      { type: 'present-start', frames: FRAMES, index: 0 },
      context,
    )
    if (outcome.kind !== 'changed') throw new Error(`not started: ${JSON.stringify(outcome)}`)
    return outcome.state
  }

  it('starts on the frames given, in their order, presented by the actor the server knows', () => {
    expect(started().presenting).toEqual({
      frames: FRAMES,
      index: 0,
      by: { personId: 'person-f', name: 'Fran' },
      startedAt: 5_000,
    })
  })

  it('refuses a shape that is not a frame, a frame twice, a slide past the end, no board', () => {
    const start = (frames: string[], index = 0, ctx = context) =>
      applyAction(INITIAL_STATE, { type: 'present-start', frames, index }, ctx)
    expect(start(['shape:a', 'shape:sticky'])).toEqual({
      kind: 'refused',
      reason: 'shape:sticky is not a frame on this board.',
    })
    expect(start(['shape:a', 'shape:b', 'shape:a'])).toMatchObject({ kind: 'refused' })
    expect(start(FRAMES, 4)).toEqual({
      kind: 'refused',
      reason: 'There is no slide 5: this presentation has 4.',
    })
    expect(start(FRAMES, 0, { ...context, isFrame: undefined })).toMatchObject({
      kind: 'refused',
    })
    expect(start(FRAMES, 0, { ...context, actor: { personId: null, name: 'x' } })).toMatchObject({
      kind: 'refused',
    })
  })

  it('goes to a slide in range while presenting, and stops', () => {
    const state = started()
    const went = applyAction(state, { type: 'present-go', index: 2 }, context)
    expect(went.kind === 'changed' && went.state.presenting?.index).toBe(2)
    expect(applyAction(state, { type: 'present-go', index: 4 }, context)).toMatchObject({
      kind: 'refused',
    })
    expect(applyAction(state, { type: 'present-go', index: 0 }, context)).toEqual({
      kind: 'unchanged',
    })
    expect(applyAction(INITIAL_STATE, { type: 'present-go', index: 0 }, context)).toMatchObject({
      kind: 'refused',
    })
    const stopped = applyAction(state, { type: 'present-stop' }, context)
    expect(stopped.kind === 'changed' && stopped.state.presenting).toBeNull()
    expect(applyAction(INITIAL_STATE, { type: 'present-stop' }, context)).toEqual({
      kind: 'unchanged',
    })
  })
})

describe('presenting through the hub', () => {
  function hub(storage = new MemoryStorage()) {
    const sent: { sessionId: string; message: FacilitationMessage }[] = []
    const records: Record<string, BoardRecord> = Object.fromEntries(
      FRAMES.map((id) => [id, { typeName: 'shape', type: 'frame' }]),
    )
    records['shape:note'] = { typeName: 'shape', type: 'note' }
    const facilitation = new Facilitation({
      storage,
      now: () => 9_000,
      agenda: () => [],
      send: (sessionId, message) => sent.push({ sessionId, message }),
      record: (id) => records[id],
    })
    const join = (sessionId: string, role: Role, personId: string | null) => {
      facilitation.join(sessionId, { role, personId, author: personId && `author-${personId}` })
      const welcome = sent.find((s) => s.sessionId === sessionId && s.message.type === 'welcome')
      if (welcome?.message.type !== 'welcome') throw new Error('no welcome')
      return welcome.message.token
    }
    const lastView = (sessionId: string) => {
      const last = sent
        .filter((s) => s.sessionId === sessionId && s.message.type === 'state')
        .at(-1)
      return last?.message.type === 'state' ? last.message.view : null
    }
    return { storage, facilitation, join, lastView }
  }

  it('lets only the facilitator present; everyone sees the slide; it is stored', async () => {
    const h = hub()
    const fran = h.join('s-f', 'facilitator', 'person-f')
    const pat = h.join('s-p', 'participant', 'person-p')
    const vic = h.join('s-v', 'viewer', null)
    for (const token of [pat, vic]) {
      for (const body of [
        { type: 'present-start', frames: FRAMES, index: 0 },
        { type: 'present-go', index: 1 },
        { type: 'present-stop' },
      ]) {
        expect(await h.facilitation.act(token, body)).toMatchObject({ ok: false, status: 403 })
      }
    }
    expect(await h.storage.get('facilitation')).toBeUndefined()
    expect(
      await h.facilitation.act(fran, { type: 'present-start', frames: ['shape:note'], index: 0 }),
    ).toMatchObject({ ok: false, status: 409 })
    expect(
      await h.facilitation.act(fran, { type: 'present-start', frames: [], index: 0 }),
    ).toMatchObject({ ok: false, status: 400 })
    expect(await h.facilitation.act(fran, { type: 'present-go', index: -1 })).toMatchObject({
      ok: false,
      status: 400,
    })
    expect(
      await h.facilitation.act(fran, { type: 'present-start', frames: FRAMES, index: 0 }),
    ).toEqual({
      ok: true,
    })
    expect(await h.facilitation.act(fran, { type: 'present-go', index: 2 })).toEqual({ ok: true })
    for (const session of ['s-f', 's-p', 's-v']) {
      expect(h.lastView(session)?.presenting).toMatchObject({ frames: FRAMES, index: 2 })
    }
    // A restart reads the stored slide back.
    const again = hub(h.storage)
    await again.facilitation.load()
    again.join('s-p2', 'participant', 'person-p')
    expect(again.lastView('s-p2')?.presenting).toMatchObject({
      index: 2,
      by: { personId: 'person-f' },
    })
  })
})
