/**
 * Starts downloading the sticky font as soon as the canvas code loads. tldraw waits for the
 * fonts the page's shapes use before it draws them (so labels are measured in the right font,
 * and never jump), but it asks for them only once the board has arrived and the editor exists;
 * preloaded, the font comes down while the board's records are still on their way, and the
 * wait is gone. The link is same-origin (the fonts are bundled), as the page's policy requires.
 */
export function preloadFonts(urls: readonly (string | undefined)[]): void {
  for (const url of urls) {
    if (!url || document.head.querySelector(`link[rel="preload"][href="${CSS.escape(url)}"]`)) {
      continue
    }
    const link = document.createElement('link')
    link.rel = 'preload'
    link.as = 'font'
    link.type = 'font/woff2'
    // Fonts are fetched in CORS mode; a preload without it would not be reused.
    link.crossOrigin = 'anonymous'
    link.href = url
    document.head.append(link)
  }
}
