/**
 * Brotli and gzip on worker threads, for the build's precompression (./compression.ts): zlib's
 * asynchronous functions run their work on libuv's pool, but for files of a few tens of kilobytes most
 * of the time goes to stream bookkeeping on the main thread, and two at a time took as long as one
 * (docs/performance.md, "Build"). Each thread here compresses whole files with zlib's synchronous
 * functions, which give the same bytes for the same input and parameters.
 *
 * The threads run a short CommonJS program passed as text, so the pool works wherever the build runs
 * (from the project's sources, or bundled), with nothing but Node's own modules.
 */
import { Worker } from 'node:worker_threads';

export interface Levels {
  brotli: number;
  gzip: number;
}

export interface Compressed {
  br: Buffer;
  gz: Buffer;
}

const PROGRAM = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', ({ data, brotli, gzip }) => {
  try {
    const br = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: brotli,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    const gz = zlib.gzipSync(data, { level: gzip });
    parentPort.postMessage({ br, gz });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

interface Job {
  data: Uint8Array;
  levels: Levels;
  resolve: (result: Compressed) => void;
  reject: (error: Error) => void;
}

/** `threads` compressing threads; `compress` queues a file, `close` ends them. */
export class CompressPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  #failure: Error | undefined;

  constructor(threads: number) {
    for (let i = 0; i < Math.max(1, threads); i++) {
      const worker = new Worker(PROGRAM, { eval: true });
      worker.on('message', (answer: { br?: Uint8Array; gz?: Uint8Array; error?: string }) => {
        const job = this.#running.get(worker);
        this.#running.delete(worker);
        if (job) {
          if (answer.br && answer.gz) job.resolve({ br: toBuffer(answer.br), gz: toBuffer(answer.gz) });
          else job.reject(new Error(`compressing failed: ${answer.error}`));
        }
        this.#next(worker);
      });
      worker.on('error', (error) => this.#fail(error));
      worker.on('exit', (code) => {
        if (this.#workers.includes(worker)) this.#fail(new Error(`a compressing thread exited (code ${code})`));
      });
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  compress(data: Uint8Array, levels: Levels): Promise<Compressed> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#queue.push({ data, levels, resolve, reject });
      const worker = this.#idle.pop();
      if (worker) this.#next(worker);
    });
  }

  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #next(worker: Worker) {
    const job = this.#queue.shift();
    if (!job) {
      this.#idle.push(worker);
      return;
    }
    this.#running.set(worker, job);
    worker.postMessage({ data: job.data, brotli: job.levels.brotli, gzip: job.levels.gzip });
  }

  #fail(error: Error) {
    this.#failure ??= error;
    for (const job of [...this.#running.values(), ...this.#queue.splice(0)]) job.reject(this.#failure);
    this.#running.clear();
  }
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
