/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** A tldraw license key; needed on https production hosts (see README). */
  readonly VITE_TLDRAW_LICENSE_KEY?: string
}
interface ImportMeta {
  readonly env: ImportMetaEnv
}
