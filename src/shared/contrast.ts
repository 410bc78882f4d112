/**
 * Text on a colour someone picked (a person's cursor colour behind their initial): white
 * where it reads (WCAG AA, 4.5:1, as small text needs), else black. Black, not the theme's
 * softer ink: mid-tones such as teal (#0c8599) reach 4.5:1 with neither white nor --ink.
 */

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

export function readableTextOn(background: string): string {
  return contrastRatio('#ffffff', background) >= 4.5 ? '#ffffff' : '#000000'
}
