/**
 * listFiles (src/build/files.ts) lists the build output for the server's static-file table and the
 * checks run after a build: every file below a folder, through nested folders and symbolic links.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listFiles } from '../../src/build/files';

let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatepost-files-'));
  outside = mkdtempSync(join(tmpdir(), 'gatepost-files-outside-'));
  mkdirSync(join(root, 'articles', 'first'), { recursive: true });
  writeFileSync(join(root, 'index.html'), 'home');
  writeFileSync(join(root, 'articles', 'first', 'index.html'), 'first');
  mkdirSync(join(outside, 'assets'));
  writeFileSync(join(outside, 'assets', 'app.js'), 'code');
  writeFileSync(join(outside, 'robots.txt'), 'rules');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const listed = () =>
  listFiles(root)
    .map((file) => relative(root, file).split('\\').join('/'))
    .sort();

describe('listFiles', () => {
  it('lists every file through nested folders, and no folder', () => {
    expect(listed()).toEqual(['articles/first/index.html', 'index.html']);
  });

  it('follows symbolic links: a linked folder is walked, a linked file is listed', () => {
    symlinkSync(join(outside, 'assets'), join(root, 'assets'), 'dir');
    symlinkSync(join(outside, 'robots.txt'), join(root, 'robots.txt'));
    expect(listed()).toEqual(['articles/first/index.html', 'assets/app.js', 'index.html', 'robots.txt']);
  });
});
