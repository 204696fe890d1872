import type { APIRoute } from 'astro';
import { PATHS } from '../site/paths';

export const GET: APIRoute = ({ site }) =>
  new Response(
    [
      'User-agent: *',
      'Allow: /',
      `Disallow: ${PATHS.account}`,
      '',
      `Sitemap: ${new URL(PATHS.sitemap, site)}`,
      '',
    ].join('\n'),
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
  );
