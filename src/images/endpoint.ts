/**
 * The `/_image` endpoint (astro.config.mjs `image.endpoint.entrypoint`): server-rendered pages (member
 * articles) point their images here. Refuses bad parameters with a 400, then hands the request to
 * Astro's own Node endpoint.
 */
import type { APIRoute } from 'astro';
import { GET as astroImageEndpoint } from 'astro/assets/endpoint/node';
import { imageRequestProblem } from './image-request';

export const prerender = false;

export const GET: APIRoute = (context) => {
  const problem = imageRequestProblem(new URL(context.request.url).searchParams);
  if (problem) {
    return new Response(`Bad image request: ${problem}.\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return astroImageEndpoint(context);
};
