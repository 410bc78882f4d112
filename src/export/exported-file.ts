/**
 * What every export hands back: the file's bytes and the name to save it under. Its own module
 * so that the image, slide and report exports share it without importing each other.
 */
export interface ExportedFile {
  blob: Blob
  filename: string
}
