/**
 * The app's own pages (`/`, `/new`, `/b/<roomId>`), answered by the main party with the
 * security headers that PartyKit's static file server cannot add.
 *
 * PartyKit serves static files before any party code runs and has no setting for response
 * headers, so the built page is not a static `index.html`: the build writes it as
 * `APP_SHELL_ASSET` (vite.config.ts), `singlePageApp` is off, and every request that matches no
 * static file reaches the main party's `onFetch`, which answers here: the page with a
 * Content-Security-Policy, `frame-ancestors 'none'`, `nosniff` and `no-referrer`, 200 for the
 * app's routes and 404 (the app's Not Found screen) for anything else. The same file opened
 * directly at `APP_SHELL_ASSET` still carries the policy in a `<meta>` tag, and there the
 * router shows only Not Found: nothing to frame.
 */
import { STYLE_NONCE_PLACEHOLDER, roomIdInBoardPage, roomIdSchema } from '../../protocol'
import { NOSNIFF } from './http'

/** Where the build leaves the page among the static files (read with `lobby.assets.fetch`). */
export const APP_SHELL_ASSET = '/app-shell.html'

/**
 * The policy: our origin only. `data:` and `blob:` images and fonts are tldraw's (pasted images
 * are stored inline as data URLs; exports draw fonts and pictures from data and blob URLs).
 *
 * Styles: no 'unsafe-inline'. Svelte's and tldraw's styles are files; inline `style`
 * attributes set from script (React, Svelte, bits-ui) go through the CSSOM, which the policy
 * does not govern. The only `<style>` elements are tldraw's own (the license watermark, and
 * the font faces of an export while it is drawn), which carry `options.nonce`: the header
 * allows that one response's nonce, so nothing injected into the page can add styles.
 *
 * A `<meta>` policy may not carry `frame-ancestors` (the browser ignores it and logs an error)
 * and cannot name the socket's host (which 'self' covers in CSP 3 browsers anyway); the
 * header's copy adds both. Both policies apply to a served page, so the meta's nonce is the
 * placeholder the server replaces with the header's; in the file opened directly it stays a
 * placeholder, which the canvas never uses (and there the router shows only Not Found).
 */
export function contentSecurityPolicy(
  delivery: { kind: 'header'; pageUrl: string; styleNonce: string } | { kind: 'meta' },
): string {
  const header = delivery.kind === 'header' ? delivery : null
  const sockets = header ? [socketOrigin(header.pageUrl)] : []
  const nonce = `'nonce-${header ? header.styleNonce : STYLE_NONCE_PLACEHOLDER}'`
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'", nonce],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:', 'blob:'],
    ['media-src', "'self'", 'data:', 'blob:'],
    // tldraw reads pasted and exported pictures back with fetch() from data: and blob: URLs.
    ['connect-src', "'self'", ...sockets, 'data:', 'blob:'],
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ...(header ? [['frame-ancestors', "'none'"] as [string, string]] : []),
  ]
  return directives.map((d) => d.join(' ')).join('; ')
}

/** ws://host for an http page, wss://host for an https one: the board sockets. */
function socketOrigin(pageUrl: string): string {
  const url = new URL(pageUrl)
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`
}

export function pageSecurityHeaders(pageUrl: string, styleNonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ kind: 'header', pageUrl, styleNonce }),
    ...NOSNIFF,
    'Referrer-Policy': 'no-referrer',
    // For browsers older than frame-ancestors.
    'X-Frame-Options': 'DENY',
  }
}

/** 200 for one of the app's routes, 404 for any other path (the app shows Not Found). */
export function appPageStatus(pathname: string): 200 | 404 {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname
  if (path === '/' || path === '/new') return 200
  const roomId = roomIdInBoardPage(path)
  return roomId !== null && roomIdSchema.safeParse(roomId).success ? 200 : 404
}

/** Reads a static file by path, as PartyKit's `lobby.assets.fetch` does (null when missing). */
export type AssetFetcher = (path: string) => Promise<Response | null>

/** Answers a request for a page: the built page with the security headers. */
export async function appPageResponse(
  req: { url: string; method: string },
  fetchAsset: AssetFetcher,
): Promise<Response> {
  const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
    new Response(text, {
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NOSNIFF, ...headers },
    })
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return plain(405, `${req.method} is not allowed here; use GET.`, { Allow: 'GET, HEAD' })
  }
  const asset = await fetchAsset(APP_SHELL_ASSET).catch(() => null)
  if (!asset?.ok) {
    return plain(503, 'The app is not built: run `npm run build` (or `npm start`).')
  }
  const styleNonce = newNonce()
  const html = (await asset.text()).replaceAll(STYLE_NONCE_PLACEHOLDER, styleNonce)
  return new Response(req.method === 'HEAD' ? null : html, {
    status: appPageStatus(new URL(req.url).pathname),
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      // A nonce is good for one response, and the page names the current build's scripts.
      'Cache-Control': 'no-store',
      ...pageSecurityHeaders(req.url, styleNonce),
    },
  })
}

/** 128 random bits, base64: unguessable for the life of one page. */
function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
}
