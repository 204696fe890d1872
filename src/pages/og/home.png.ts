/** The home page's social card, prerendered (src/social/). */
import type { APIRoute } from 'astro';
import { homeCard } from '../../social/card';
import { cardImage } from '../../social/render';

export const prerender = true;

export const GET: APIRoute = async () =>
  new Response(new Uint8Array(await cardImage(homeCard())), { headers: { 'Content-Type': 'image/png' } });
