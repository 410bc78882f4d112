/**
 * A template board's fonts come from the preload the app starts while the server creates the
 * board (src/app/preload-board.ts), and tldraw uses that download: each font file is fetched
 * once, by the preload, not again by tldraw's own font faces (a preload that did not match
 * them, by URL or CORS mode, would be a wasted download and save nothing).
 */
import { openTemplateBoard } from '../support/template-board'
import { BUILT_IN_TEMPLATES } from '../../src/templates/catalog'
import { expect, test } from './fixtures'

test('a template board fetches its fonts once, through the preload', async ({ people, server }) => {
  const template = BUILT_IN_TEMPLATES.find((t) => t.id === 'retro')!
  const page = await people.join('Fran')
  await openTemplateBoard(page, server.url, template.id, template.elements.length)
  // Once the editor is up, tldraw has loaded the fonts the board's shapes use.
  await expect.poll(() => page.evaluate(() => document.fonts.check('24px tldraw_draw'))).toBe(true)
  const fetched = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((entry) => new URL(entry.name).pathname.endsWith('.woff2'))
      .map((entry) => ({ path: new URL(entry.name).pathname, by: entry.initiatorType })),
  )
  const preloaded = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="font"]')].map(
      (link) => new URL(link.href).pathname,
    ),
  )
  // tldraw's "draw" font, the stickies' and shapes', is among them.
  expect(
    preloaded.some((path) => /\/Shantell_Sans-Informal_Regular-[^/]+\.woff2$/.test(path)),
  ).toBe(true)
  for (const path of preloaded) {
    expect(fetched.filter((entry) => entry.path === path)).toEqual([{ path, by: 'link' }])
  }
})
