/** Template files in the browser: reading a picked or dropped file, and downloading one. */
import { downloadBlob, slugify } from '../shared/download'
import {
  parseTemplateText,
  type Template,
  type TemplateParseResult,
} from '../protocol/template-format'

/** A .json file (by name or type): what the board takes as a template rather than handing to tldraw. */
export function isTemplateFile(file: File): boolean {
  return file.name.toLowerCase().endsWith('.json') || file.type === 'application/json'
}

export async function readTemplateFile(file: File): Promise<TemplateParseResult> {
  if (!isTemplateFile(file)) {
    return {
      ok: false,
      problems: [{ path: '(file)', message: `“${file.name}” is not a .json template file` }],
    }
  }
  return parseTemplateText(await file.text())
}

export function downloadTemplate(template: Template) {
  const blob = new Blob([`${JSON.stringify(template, null, 2)}\n`], { type: 'application/json' })
  downloadBlob(blob, `${template.id}.json`)
}

/** A template id from a title: "Q3 planning!" → "q3-planning". */
export function templateIdFrom(title: string): string {
  return slugify(title, 'my-template')
}
