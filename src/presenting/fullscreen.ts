/**
 * The browser's full screen for the presenter, where it is allowed: a browser may refuse it
 * (not from a click or a key, an iframe without permission, an iPhone), and then the slides
 * fill the window instead, with the app's chrome out of the way all the same.
 */

/** Asks for full screen; resolves to whether the browser gave it. Call it within a click or key. */
export async function enterFullscreen(): Promise<boolean> {
  const root = document.documentElement
  if (document.fullscreenElement) return true
  if (!root.requestFullscreen || !document.fullscreenEnabled) return false
  try {
    await root.requestFullscreen({ navigationUI: 'hide' })
    return true
  } catch {
    return false
  }
}

export function exitFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
}

export function isFullscreen(): boolean {
  return document.fullscreenElement !== null
}
