/**
 * `npm run export -- --board <board link> --format png|svg|pptx|pdf --out <file>`
 * `npm run export -- --board <board link> --format report|md|csv|json --out <file>`
 * `npm run export -- --board <facilitator link> --snapshot [--title <title>]`
 *
 * Opens the board in headless Chromium, with nobody present, and runs the same export code
 * as the Export dialog (through `window.switchbackExport`), so the files are the same.
 */
import { errorMessage } from '../shared/error-message'
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'
import { z } from 'zod'
import { roomIdInBoardPage, roomIdSchema } from '../protocol'
import type { EncodedFile } from '../export/headless-api'
import { DEFAULT_IMAGE_EXPORT, EXPORT_SCALES } from '../export/image-options'
import { REPORT_FORMATS } from '../export/report/report-formats'
import { CHROMIUM_ARGS, chromiumPath } from './chromium'

const USAGE = `Usage:
  npm run export -- --board <board link> --format png|svg|pptx|pdf --out <file>
                    [--scale 1|2|4] [--transparent] [--dark]
  npm run export -- --board <board link> --format report|md|csv|json --out <file>
  npm run export -- --board <facilitator link> --snapshot [--title <title>]

  --board        a board link: view-only, participant or facilitator (…/b/<id>#…)
  --format       png or svg: a picture of the whole board; pptx or pdf: the slides;
                 report: the workshop report (one HTML page); md: the report as Markdown
                 with its pictures (.zip); csv: the actions, for an issue tracker's import;
                 json: the whole outcome (schema: <server>/schema/workshop-outcome.v1.json)
  --out          where to write the file
  --scale        png/svg only: 1, 2 (default) or 4
  --transparent  png/svg only: no background
  --dark         png/svg only: dark mode
  --snapshot     also keep a snapshot on the server and print its image URL
                 (needs the facilitator link)
  --title        the snapshot's title
  --timeout      seconds to wait for the board (default 60)`

const argsSchema = z
  .object({
    board: z
      .url({ message: '--board must be a board link (http://…/b/<id>)' })
      .refine(
        (link) => roomIdSchema.safeParse(roomIdInBoardPage(new URL(link).pathname)).success,
        '--board must be a board link: …/b/<board id>',
      ),
    format: z.enum(['png', 'svg', 'pptx', 'pdf', ...REPORT_FORMATS]).optional(),
    out: z.string().min(1).optional(),
    scale: z.coerce
      .number()
      .refine((n) => (EXPORT_SCALES as readonly number[]).includes(n), '--scale is 1, 2 or 4')
      .optional(),
    transparent: z.boolean().default(false),
    dark: z.boolean().default(false),
    snapshot: z.boolean().default(false),
    title: z.string().trim().min(1).max(120).optional(),
    timeout: z.coerce.number().positive().default(60),
  })
  .refine((a) => !!a.format === !!a.out, '--format and --out go together')
  .refine((a) => a.format || a.snapshot, 'nothing to do: give --format and --out, or --snapshot')

async function main(): Promise<number> {
  let raw
  try {
    raw = parseArgs({
      options: {
        board: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        scale: { type: 'string' },
        transparent: { type: 'boolean' },
        dark: { type: 'boolean' },
        snapshot: { type: 'boolean' },
        title: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    return fail(errorMessage(error), { usage: true })
  }
  if (raw.help) {
    console.log(USAGE)
    return 0
  }
  const parsed = argsSchema.safeParse(raw)
  if (!parsed.success) {
    return fail(parsed.error.issues.map((i) => i.message).join('\n'), { usage: true })
  }
  const args = parsed.data

  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    page.setDefaultTimeout(args.timeout * 1000)
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))

    const link = new URL(args.board)
    link.searchParams.set('export', '')
    const response = await page.goto(link.toString())
    if (!response?.ok()) return fail(`Could not open ${link.origin}: ${response?.status()}`)
    // Polled with evaluate: waitForFunction would compile its test in the page, which the
    // app's Content-Security-Policy (no eval) refuses.
    for (let waited = 0; !(await page.evaluate(() => window.switchbackExport !== undefined));) {
      if ((waited += 100) > args.timeout * 1000) return fail('The board page did not load.')
      await new Promise((wake) => setTimeout(wake, 100))
    }
    const board = await page.evaluate(() => window.switchbackExport!.ready())
    const votes = board.votes === 1 ? '1 vote result' : `${board.votes} vote results`
    console.log(`Opened “${board.title}” (${board.shapes} shapes, ${votes}).`)

    if (args.format && args.out) {
      const format = args.format
      const file: EncodedFile =
        format === 'report' || format === 'md' || format === 'csv' || format === 'json'
          ? await page.evaluate((f) => window.switchbackExport!.report(f), format)
          : format === 'png' || format === 'svg'
            ? await page.evaluate((options) => window.switchbackExport!.image(options), {
                ...DEFAULT_IMAGE_EXPORT,
                format,
                scale: (args.scale ?? DEFAULT_IMAGE_EXPORT.scale) as 1 | 2 | 4,
                background: args.transparent ? ('transparent' as const) : ('white' as const),
                dark: args.dark,
              })
            : await page.evaluate((f) => window.switchbackExport!.slides(f), format)
      const bytes = Buffer.from(file.base64, 'base64')
      const out = resolve(args.out)
      await writeFile(out, bytes)
      console.log(`Wrote ${out} (${file.mimeType}, ${bytes.length} bytes).`)
    }

    if (args.snapshot) {
      const snapshot = await page.evaluate((t) => window.switchbackExport!.snapshot(t), args.title)
      console.log(`Snapshot “${snapshot.title}” (${snapshot.width}×${snapshot.height}):`)
      console.log(snapshot.url)
    }
    return 0
  } catch (error) {
    // page.evaluate wraps the page's error; its first line is the message the app wrote.
    const message = errorMessage(error)
    return fail(message.replace(/^page\.\w+: (Error: )?/, '').split('\n')[0])
  } finally {
    await browser.close()
  }
}

function fail(message: string, { usage = false } = {}): number {
  console.error(`export: ${message}${usage ? `\n\n${USAGE}` : ''}`)
  return 1
}

process.exitCode = await main()
