/**
 * The workshop's actions as CSV, in the columns Jira's and Linear's CSV imports map without
 * asking (Summary, Description, Assignee, Due date, a link back to the sticky). papaparse does
 * the RFC 4180 quoting; the file starts with a UTF-8 byte order mark so Excel reads accents and
 * emoji right, and ends its lines with CRLF. A cell that starts like a formula (=, +, -, @) is
 * prefixed with an apostrophe by papaparse, so a sticky cannot run a formula in a spreadsheet.
 */
import Papa from 'papaparse'
import type { WorkshopOutcome } from '../../protocol/workshop-outcome'

export const ACTIONS_CSV_COLUMNS = ['Summary', 'Description', 'Assignee', 'Due date', 'Link']

const BOM = '\uFEFF'

/** A summary line is at most this long (Jira's own limit is 255). */
const MAX_SUMMARY = 200

export function actionsCsv(outcome: WorkshopOutcome): string {
  const rows = outcome.actions.map((action) => {
    const firstLine = action.text.split('\n').find((line) => line.trim() !== '') ?? ''
    const summary = firstLine.trim().slice(0, MAX_SUMMARY) || '(empty sticky)'
    const description = [
      action.text,
      '',
      action.where
        ? `From “${outcome.board.title}”, ${action.where}.`
        : `From “${outcome.board.title}”.`,
      action.link,
    ].join('\n')
    return [summary, description, action.owner ?? '', action.due ?? '', action.link]
  })
  return (
    BOM +
    Papa.unparse(
      { fields: ACTIONS_CSV_COLUMNS, data: rows },
      { newline: '\r\n', quotes: false, escapeFormulae: true },
    ) +
    '\r\n'
  )
}
