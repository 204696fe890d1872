/** The small forms the newsletter routes accept: url-encoded only, or null. */
export async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded(\s*;|$)/i.test(type)) return null;
  try {
    return new URLSearchParams(await request.text());
  } catch {
    return null;
  }
}
