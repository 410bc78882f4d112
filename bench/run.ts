/**
 * `npm run bench -- <name>...` runs the named benchmarks; with no name it runs them all.
 * Each benchmark is a module exporting `run()`, loaded only when it is asked for.
 */
import { cleanUpNow } from '../test/support/processes'

const BENCHMARKS: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  sync: () => import('./sync'),
  'board-size': () => import('./board-size'),
  templates: () => import('./templates'),
  'zone-counts': () => import('./zone-counts'),
  export: () => import('./export'),
  open: () => import('./open'),
  abuse: () => import('./abuse'),
  'action-flood': () => import('./action-flood'),
  facilitation: () => import('./facilitation'),
  voting: () => import('./voting'),
  'browser-edits': () => import('./browser-edits'),
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !(name in BENCHMARKS))
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}.`,
    )
    process.exit(1)
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    console.log(`\n=== bench: ${name} ===\n`)
    const benchmark = await BENCHMARKS[name]()
    await benchmark.run()
  }
}

// Never leave a server behind: not on Ctrl-C, not on a crash.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping servers`)
    cleanUpNow()
    process.exit(130)
  })
}
process.on('exit', cleanUpNow)

main(process.argv.slice(2)).then(
  // Exit explicitly: a stray timer in a client library must not keep the bench hanging.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
