/** What the route and body tests read of a refusal (`{ error: Response }`). */
export async function refusal(result: Promise<object | null> | object | null) {
  const value = await result
  if (!value || !('error' in value) || !(value.error instanceof Response)) {
    throw new Error(`expected a refusal, got ${JSON.stringify(value)}`)
  }
  return {
    status: value.error.status,
    error: ((await value.error.json()) as { error: string }).error,
    allow: value.error.headers.get('Allow'),
  }
}
