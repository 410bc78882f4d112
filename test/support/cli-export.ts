/**
 * Runs the command-line exporter as `npm run export -- …` does (the script itself, without
 * npm's noise), for the specs that check its files; it never throws.
 */
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

export function runExporter(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli/export.ts', ...args],
      { cwd: ROOT, timeout: 120_000 },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}
