/** Small HTTP helpers shared by the stand-in's handlers (node:http only, no framework). */
import { parseCookie, stringifySetCookie } from 'cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clerkErrorBody } from './resources/errors.ts';

/** Bodies the stand-in accepts are small forms and JSON documents. */
const MAX_BODY = 64 * 1024;

export class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form fields (clerk-js posts `application/x-www-form-urlencoded`) or a JSON object, as strings or values. */
export async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (req.method === 'GET' || req.method === 'HEAD') return {};
  const text = await readBody(req);
  if (!text) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new HttpError(400, 'expected a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  // clerk-js sends a list as the same key repeated (`email_address=a&email_address=b`): keep them all.
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return params;
}

/** The request's cookies, by name (the first of a repeated name; malformed escapes are kept as sent). */
export function parseCookies(header: string | undefined): Record<string, string | undefined> {
  return parseCookie(header ?? '');
}

export interface CookieOptions {
  path?: string;
  maxAge?: number;
  httpOnly?: boolean;
}

/** A Set-Cookie value for the site's origin: plain HTTP on loopback, so never `Secure`. */
export function setCookie(name: string, value: string, { path = '/', maxAge, httpOnly = false }: CookieOptions = {}) {
  return stringifySetCookie({
    name,
    value,
    path,
    httpOnly,
    sameSite: 'lax',
    ...(maxAge === undefined ? {} : { maxAge }),
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    // Exactly Clerk's: @clerk/backend parses a Backend API answer as JSON only for this exact value.
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A form field that may be repeated, as a list. */
export const listParam = (params: Record<string, unknown>, name: string): string[] => {
  const value = params[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
};

export const stringParam = (params: Record<string, unknown>, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
};

/** The answer to a request a handler threw on: its HttpError status, 400 for bad JSON, else 500. */
export function errorResponse(res: ServerResponse, error: unknown) {
  const status = error instanceof HttpError ? error.status : error instanceof SyntaxError ? 400 : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, clerkErrorBody(status >= 500 ? 'internal_clerk_error' : 'bad_request', message));
}
