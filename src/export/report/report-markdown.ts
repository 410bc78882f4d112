/**
 * The workshop report as Markdown with its pictures, in a zip (to be built: issue 19, part C2).
 */
import type { WorkshopOutcome } from '../../protocol/workshop-outcome'

/** The zip's bytes: `report.md` and the snapshots' pictures it links to. */
export function reportMarkdownZip(
  outcome: WorkshopOutcome,
  pictures: ReadonlyMap<string, Uint8Array>,
): Uint8Array {
  void outcome
  void pictures
  throw new Error('The Markdown report is not built yet.')
}
