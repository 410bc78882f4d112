/**
 * tldraw 5 hides the editor after five seconds on an https production host that has no
 * license key (http and localhost are free of this). We say so up front instead.
 */
export function licenseKeyMissing(
  location: Pick<Location, 'protocol' | 'hostname'>,
  key: string | undefined,
): boolean {
  if (key) return false
  if (location.protocol !== 'https:') return false
  return (
    !['localhost', '127.0.0.1', '[::1]'].includes(location.hostname) &&
    !location.hostname.endsWith('.localhost')
  )
}
