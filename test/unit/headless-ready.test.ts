/**
 * The headless exporter's `ready()`: it waits for the board, for its vote results (so an image
 * made right after shows the newest result's counts) and for the workshop state (the report's
 * step log).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { BoardState } from '../../src/canvas/board-state'
import type { CanvasHandle } from '../../src/canvas/handle'
import type { WorkshopContext } from '../../src/export/report/report-actions'
import type { VoteResult } from '../../src/protocol/facilitation'

const g = globalThis as unknown as { window?: { switchbackExport?: unknown } }

describe('the headless API', () => {
  afterEach(() => delete g.window)

  it('is ready once the board is connected and its votes and workshop state have come', async () => {
    g.window = {}
    const { installBoardHeadlessApi } = await import('../../src/app/headless')
    let results: VoteResult[] | null = null
    let workshop: WorkshopContext | null = null
    const canvas = {
      editor: { getCurrentPageShapeIds: () => new Set(['shape:a', 'shape:b']) },
    } as unknown as CanvasHandle
    const state = { connection: { kind: 'connected' }, title: 'Jobs' } as unknown as BoardState
    installBoardHeadlessApi({
      problem: () => null,
      state: () => state,
      canvas: () => canvas,
      results: () => results,
      workshop: () => workshop,
      facilitatorSecret: undefined,
    })
    const api = (g.window as Window).switchbackExport!
    let answer: unknown = null
    void api.ready().then((ready) => (answer = ready))
    await new Promise((wake) => setTimeout(wake, 250))
    expect(answer).toBeNull()
    results = [{ id: 'v1' } as VoteResult]
    await new Promise((wake) => setTimeout(wake, 250))
    expect(answer).toBeNull()
    workshop = { view: null, votes: results, serverNow: () => 0 }
    await expect
      .poll(() => answer, { timeout: 2000 })
      .toEqual({ title: 'Jobs', shapes: 2, votes: 1 })
    // The first import of the app's modules takes seconds on a busy machine.
  }, 20_000)
})
