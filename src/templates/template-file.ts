/** Template files in the browser: reading a picked or dropped file, and downloading one. */
import { parseTemplateText, type Template, type TemplateParseResult } from './schema'

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
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = `${template.id}.json`
  link.click()
  // The download has started by the time the click returns; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A file id from a title: "Q3 planning!" → "q3-planning". */
export function slugify(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
  return slug.length >= 2 ? slug : 'my-template'
}
