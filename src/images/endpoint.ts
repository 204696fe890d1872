/**
 * The `/_image` endpoint (astro.config.mjs `image.endpoint.entrypoint`): server-rendered pages (member
 * articles) point their images here. It never answers 5xx to a reader's request:
 * - bad parameters: 400 with the reason (./image-request.ts);
 * - a source that is not a raster image the build wrote (./source.ts): 404;
 * - `w`/`h` above the source's own size are brought down to it, and each transform runs once and is
 *   kept (./transformed.ts), through Astro's own image service (`handleImageRequest`).
 * Remote sources go to Astro's Node endpoint as they are (403 unless `image.domains` allows them).
 */
import type { APIRoute } from 'astro';
import { handleImageRequest } from 'astro/assets/endpoint/shared';
import { GET as astroImageEndpoint } from 'astro/assets/endpoint/node';
import { imageRequestProblem } from './image-request';
import { builtImage } from './source';
import { fitToSource, transformedImage } from './transformed';

export const prerender = false;

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

export const GET: APIRoute = async (context) => {
  const url = new URL(context.request.url);
  const problem = imageRequestProblem(url.searchParams);
  if (problem) return text(400, `Bad image request: ${problem}.`);
  const href = url.searchParams.get('href')!;
  if (/^https?:\/\//.test(href)) return astroImageEndpoint(context);

  const source = await builtImage(href);
  if (!source) return text(404, 'Not found: href names no image this site built.');
  const params = fitToSource(url.searchParams, source);
  return transformedImage(params.toString(), async () => {
    const fitted = new URL(url);
    fitted.search = params.toString();
    try {
      return await handleImageRequest({
        request: new Request(fitted),
        // The file already read and checked above.
        loadLocalImage: () => Promise.resolve({ kind: 'loaded', buffer: source.buffer }),
        logger: context.logger,
      });
    } catch (error) {
      // A built image sharp cannot decode: the site's fault, logged, as Astro's own endpoint does.
      context.logger.error(`Could not transform ${href}: ${String(error)}`);
      return text(500, 'Internal Server Error');
    }
  });
};
