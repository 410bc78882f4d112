/**
 * zod 4 compiles object parsers with `new Function` when the page allows it, and probes for
 * that when the first object schema is made. The app's Content-Security-Policy forbids eval
 * (no 'unsafe-eval'), so the probe would be reported as a violation on every page load and the
 * parsers would fall back anyway: say so up front. Imported first by every module that makes
 * schemas at load time (the protocol, and the app's entry), so it runs before any of them.
 */
import { z } from 'zod'

z.config({ jitless: true })
