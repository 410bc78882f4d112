/**
 * The report's formats, named as the command line names them: apart from the code that makes
 * them, so the CLI (in Node) can check its arguments without loading the browser's modules.
 */
export const REPORT_FORMATS = ['report', 'md', 'csv', 'json'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export const REPORT_FORMAT_LABELS: Record<ReportFormat, string> = {
  report: 'HTML report',
  md: 'Markdown report',
  csv: 'actions CSV',
  json: 'outcome JSON',
}
