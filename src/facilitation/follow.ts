/**
 * Moving people's views with the facilitator's: "bring everyone here" (once) and "follow me"
 * (until the facilitator stops or the person breaks away). Following uses tldraw's own
 * machinery (`startFollowingUser`), which tracks the leader's camera from their presence and
 * stops when the follower moves their own view.
 */
import type { Editor, TLUserId } from 'tldraw'
import type { Box } from '../board/geometry'

/** What this person sees now, in page coordinates. */
export function viewBounds(editor: Editor): Box {
  const { x, y, w, h } = editor.getViewportPageBounds()
  return { x, y, w, h }
}

/** Moves this person's view to the bounds, animated. */
export function goTo(editor: Editor, bounds: Box): void {
  editor.zoomToBounds(bounds, { animation: { duration: 400 } })
}

/**
 * The id tldraw's presence carries for a person (`user:<person id>` in tldraw 5, where the
 * person id is what the server knows them by), if they are on the board now.
 */
function presenceUserId(editor: Editor, personId: string): string | null {
  const ids = new Set([personId, `user:${personId}`])
  // Their view (camera and screen bounds) comes on the cursor lane, apart from the rest of
  // their presence: tldraw stops following at once a leader whose view it does not have, which
  // would read as this person breaking away, so they count as here only once it has come.
  return (
    editor
      .getCollaborators()
      .find((c) => ids.has(c.userId) && c.camera !== null && c.screenBounds !== null)?.userId ??
    null
  )
}

/** Follows the person; false while their presence (and view) has not reached this board yet. */
export function follow(editor: Editor, personId: string): boolean {
  const userId = presenceUserId(editor, personId)
  if (!userId) return false
  if (editor.getInstanceState().followingUserId !== userId) {
    editor.startFollowingUser(userId as TLUserId)
  }
  return true
}

export function stopFollowing(editor: Editor): void {
  if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
}

/** Calls `onChange` whenever whom this person follows changes (null: nobody). */
export function watchFollowing(
  editor: Editor,
  onChange: (userId: string | null) => void,
): () => void {
  let last = editor.getInstanceState().followingUserId
  return editor.store.listen(
    () => {
      const now = editor.getInstanceState().followingUserId
      if (now === last) return
      last = now
      onChange(now)
    },
    { scope: 'session' },
  )
}

/** The page point under this person's pointer (where their reaction appears). */
export function pointerPagePoint(editor: Editor): { x: number; y: number } {
  const { x, y } = editor.inputs.getCurrentPagePoint()
  return { x, y }
}

/** Where a page point is on screen, relative to the canvas. */
export function onScreen(editor: Editor, point: { x: number; y: number }) {
  const { x, y } = editor.pageToViewport(point)
  return { x, y }
}
