/**
 * `npm run schema`: writes the workshop outcome's JSON Schema (drawn from its zod schema) to
 * `public/schema/workshop-outcome.v1.json`, where the app serves it. Run it after changing
 * `src/protocol/workshop-outcome.ts`; a unit test fails while the published file is stale.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { format } from 'prettier'
import { OUTCOME_SCHEMA_PATH, outcomeJsonSchema } from '../export/report/outcome-json'

const out = resolve(import.meta.dirname, '../../public', `.${OUTCOME_SCHEMA_PATH}`)
await mkdir(dirname(out), { recursive: true })
// Formatted as `npm run lint` (prettier --check) wants it.
await writeFile(out, await format(JSON.stringify(outcomeJsonSchema()), { parser: 'json' }))
console.log(`Wrote ${out}`)
