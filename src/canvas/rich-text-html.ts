/**
 * tldraw's own rich text to HTML, for the fast image path (`src/export/canvas-picture`), which
 * lays labels out from the very HTML tldraw's export puts in its `foreignObject`. Here because
 * only src/canvas uses tldraw at run time.
 */
import { renderHtmlFromRichText, type Editor, type TLRichText } from 'tldraw'

export function richTextHtml(editor: Editor, richText: TLRichText): string {
  return renderHtmlFromRichText(editor, richText)
}
