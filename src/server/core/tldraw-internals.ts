/**
 * What the server takes from tldraw beyond its published API, made once: the record schema
 * (every check of a record against tldraw's types), and sync-core's `applyObjectDiff`, which
 * applies a push's patch exactly as the sync room does (exported at run time, but marked
 * internal in tldraw's published types, so it is typed here).
 */
import * as syncCore from '@tldraw/sync-core'
import { createTLSchema } from '@tldraw/tlschema'

export const tldrawSchema = createTLSchema()

export const { applyObjectDiff } = syncCore as unknown as {
  applyObjectDiff<T extends object>(object: T, diff: object): T
}
