/** Small HTTP helpers shared by the stand-in's handlers (node:http only, no framework). */
import type { IncomingMessage, ServerResponse } from 'node:http';

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

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(/;\s*/)) {
    const index = pair.indexOf('=');
    if (index > 0) cookies.set(pair.slice(0, index), decodeURIComponent(pair.slice(index + 1)));
  }
  return cookies;
}

export interface CookieOptions {
  path?: string;
  maxAge?: number;
  httpOnly?: boolean;
}

/** A Set-Cookie value for the site's origin: plain HTTP on loopback, so never `Secure`. */
export function cookie(name: string, value: string, { path = '/', maxAge, httpOnly = false }: CookieOptions = {}) {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${path}`,
    ...(maxAge !== undefined ? [`Max-Age=${maxAge}`] : []),
    'SameSite=Lax',
    ...(httpOnly ? ['HttpOnly'] : []),
  ].join('; ');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
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
