import { describe, expect, it } from 'vitest'
import { roomIdSchema } from '../../src/protocol'
import { newRoomId } from '../../src/shared/ids'
import { parseBoardRequest } from '../../src/server/http'

const id = 'abcdefghijklmnopqrstuv'
const url = `http://localhost/parties/board/${id}`
const post = (body: string) => new Request(url, { method: 'POST', body })

async function errorOf(request: Request) {
  const result = await parseBoardRequest(request, id)
  if (!('error' in result)) throw new Error('expected an error')
  return { status: result.error.status, body: (await result.error.json()) as { error: string } }
}

describe('board requests', () => {
  it('reads a create request: blank, titled, or from a template', async () => {
    expect(await parseBoardRequest(post(''), id)).toEqual({
      kind: 'create',
      title: undefined,
      template: undefined,
    })
    expect(await parseBoardRequest(post('{"title":"  Retro  "}'), id)).toEqual({
      kind: 'create',
      title: 'Retro',
      template: undefined,
    })
    expect(await parseBoardRequest(post('{"templateId":"retro"}'), id)).toEqual({
      kind: 'create',
      title: undefined,
      template: { id: 'retro' },
    })
    expect(await parseBoardRequest(new Request(url), id)).toEqual({ kind: 'snapshot' })
  })

  it('refuses a whole template that does not validate, saying where', async () => {
    const response = await errorOf(
      post(
        JSON.stringify({ template: { formatVersion: 1, id: 'x1', elements: [{ type: 'zone' }] } }),
      ),
    )
    expect(response.status).toBe(400)
    expect(response.body.error).toContain('template.elements.0')
  })

  it('answers bad bodies with 400 and what is wrong', async () => {
    expect(await errorOf(post('{nope'))).toEqual({
      status: 400,
      body: { error: 'Request body is not JSON.' },
    })
    const long = await errorOf(post(JSON.stringify({ title: 'x'.repeat(500) })))
    expect(long.status).toBe(400)
    expect(long.body.error).toContain('title')
    expect((await errorOf(post('{"title":"ok","admin":true}'))).body.error).toContain('admin')
    expect((await errorOf(post('x'.repeat(600 * 1024)))).status).toBe(413)
  })

  it('refuses other methods and paths', async () => {
    expect((await errorOf(new Request(url, { method: 'DELETE' }))).status).toBe(405)
    expect((await errorOf(new Request(`${url}/secrets`))).status).toBe(404)
  })

  it('accepts the room ids the app mints and rejects guessable ones', () => {
    for (let i = 0; i < 50; i++) expect(roomIdSchema.safeParse(newRoomId()).success).toBe(true)
    for (const bad of ['abc', 'has space in it 1234567', '../../etc/passwd0000000']) {
      expect(roomIdSchema.safeParse(bad).success).toBe(false)
    }
  })
})
