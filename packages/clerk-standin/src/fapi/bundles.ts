/**
 * Clerk's browser code as the stand-in serves it: clerk-js and @clerk/ui from the installed npm packages
 * (this package's devDependencies), under the paths Clerk's loader asks the proxy for
 * (`/npm/@clerk/clerk-js@6/dist/clerk.browser.js`, `/npm/@clerk/ui@1/dist/…`).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { findPackageJSON } from 'node:module';
import { dirname, extname, normalize } from 'node:path';

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

/** Answers a bundle path (the file, or a 404 saying why) and returns true; returns false for any other path. */
export function serveBundle(path: string, res: ServerResponse): boolean {
  const bundle = bundleFile(path);
  if (!bundle) return false;
  if ('error' in bundle) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(bundle.error);
    return true;
  }
  res.writeHead(200, { 'content-type': bundle.contentType, 'cache-control': 'public, max-age=600' });
  createReadStream(bundle.file).pipe(res);
  return true;
}
