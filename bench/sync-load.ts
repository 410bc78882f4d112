/**
 * The sync benchmark's load generator, main-thread side: a pool of worker threads
 * (sync-worker.ts), the clients of a run dealt out among them, and their reports collected.
 * The main thread itself runs no client: it keeps the timetable and reads the server's /proc,
 * so its own event loop stays free.
 *
 * Workers run TypeScript through tsx's API (Node 20 does not hand the loader `npm run bench`
 * uses to worker threads).
 */
import { Worker } from 'node:worker_threads'
import type { ClientSpec, FromWorker, Plan, ToWorker, WorkerReport } from './sync-plan'

const WORKER_FILE = new URL('./sync-worker.ts', import.meta.url).href
const TSX_API = import.meta.resolve('tsx/esm/api')
const BOOT = `import(${JSON.stringify(TSX_API)}).then((tsx) => tsx.tsImport(${JSON.stringify(
  WORKER_FILE,
)}, ${JSON.stringify(WORKER_FILE)}))`

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>

class LoadWorker {
  private waiting: {
    type: FromWorker['type']
    resolve(message: FromWorker): void
    reject(error: Error): void
  }[] = []
  private failure: Error | null = null

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'error') return this.fail(new Error(`worker: ${message.message}`))
      const index = this.waiting.findIndex((w) => w.type === message.type)
      if (index >= 0) this.waiting.splice(index, 1)[0].resolve(message)
    })
    worker.on('error', (error) =>
      this.fail(error instanceof Error ? error : new Error(String(error))),
    )
    worker.on('exit', (code) => this.fail(new Error(`worker exited (${code})`)))
  }

  private fail(error: Error) {
    this.failure ??= error
    for (const waiter of this.waiting.splice(0)) waiter.reject(error)
  }

  /** Sends `message` (if any) and waits for the worker's reply of `type`. */
  ask<T extends FromWorker['type']>(type: T, message?: ToWorker): Promise<Reply<T>> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise<Reply<T>>((resolve, reject) => {
      this.waiting.push({ type, resolve: (m) => resolve(m as Reply<T>), reject })
      if (message) this.worker.postMessage(message)
    })
  }

  tell(message: ToWorker) {
    this.worker.postMessage(message)
  }

  terminate() {
    this.worker.removeAllListeners('exit')
    return this.worker.terminate()
  }
}

export class LoadGenerator {
  private constructor(private readonly workers: LoadWorker[]) {}

  get size() {
    return this.workers.length
  }

  static async start(count: number): Promise<LoadGenerator> {
    const workers = Array.from(
      { length: count },
      () => new LoadWorker(new Worker(BOOT, { eval: true })),
    )
    await Promise.all(workers.map((w) => w.ask('ready')))
    return new LoadGenerator(workers)
  }

  /**
   * Connects `clients`, dealt round-robin (the first to worker 0), every worker at once; says
   * how many got in and why the others did not.
   */
  async connect(clients: ClientSpec[]): Promise<{ ok: number; failed: string[] }> {
    const shares = this.workers.map((_, w) => clients.filter((_, i) => i % this.size === w))
    const replies = await Promise.all(
      this.workers.map((worker, w) =>
        worker.ask('connected', { type: 'connect', clients: shares[w] }),
      ),
    )
    return {
      ok: replies.reduce((sum, r) => sum + r.ok, 0),
      failed: replies.flatMap((r) => r.failed),
    }
  }

  start(plan: Plan) {
    for (const worker of this.workers) worker.tell({ type: 'start', plan })
  }

  async report(): Promise<WorkerReport[]> {
    const replies = await Promise.all(this.workers.map((w) => w.ask('report', { type: 'report' })))
    return replies.map((r) => r.report)
  }

  /** Closes every client (the workers stay for the next run). */
  async close() {
    await Promise.all(this.workers.map((w) => w.ask('closed', { type: 'close' })))
  }

  async stop() {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
