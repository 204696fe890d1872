/**
 * Images of articles, straight from the content folder, for editor previews of unpublished articles
 * (the build only optimises images of published ones). Editors only; 404 for everyone else.
 */
import type { APIRoute } from 'astro';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { editorFrom } from '../../../editor/guard';
import { contentDir } from '../../../articles/source/reader';

export const prerender = false;

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
};

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

export const GET: APIRoute = async ({ params, locals }) => {
  if (!editorFrom(locals)) return notFound();
  const root = resolve(contentDir());
  const file = resolve(root, params.path ?? '');
  const type = TYPES[extname(file).toLowerCase()];
  // Only image files inside the content folder: no "..", no absolute paths, no Markdown sources.
  if (!type || !file.startsWith(root + sep)) return notFound();
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'Content-Type': type,
        // SVGs may carry scripts: never let the browser run them here.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
};
