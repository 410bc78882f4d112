/**
 * Where arranged stickies go, as plain geometry (page units, top-left corners): a grid in
 * reading order inside a frame or zone that steps around what stays put, and the columns of
 * Group by theme, each under its header, inside the container when they fit and beside it
 * when not. Pure, so that "no overlaps" and "inside the container" are unit-tested.
 */
import type { Box } from '../board/geometry'

/** Space between stickies, and between a container's edge and its stickies. */
export const GAP = 20
export const PAD = 40
/** Space between two themes' columns, and a theme header's height. */
export const COLUMN_GAP = 60
export const HEADER_H = 60

export interface Size {
  w: number
  h: number
}

export interface Point {
  x: number
  y: number
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/** One cell that fits every item: the largest width and height among them. */
export function cellOf(items: readonly Size[]): Size {
  let w = 0
  let h = 0
  for (const item of items) {
    w = Math.max(w, item.w)
    h = Math.max(h, item.h)
  }
  return { w, h }
}

/** The area inside a container where stickies go: its box less the padding (and a label). */
export function innerArea(container: Box, top = 0): Box {
  return {
    x: container.x + PAD,
    y: container.y + PAD + top,
    w: Math.max(0, container.w - 2 * PAD),
    h: Math.max(0, container.h - 2 * PAD - top),
  }
}

/**
 * `count` cells of `cell` in reading order from the area's top-left, as many a row as its
 * width takes (one at least), skipping any cell that would overlap an obstacle. Rows go on
 * below the area when it is full: the stickies never overlap each other.
 */
export function gridCells(
  area: Box,
  cell: Size,
  count: number,
  obstacles: readonly Box[] = [],
): Point[] {
  const columns = Math.max(1, Math.floor((area.w + GAP) / (cell.w + GAP)))
  const cells: Point[] = []
  // Bounded: each row skipped is a row of obstacles, and there are finitely many of them.
  const maxCells = count + columns * (obstacles.length + 1) * 4
  for (let k = 0; cells.length < count && k < maxCells; k++) {
    const x = area.x + (k % columns) * (cell.w + GAP)
    const y = area.y + Math.floor(k / columns) * (cell.h + GAP)
    const box = { x, y, w: cell.w, h: cell.h }
    if (obstacles.some((o) => overlaps(o, box))) continue
    cells.push({ x, y })
  }
  return cells
}

export interface ThemeLayout {
  /** Whether the columns are inside the container (else laid from 0,0, to be placed). */
  inside: boolean
  /** Each theme's header box, then its cells (column by column, top to bottom). */
  columns: { header: Box; cells: Point[] }[]
}

/**
 * The themes' columns: each theme in a block of sub-columns under its header, as tall as the
 * area allows, blocks side by side. Inside the area when they fit it without touching an
 * obstacle; otherwise laid out from (0, 0), squarish, for the caller to put in free space.
 */
export function themeColumns(
  area: Box,
  cell: Size,
  counts: readonly number[],
  obstacles: readonly Box[] = [],
): ThemeLayout {
  const rowsFit = Math.floor((area.h - HEADER_H + GAP) / (cell.h + GAP))
  const inside = place({ x: area.x, y: area.y }, Math.max(1, rowsFit), cell, counts)
  const right = area.x + area.w
  const bottom = area.y + area.h
  const fits =
    rowsFit >= 1 &&
    inside.every(({ header, cells }) => {
      const boxes = [header, ...cells.map((c) => ({ ...c, ...cell }))]
      return boxes.every(
        (b) =>
          b.x + b.w <= right + 0.5 &&
          b.y + b.h <= bottom + 0.5 &&
          !obstacles.some((o) => overlaps(o, b)),
      )
    })
  if (fits) return { inside: true, columns: inside }
  const total = counts.reduce((a, b) => a + b, 0)
  const rows = Math.max(Math.min(rowsFit, 6), Math.ceil(Math.sqrt(total / 2)), 3)
  return { inside: false, columns: place({ x: 0, y: 0 }, rows, cell, counts) }
}

/** The box around a layout's headers and cells. */
export function extentOf(layout: ThemeLayout, cell: Size): Box {
  const boxes = layout.columns.flatMap((c) => [
    c.header,
    ...c.cells.map((p) => ({ ...p, ...cell })),
  ])
  const x = Math.min(...boxes.map((b) => b.x))
  const y = Math.min(...boxes.map((b) => b.y))
  return {
    x,
    y,
    w: Math.max(...boxes.map((b) => b.x + b.w)) - x,
    h: Math.max(...boxes.map((b) => b.y + b.h)) - y,
  }
}

/** The layout moved by (dx, dy). */
export function shifted(layout: ThemeLayout, dx: number, dy: number): ThemeLayout {
  return {
    inside: layout.inside,
    columns: layout.columns.map(({ header, cells }) => ({
      header: { ...header, x: header.x + dx, y: header.y + dy },
      cells: cells.map((c) => ({ x: c.x + dx, y: c.y + dy })),
    })),
  }
}

/**
 * Where a box of `size` goes below `under` (left-aligned with it) clear of every box in
 * `taken`: the first place down the page that overlaps none.
 */
export function freeSpotBelow(under: Box, size: Size, taken: readonly Box[]): Point {
  let y = under.y + under.h + COLUMN_GAP * 2
  for (let tries = 0; tries < 200; tries++) {
    const box = { x: under.x, y, w: size.w, h: size.h }
    const hits = taken.filter((t) => overlaps(t, box))
    if (hits.length === 0) break
    y = Math.max(...hits.map((t) => t.y + t.h)) + COLUMN_GAP
  }
  return { x: under.x, y }
}

function place(origin: Point, rows: number, cell: Size, counts: readonly number[]) {
  let x = origin.x
  return counts.map((count) => {
    const subColumns = Math.max(1, Math.ceil(count / rows))
    const w = subColumns * (cell.w + GAP) - GAP
    const header = { x, y: origin.y, w, h: HEADER_H - GAP }
    const cells = Array.from({ length: count }, (_, k) => ({
      x: x + Math.floor(k / rows) * (cell.w + GAP),
      y: origin.y + HEADER_H + (k % rows) * (cell.h + GAP),
    }))
    x += w + COLUMN_GAP
    return { header, cells }
  })
}
