/**
 * The newsletter routes' requests and answers (the desk's actions, the account toggle): url-encoded
 * forms only, plain-text errors and redirects, all `private, no-store`.
 */
import type { Viewer } from '../gate/viewer';
import { editorFrom } from '../editor/guard';

/** The form of a url-encoded request, or null for any other body. */
export async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded(\s*;|$)/i.test(type)) return null;
  try {
    return new URLSearchParams(await request.text());
  } catch {
    return null;
  }
}

/** A plain-text answer (errors); private, no-store like every rendered response (src/middleware.ts). */
export const plainText = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });

/** 303 to `location` after a form's action. */
export const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location } });

export const STORE_DOWN = 'The members’ database is not answering; try again in a minute.';

/**
 * The editor and form of a desk action, or the answer to give instead: 404 for everyone but editors
 * (the desk does not reveal that it exists), 415 for a body that is not a url-encoded form.
 */
export async function editorForm(
  request: Request,
  locals: App.Locals,
): Promise<{ editor: Extract<Viewer, { kind: 'member' }>; form: URLSearchParams } | Response> {
  const editor = editorFrom(locals);
  if (!editor || editor.kind !== 'member') return plainText(404, 'Not found');
  const form = await readForm(request);
  if (!form) return plainText(415, 'Send the form as application/x-www-form-urlencoded.');
  return { editor, form };
}
