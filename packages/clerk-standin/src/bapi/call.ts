/** One request to the stand-in's API port (Backend API or admin API), as their routes handle it. */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http.ts';
import type { Instance } from '../instance.ts';
import { clerkErrorBody } from '../resources/index.ts';
import type { Route } from '../routes.ts';

export interface ApiCall {
  instance: Instance;
  res: ServerResponse;
  url: URL;
  /** The form or JSON body's fields (none for GET). */
  params: Record<string, unknown>;
}

export type ApiRoute = Route<ApiCall>;

/** Clerk's 404 for a resource that does not exist, e.g. `User not found`. */
export const notFound = (res: ServerResponse, what: string) =>
  sendJson(res, 404, clerkErrorBody('resource_not_found', `${what} not found`));

/** Clerk's offset pagination: `limit` (1–500, default 10) and `offset` (default 0). */
export function paginated(url: URL): { limit: number; offset: number } {
  const limit = Number(url.searchParams.get('limit') ?? 10);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  return {
    limit: Number.isInteger(limit) && limit >= 1 ? Math.min(limit, 500) : 10,
    offset: Number.isInteger(offset) && offset >= 0 ? offset : 0,
  };
}
