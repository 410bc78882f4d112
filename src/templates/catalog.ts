/**
 * The templates that ship with Switchback: every file in `templates/`, validated with the
 * shared schema when this module loads (a broken file fails the build's tests, not a workshop).
 */
import fourFrameworkJobs from '../../templates/four-framework-jobs.json' with { type: 'json' }
import hillClimbingMap from '../../templates/hill-climbing-map.json' with { type: 'json' }
import enablingConstraints from '../../templates/enabling-constraints.json' with { type: 'json' }
import pivotOrProceed from '../../templates/pivot-or-proceed.json' with { type: 'json' }
import signalsAndConfidence from '../../templates/signals-and-confidence.json' with { type: 'json' }
import initiativeShape from '../../templates/initiative-shape.json' with { type: 'json' }
import retro from '../../templates/retro.json' with { type: 'json' }
import blank from '../../templates/blank.json' with { type: 'json' }
import { templateSchema, type Template } from '../protocol/template-format'

/** In gallery order: the canvases from The Beautiful Mess first, then the classics. */
export const BUILT_IN_TEMPLATES: readonly Template[] = [
  fourFrameworkJobs,
  hillClimbingMap,
  enablingConstraints,
  pivotOrProceed,
  signalsAndConfidence,
  initiativeShape,
  retro,
  blank,
].map((file) => templateSchema.parse(file))

export function builtInTemplate(id: string): Template | undefined {
  return BUILT_IN_TEMPLATES.find((t) => t.id === id)
}
