/**
 * Each participant's own choice, kept on this device: whether the facilitator may move their
 * view (bring everyone here, a step's focus, follow me). On by default, as in a room where the
 * facilitator points at the wall and everyone looks.
 */
import { z } from 'zod'
import { readLocal, writeLocal } from '../shared/local-store'

const KEY = 'switchback:facilitator-moves-view'

class ViewControl {
  allowed = $state(readLocal(KEY, z.boolean(), true))

  set(allowed: boolean) {
    this.allowed = allowed
    writeLocal(KEY, allowed)
  }
}

export const viewControl = new ViewControl()
