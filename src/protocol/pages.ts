/**
 * The app's own pages: their paths, and the style nonce the server puts into each page.
 */

/**
 * The page's style nonce: tldraw draws a few `<style>` elements of its own (the license
 * watermark, fonts in an export) and tags them with `options.nonce`. The built page carries
 * `<meta name="csp-style-nonce" content="__CSP_STYLE_NONCE__">`; the server puts a fresh nonce
 * there, and in the policy, for every page it answers.
 */
export const STYLE_NONCE_META = 'csp-style-nonce'
export const STYLE_NONCE_PLACEHOLDER = '__CSP_STYLE_NONCE__'

/** The app's own pages: a board (`/b/<roomId>`), and making a new one (`/new`). */
export const BOARD_PAGE_PREFIX = '/b/'
export function boardPagePath(roomId: string): string {
  return `${BOARD_PAGE_PREFIX}${roomId}`
}
/** The room id a board page's path names (not yet checked), or null for another page. */
export function roomIdInBoardPage(pathname: string): string | null {
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname)
  return match ? decodeURIComponent(match[1]) : null
}
/** A new board, from a built-in template or (with `library`) a team library's. */
export function newBoardPagePath(from: { template?: string; library?: string } = {}): string {
  const query = new URLSearchParams()
  if (from.library) query.set('library', from.library)
  if (from.template) query.set('template', from.template)
  return query.size > 0 ? `/new?${query}` : '/new'
}
