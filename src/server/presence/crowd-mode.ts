/**
 * Crowd mode: whose cursors the cursor lane sends. The facilitator chooses (`set-cursor-mode`,
 * stored with the workshop state in facilitation-state.ts); `auto`, the default, is everyone's
 * up to `ROOM_LIMITS.crowdCursorThreshold` editors present and only the facilitators' above it,
 * where a board of moving pointers is noise and every cursor is an entry in every tick.
 *
 * This keeps the choice and the count and says when what is in force changes, so the lane
 * (cursor-lane.ts) sends everyone a full snapshot then, and the workshop view shows it.
 */
import {
  ROOM_LIMITS,
  type CursorMode,
  type CursorModeChoice,
  type CursorsView,
} from '../../protocol'

/** What is in force for a choice and the editors present. */
export function effectiveCursorMode(
  chosen: CursorModeChoice,
  editors: number,
  threshold: number = ROOM_LIMITS.crowdCursorThreshold,
): CursorMode {
  if (chosen !== 'auto') return chosen
  return editors > threshold ? 'facilitators' : 'everyone'
}

export class CrowdMode {
  private chosen: CursorModeChoice = 'auto'
  private editors = 0
  private current: CursorMode = 'everyone'

  constructor(
    /** What is in force changed (not called for a change that leaves it as it was). */
    private readonly changed: (mode: CursorMode) => void = () => {},
    private readonly threshold: number = ROOM_LIMITS.crowdCursorThreshold,
  ) {}

  get mode(): CursorMode {
    return this.current
  }

  get view(): CursorsView {
    return { chosen: this.chosen, effective: this.current, editors: this.editors }
  }

  /** The facilitator's choice and/or the editors present now: true when the view changed. */
  update(next: { chosen?: CursorModeChoice; editors?: number }): boolean {
    const before = this.view
    this.chosen = next.chosen ?? this.chosen
    this.editors = next.editors ?? this.editors
    const mode = effectiveCursorMode(this.chosen, this.editors, this.threshold)
    const modeChanged = mode !== this.current
    this.current = mode
    if (modeChanged) this.changed(mode)
    return modeChanged || before.chosen !== this.chosen || before.editors !== this.editors
  }
}
