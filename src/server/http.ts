/**
 * The board's HTTP surface, validated: which request this is, or the error to answer.
 */
import { z } from 'zod'
import { boardPath, createBoardRequestSchema, secretSchema, type ErrorBody } from '../protocol'
import { MAX_TEMPLATE_BYTES, type Template } from '../protocol/template-format'

/** Room for a whole template plus the title. */
const MAX_BODY_BYTES = MAX_TEMPLATE_BYTES + 16 * 1024
export const DEFAULT_BOARD_TITLE = 'Untitled workshop'

/** What we read of a request: both the Workers and the DOM `Request` fit. */
interface BoardHttpRequest {
  url: string
  method: string
  headers: { get(name: string): string | null }
  text(): Promise<string>
}

export type BoardRequest =
  | { kind: 'create'; title: string | undefined; template: { id: string } | Template | undefined }
  | { kind: 'snapshot' }

export async function parseBoardRequest(
  req: BoardHttpRequest,
  roomId: string,
): Promise<BoardRequest | { error: Response }> {
  const path = new URL(req.url).pathname.replace(/\/$/, '')
  if (path !== boardPath(roomId)) return { error: errorResponse(404, `No such path: ${path}`) }

  if (req.method === 'GET') return { kind: 'snapshot' }
  if (req.method !== 'POST') {
    return {
      error: errorResponse(405, `${req.method} is not allowed here; use GET or POST.`, {
        Allow: 'GET, POST',
      }),
    }
  }

  // Refuse a declared oversized body before reading it; check what was read as well.
  const declared = Number(req.headers.get('Content-Length') ?? 0)
  if (declared > MAX_BODY_BYTES) {
    return { error: errorResponse(413, `Request body over ${MAX_BODY_BYTES} bytes.`) }
  }
  const text = await req.text()
  if (text.length > MAX_BODY_BYTES) {
    return { error: errorResponse(413, `Request body over ${MAX_BODY_BYTES} bytes.`) }
  }
  let body: unknown = {}
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text)
    } catch {
      return { error: errorResponse(400, 'Request body is not JSON.') }
    }
  }
  const parsed = createBoardRequestSchema.safeParse(body)
  if (!parsed.success) {
    return { error: errorResponse(400, `Invalid request body: ${describeIssues(parsed.error)}`) }
  }
  const { title, templateId, template } = parsed.data
  return { kind: 'create', title, template: templateId ? { id: templateId } : template }
}

/** "title: Too big: expected string to have <=120 characters; …" */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  })
}

export function notCreated(): Response {
  return errorResponse(404, 'No board has been created at this address.')
}

export function errorResponse(status: number, error: string, headers: Record<string, string> = {}) {
  return json({ error } satisfies ErrorBody, status, headers)
}

/** A refused request: the answer to send. */
export type Refused = { error: Response }

export function notAllowed(method: string, allow: string): Refused {
  return {
    error: errorResponse(405, `${method} is not allowed here; use ${allow}.`, { Allow: allow }),
  }
}

/** null without an Authorization header; '' (which matches nothing) for one that is not ours. */
export function bearerSecret(req: { headers: { get(name: string): string | null } }) {
  const header = req.headers.get('Authorization')
  if (header === null) return null
  const secret = secretSchema.safeParse(/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1])
  return secret.success ? secret.data : ''
}
