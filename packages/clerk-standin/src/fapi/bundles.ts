/**
 * Clerk's browser code as the stand-in serves it: clerk-js and @clerk/ui from the installed npm packages
 * (this package's devDependencies), under the paths Clerk's loader asks the proxy for
 * (`/npm/@clerk/clerk-js@6/dist/clerk.browser.js`, `/npm/@clerk/ui@1/dist/…`).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findPackageJSON } from 'node:module';
import { dirname, extname, normalize } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The browser bundles, served from the installed npm packages (this package's devDependencies). */
export const BUNDLES = { 'clerk-js': '@clerk/clerk-js', ui: '@clerk/ui' } as const;
export const BUNDLE_PATH = /^\/npm\/@clerk\/(clerk-js|ui)@([^/]+)\/dist\/(.+)$/;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const installed = new Map<keyof typeof BUNDLES, { dir: string; version: string }>();

/** Where a bundle's package is installed and its version; throws when it is not installed. */
function installedPackage(pkg: keyof typeof BUNDLES): { dir: string; version: string } {
  let found = installed.get(pkg);
  if (!found) {
    const manifest = findPackageJSON(BUNDLES[pkg], import.meta.url);
    if (!manifest) throw new Error(`${BUNDLES[pkg]} is not installed`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    found = { dir: dirname(manifest), version };
    installed.set(pkg, found);
  }
  return found;
}

export function installedVersion(pkg: keyof typeof BUNDLES): string {
  return installedPackage(pkg).version;
}

/** The directory of an installed bundle's files (`dist/`). */
export function bundleDir(pkg: keyof typeof BUNDLES): string {
  return normalize(`${installedPackage(pkg).dir}/dist/`);
}

/**
 * A file of an installed Clerk bundle, or null. Clerk's loader asks for the major version
 * (`@clerk/clerk-js@6`) or an exact one; anything else is refused so a mismatch fails loudly.
 */
export function bundleFile(path: string): { file: string; contentType: string } | { error: string } | null {
  const match = BUNDLE_PATH.exec(path);
  if (!match) return null;
  const [, pkg, version, file] = match as unknown as [string, keyof typeof BUNDLES, string, string];
  const current = installedVersion(pkg);
  const dist = bundleDir(pkg);
  const filePath = normalize(dist + decodeURIComponent(file));
  if (version !== current && version !== current.split('.')[0]) {
    return { error: `the stand-in serves @clerk/${pkg}@${current} only (asked for ${version})` };
  }
  if (!filePath.startsWith(dist) || !existsSync(filePath) || !statSync(filePath).isFile()) {
    return { error: 'not found' };
  }
  return { file: filePath, contentType: CONTENT_TYPES[extname(filePath)] ?? 'application/octet-stream' };
}

/** Compressed copies, made once per file and encoding: clerk-js and Clerk's UI are about 1.5 MB of text. */
const compressed = new Map<string, Buffer>();
const COMPRESSIBLE = /^(application\/(javascript|json)|text\/)/;

/** Brotli when the browser takes it, else gzip, else none (Accept-Encoding as browsers send it). */
function encodingFor(req: IncomingMessage | undefined): 'br' | 'gzip' | null {
  const accepted = String(req?.headers['accept-encoding'] ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return null;
}

function compressedFile(file: string, encoding: 'br' | 'gzip'): Buffer {
  const key = `${encoding}:${file}`;
  let body = compressed.get(key);
  if (!body) {
    const raw = readFileSync(file);
    body =
      encoding === 'br'
        ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
        : gzipSync(raw, { level: 6 });
    compressed.set(key, body);
  }
  return body;
}

/**
 * Answers a bundle path (the file, or a 404 saying why) and returns true; returns false for any other path.
 * Text is sent compressed when the browser accepts it, as Clerk's CDN does.
 */
export function serveBundle(path: string, res: ServerResponse, req?: IncomingMessage): boolean {
  const bundle = bundleFile(path);
  if (!bundle) return false;
  if ('error' in bundle) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(bundle.error);
    return true;
  }
  const headers = {
    'content-type': bundle.contentType,
    'cache-control': 'public, max-age=600',
    vary: 'Accept-Encoding',
  };
  const encoding = COMPRESSIBLE.test(bundle.contentType) ? encodingFor(req) : null;
  if (encoding) {
    const body = compressedFile(bundle.file, encoding);
    res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': String(body.length) });
    res.end(req?.method === 'HEAD' ? undefined : body);
    return true;
  }
  res.writeHead(200, headers);
  createReadStream(bundle.file).pipe(res);
  return true;
}
