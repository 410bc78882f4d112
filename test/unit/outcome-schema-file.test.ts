/**
 * The published JSON Schema (`public/schema/workshop-outcome.v1.json`) is the outcome's zod
 * schema as it is now: this fails when someone changes the schema and forgets `npm run schema`.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { OUTCOME_SCHEMA_PATH, outcomeJsonSchema } from '../../src/export/report/outcome-json'

describe('the published outcome JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` if not)', () => {
    const file = resolve(import.meta.dirname, '../../public', `.${OUTCOME_SCHEMA_PATH}`)
    const published: unknown = JSON.parse(readFileSync(file, 'utf8'))
    expect(
      published,
      'public/schema/workshop-outcome.v1.json is stale: run `npm run schema`',
    ).toEqual(outcomeJsonSchema())
  })
})
