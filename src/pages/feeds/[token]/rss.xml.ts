/** A member's private feed, RSS 2.0 (src/feeds/respond.ts): rendered per request, never prerendered. */
import type { APIRoute } from 'astro';
import { privateFeedResponse } from '../../../feeds/respond';

export const prerender = false;

export const GET: APIRoute = ({ params, locals }) => privateFeedResponse(params.token, 'rss', locals);
