/** Built-in templates as gallery cards: what the landing page and the board's picker show. */
import type { Template } from '../protocol/template-format'

export interface GalleryItem {
  id: string
  title: string
  summary: string
  minutes: number
  source?: { title: string; url: string }
  /** Built-in templates have a thumbnail in public/templates. */
  thumbnail?: string
  href?: string
}

export function galleryItem(template: Template, href?: string): GalleryItem {
  return {
    id: template.id,
    title: template.title,
    summary: template.summary,
    minutes: template.minutes,
    source: template.source,
    thumbnail: `/templates/${template.id}.png`,
    href,
  }
}
