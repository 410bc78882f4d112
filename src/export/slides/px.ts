/** Inches and points (slide-layout.ts) to the DOM view's pixels: 144 px/in, 2 px/pt. */
import { PX_PER_IN, type Box, type TextStyle } from '../slide-layout'

export const inches = (value: number) => `${(value * PX_PER_IN).toFixed(2)}px`
export const points = (value: number) => `${((value * PX_PER_IN) / 72).toFixed(2)}px`

/** Absolute position and size of a box, as an inline style. */
export function boxStyle(box: Box): string {
  return `left:${inches(box.x)};top:${inches(box.y)};width:${inches(box.w)};height:${inches(box.h)}`
}

/** A text style as an inline style. */
export function textStyle(style: TextStyle): string {
  return [
    `font-size:${points(style.size)}`,
    `line-height:${points(style.lineHeight)}`,
    `font-weight:${style.bold ? 700 : 400}`,
    `color:#${style.color}`,
    `text-align:${style.align}`,
    style.caps ? 'text-transform:uppercase' : '',
    style.letterSpacing ? `letter-spacing:${points(style.letterSpacing)}` : '',
  ]
    .filter(Boolean)
    .join(';')
}
