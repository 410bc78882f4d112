/**
 * The style nonce the server gave this page (see `STYLE_NONCE_META`), for tldraw's own
 * `<style>` elements; undefined when the page was not served with one (`npm run dev`, or the
 * built file opened directly), where tldraw's styles then fall to the page's policy.
 */
import { STYLE_NONCE_META, STYLE_NONCE_PLACEHOLDER } from '../protocol'

export function styleNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${STYLE_NONCE_META}"]`)
  const nonce = meta?.content
  return nonce && nonce !== STYLE_NONCE_PLACEHOLDER ? nonce : undefined
}
