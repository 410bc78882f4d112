/**
 * What a dot vote can cover, read from the board as the facilitator opens "Start a vote":
 * the stickies selected, or the stickies in a frame or zone (those whose centre lies inside
 * it, as zone counts reckon). The client turns a scope into sticky ids; the server keeps only
 * those that are stickies on the board when the vote starts.
 */
import type { Editor, TLShape } from 'tldraw'
import { boxContains, type Box } from '../../board/geometry'
import { isBackground, readShapeMeta } from '../../board/shape-meta'
import { FACILITATION_LIMITS } from '../../protocol/facilitation'

export interface VoteScope {
  key: string
  /** "Frame: Jobs", "Zone: Mismatches", "3 selected stickies". */
  label: string
  stickyIds: string[]
}

export interface VoteScopes {
  scopes: VoteScope[]
  /** The scope the current selection points at, if any. */
  preferred: string | null
}

/** A frame or a zone, with its page bounds. */
interface Container {
  shape: TLShape
  bounds: Box
  label: string
}

export function voteScopes(editor: Editor, plainText: (shape: TLShape) => string): VoteScopes {
  const shapes = editor.getCurrentPageShapesSorted()
  const stickies = shapes.flatMap((shape) => {
    // A template's prompt stickies are background, not ideas to vote on.
    if (shape.type !== 'note' || isBackground(shape)) return []
    const bounds = editor.getShapePageBounds(shape)
    return bounds ? [{ id: shape.id, centre: bounds.center }] : []
  })
  const containers = shapes.flatMap((shape): Container[] => {
    const label = containerLabel(shape, plainText)
    const bounds = label ? editor.getShapePageBounds(shape) : undefined
    return label && bounds ? [{ shape, bounds, label }] : []
  })

  const scopes: VoteScope[] = []
  const selected = editor.getSelectedShapes()
  const selectedStickies = selected
    .filter((s) => s.type === 'note' && !isBackground(s))
    .map((s) => s.id)
  if (selectedStickies.length > 0) {
    const n = selectedStickies.length
    scopes.push({
      key: 'selection',
      label: n === 1 ? '1 selected sticky' : `${n} selected stickies`,
      stickyIds: selectedStickies,
    })
  }
  for (const container of containers) {
    const inside = stickies.filter((s) => boxContains(container.bounds, s.centre))
    if (inside.length === 0) continue
    scopes.push({
      key: container.shape.id,
      label: container.label,
      stickyIds: inside.map((s) => s.id),
    })
  }
  for (const scope of scopes) {
    scope.stickyIds = scope.stickyIds.slice(0, FACILITATION_LIMITS.maxVoteStickies)
  }
  return { scopes, preferred: preferredScope(editor, selected, containers, scopes) }
}

/**
 * One frame or zone selected: that one. Several stickies selected: those. Anything else
 * selected: the smallest frame or zone around it. Nothing: the first scope there is.
 */
function preferredScope(
  editor: Editor,
  selected: TLShape[],
  containers: Container[],
  scopes: VoteScope[],
): string | null {
  const has = (key: string) => scopes.some((s) => s.key === key)
  if (selected.length === 1 && has(selected[0].id) && selected[0].type !== 'note') {
    return selected[0].id
  }
  const stickies = selected.filter((s) => s.type === 'note').length
  if (stickies > 1) return 'selection'
  const bounds = editor.getSelectionPageBounds()
  if (bounds) {
    const around = containers
      .filter((c) => has(c.shape.id) && boxContains(c.bounds, bounds.center))
      .sort((a, b) => a.bounds.w * a.bounds.h - b.bounds.w * b.bounds.h)[0]
    if (around) return around.shape.id
  }
  if (stickies === 1) return 'selection'
  return scopes.find((s) => s.key !== 'selection')?.key ?? scopes[0]?.key ?? null
}

/** "Frame: <name>" or "Zone: <text>" for a frame or zone; null for any other shape. */
function containerLabel(shape: TLShape, plainText: (shape: TLShape) => string): string | null {
  if (shape.type === 'frame') {
    const name = (shape.props as { name?: string }).name?.trim()
    return clip(`Frame: ${name || 'Untitled'}`)
  }
  if (shape.type === 'geo' && readShapeMeta(shape).zone) {
    // A zone's first line is its name; the rest explains it.
    const text = plainText(shape).split('\n')[0].trim()
    return clip(`Zone: ${text || 'Untitled'}`)
  }
  return null
}

function clip(label: string): string {
  const max = FACILITATION_LIMITS.maxTitleLength
  return label.length > max ? `${label.slice(0, max - 1)}…` : label
}
