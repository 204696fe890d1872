/**
 * Release bookkeeping (src/publish/releases.ts) and what the articles folder says should be live
 * (src/publish/schedule.ts), on temporary folders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentRelease,
  listReleases,
  newReleaseId,
  previousRelease,
  pruneReleases,
  releasesDirOfProgram,
  setCurrent,
} from '../../src/publish/releases';
import { sourceSchedule } from '../../src/publish/schedule';
import { SERVER_PROGRAM } from '../../src/server/program';

let root: string;
let releases: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatepost-releases-'));
  releases = join(root, 'releases');
  mkdirSync(releases);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function makeRelease(id: string) {
  mkdirSync(join(releases, id, 'server'), { recursive: true });
  writeFileSync(join(releases, id, SERVER_PROGRAM), '');
}

describe('releases', () => {
  it('names releases by UTC time, never reusing a name', () => {
    const now = new Date('2026-12-05T14:15:00.123Z');
    expect(newReleaseId(releases, now)).toBe('20261205T141500Z');
    makeRelease('20261205T141500Z');
    expect(newReleaseId(releases, now)).toBe('20261205T141500Z-2');
  });

  it('lists complete releases only, oldest first, and finds the one before', () => {
    makeRelease('20261205T120000Z');
    makeRelease('20261205T110000Z');
    mkdirSync(join(releases, '20261205T130000Z')); // a build that did not finish
    expect(listReleases(releases)).toEqual(['20261205T110000Z', '20261205T120000Z']);
    expect(previousRelease(releases, '20261205T120000Z')).toBe('20261205T110000Z');
    expect(previousRelease(releases, '20261205T110000Z')).toBeUndefined();
  });

  it('points current at a release, replacing the link', () => {
    makeRelease('20261205T110000Z');
    makeRelease('20261205T120000Z');
    setCurrent(releases, '20261205T110000Z');
    setCurrent(releases, '20261205T120000Z');
    expect(currentRelease(releases)).toBe('20261205T120000Z');
  });

  it('keeps the newest releases and never removes a protected one', () => {
    const ids = ['20261201T000000Z', '20261202T000000Z', '20261203T000000Z', '20261204T000000Z', '20261205T000000Z'];
    ids.forEach(makeRelease);
    expect(pruneReleases(releases, 2, ['20261201T000000Z'])).toEqual(['20261202T000000Z']);
    expect(listReleases(releases)).toEqual(['20261201T000000Z', ...ids.slice(2)]);
  });

  it('knows a program runs from a release only when it sits in releases/<id>/ beside a current link', () => {
    makeRelease('20261205T110000Z');
    const program = join(releases, '20261205T110000Z', SERVER_PROGRAM);
    expect(releasesDirOfProgram(program)).toBeUndefined();
    setCurrent(releases, '20261205T110000Z');
    expect(releasesDirOfProgram(program)).toBe(releases);
    expect(releasesDirOfProgram(join(root, 'dist', SERVER_PROGRAM))).toBeUndefined();
  });
});

describe('the articles folder’s schedule', () => {
  const write = (name: string, frontmatter: string) =>
    writeFileSync(join(root, name), `---\ntitle: "T"\n${frontmatter}\n---\n\nBody.\n`);

  it('lists what is published now and the next scheduled time, ignoring drafts and notes', () => {
    write('out.md', 'pubDate: 2026-01-01');
    write('today-later.md', 'pubDate: 2026-12-05T15:00:00Z');
    write('much-later.md', 'pubDate: 2027-01-01');
    write('draft-soon.md', 'pubDate: 2026-12-05T14:30:00Z\ndraft: true');
    write('_notes.md', 'pubDate: 2026-12-05T14:20:00Z');
    const now = new Date('2026-12-05T14:16:00Z');
    const schedule = sourceSchedule(root, now);
    expect(schedule.published).toEqual(['out']);
    expect(schedule.next?.toISOString()).toBe('2026-12-05T15:00:00.000Z');
    expect(sourceSchedule(root, new Date('2026-12-05T15:00:00Z')).published.sort()).toEqual(['out', 'today-later']);
  });
});
