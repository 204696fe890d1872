/** The home page's social card, drawn on first request and kept (src/social/). */
import type { APIRoute } from 'astro';
import { homeCard } from '../../social/card';
import { cardImagesOf } from '../../social/locals';
import { cardResponse } from '../../social/response';

export const prerender = false;

export const GET: APIRoute = ({ request, locals }) => cardResponse(request, homeCard(), cardImagesOf(locals));
