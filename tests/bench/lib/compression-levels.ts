/**
 * What compressing one rendered page costs at each gzip level and brotli quality: CPU time per
 * response (best of 5 batches of 200, process CPU time, so a busy machine inflates it less than wall
 * time) and the compressed size. Picks RENDERED_LEVELS in src/server/compression.ts (docs/performance.md).
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface LevelRow {
  method: 'gzip' | 'br';
  level: number;
  cpuMs: number;
  bytes: number;
}

export function measureLevels(page: Buffer): LevelRow[] {
  const cost = (compress: () => Buffer) => {
    let best = Infinity;
    let size = 0;
    for (let batch = 0; batch < 5; batch++) {
      const before = process.cpuUsage();
      for (let i = 0; i < 200; i++) size = compress().length;
      const used = process.cpuUsage(before);
      best = Math.min(best, (used.user + used.system) / 1000 / 200);
    }
    return { cpuMs: Math.round(best * 1000) / 1000, bytes: size };
  };
  return [
    ...[1, 3, 5, 6, 9].map((level) => ({ method: 'gzip' as const, level, ...cost(() => gzipSync(page, { level })) })),
    ...[1, 3, 4, 5, 6].map((level) => ({
      method: 'br' as const,
      level,
      ...cost(() => brotliCompressSync(page, { params: { [constants.BROTLI_PARAM_QUALITY]: level } })),
    })),
  ];
}
