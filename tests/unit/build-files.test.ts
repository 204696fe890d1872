/**
 * src/build/files.ts: listFiles lists the build output for the server's static-file table and the
 * checks run after a build (every file below a folder, through nested folders and symbolic links);
 * linkOrCopy places kept files (precompressed files, the content data, the search index) into it.
 */
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkOrCopy, listFiles } from '../../src/build/files';

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

describe('linkOrCopy', () => {
  const kept = () => join(outside, 'robots.txt');
  const target = () => join(root, 'robots.txt');

  it('links, replacing a file already there without writing into it', () => {
    // The old target is itself a link to another file, which must keep its bytes.
    writeFileSync(join(outside, 'other.txt'), 'other bytes');
    linkSync(join(outside, 'other.txt'), target());
    expect(linkOrCopy(kept(), target())).toBe('linked');
    expect(statSync(target()).ino).toBe(statSync(kept()).ino);
    expect(readFileSync(join(outside, 'other.txt'), 'utf8')).toBe('other bytes');
  });

  it('copies where linking fails, without writing into what was there', () => {
    writeFileSync(join(outside, 'other.txt'), 'other bytes');
    linkSync(join(outside, 'other.txt'), target());
    const crossDevice = () => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    };
    expect(linkOrCopy(kept(), target(), crossDevice)).toBe('copied');
    expect(readFileSync(target(), 'utf8')).toBe('rules');
    expect(statSync(target()).ino).not.toBe(statSync(kept()).ino);
    expect(readFileSync(join(outside, 'other.txt'), 'utf8')).toBe('other bytes');
  });

  it('throws when the kept file does not exist, leaving the target alone', () => {
    writeFileSync(target(), 'served');
    expect(() => linkOrCopy(join(outside, 'missing.txt'), target())).toThrow(/ENOENT/);
    expect(readFileSync(target(), 'utf8')).toBe('served');
  });
});
