/**
 * The outcome as the JSON file scripts read: checked against the published schema
 * (`public/schema/workshop-outcome.v1.json` is the same zod schema) before it leaves, so a file
 * that reaches a script always matches it.
 */
import { z } from 'zod'
import { workshopOutcomeSchema, type WorkshopOutcome } from '../../protocol/workshop-outcome'

/** Where the app serves the outcome's JSON Schema. */
export const OUTCOME_SCHEMA_PATH = '/schema/workshop-outcome.v1.json'

export function outcomeJson(outcome: WorkshopOutcome): string {
  const checked = workshopOutcomeSchema.safeParse(outcome)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    throw new Error(
      `The outcome does not match its schema at ${issue.path.join('.') || 'the top'}: ${issue.message}`,
    )
  }
  return `${JSON.stringify(checked.data, null, 2)}\n`
}

/** The outcome's JSON Schema, as `npm run schema` publishes it (a unit test keeps it current). */
export function outcomeJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(workshopOutcomeSchema, { target: 'draft-2020-12' })
  return {
    $schema,
    title: 'Switchback workshop outcome',
    description:
      'What came out of a workshop on a Switchback board: its agenda with the time each step ' +
      'took, the stickies by frame and zone, the vote results, the decisions and the actions. ' +
      'Written by the Export dialog (Report › Outcome JSON) and `npm run export -- --format json`.',
    ...schema,
  }
}
