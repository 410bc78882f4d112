import { describe, expect, it, vi } from 'vitest'
import { AckGate } from '../../src/server/core/ack-gate'

function deferred() {
  let resolve!: () => void
  let reject!: (e: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('AckGate', () => {
  it('sends at once when nothing is being written', () => {
    const gate = new AckGate(() => {})
    const sent: string[] = []
    gate.process(
      () => gate.send(() => sent.push('pong')),
      () => null,
    )
    expect(sent).toEqual(['pong'])
  })

  it('holds what a change sends until its write is durable', async () => {
    const gate = new AckGate(() => {})
    const write = deferred()
    const sent: string[] = []
    gate.process(
      () => gate.send(() => sent.push('ack')),
      () => write.promise,
    )
    await Promise.resolve()
    expect(sent).toEqual([])
    write.resolve()
    await gate.settled()
    expect(sent).toEqual(['ack'])
  })

  it('keeps order: a later message waits for an earlier write', async () => {
    const gate = new AckGate(() => {})
    const first = deferred()
    const second = deferred()
    const sent: string[] = []
    gate.process(
      () => gate.send(() => sent.push('ack 1')),
      () => first.promise,
    )
    gate.process(
      () => gate.send(() => sent.push('pong')),
      () => null,
    )
    gate.process(
      () => gate.send(() => sent.push('ack 2')),
      () => second.promise,
    )
    second.resolve()
    await Promise.resolve()
    expect(sent).toEqual([])
    first.resolve()
    await gate.settled()
    expect(sent).toEqual(['ack 1', 'pong', 'ack 2'])
  })

  it('drops held messages and reports when a write fails', async () => {
    const onFailure = vi.fn()
    const gate = new AckGate(onFailure)
    const write = deferred()
    const sent: string[] = []
    gate.process(
      () => gate.send(() => sent.push('ack')),
      () => write.promise,
    )
    write.reject(new Error('disk full'))
    await gate.settled()
    expect(sent).toEqual([])
    expect(onFailure).toHaveBeenCalledOnce()
  })
})
