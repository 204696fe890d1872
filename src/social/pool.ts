/**
 * Draws social cards off the request thread: one worker thread (./draw-worker.ts) per process, started
 * with the first card to draw and ended after IDLE_MS with nothing to draw, so the memory it holds
 * (fonts, satori's layout engine, resvg) goes back between bursts. Cards wait their turn in a queue
 * of at most `maxWaiting` (the one being drawn included); one more is refused with `CardsBusyError`
 * rather than queued, so a flood of requests for cards nobody asked for before cannot pile up work.
 */
import { Worker } from 'node:worker_threads';
import type { CardContent } from './card';

/** How long the drawing thread waits for another card before it ends. */
export const IDLE_MS = 60_000;

/** Cards that may wait to be drawn by default (GATEPOST_CARD_QUEUE_LIMIT). */
export const DEFAULT_MAX_WAITING = 32;

/** Thrown by `draw` when `maxWaiting` cards are already waiting: answer 503 and let the client retry. */
export class CardsBusyError extends Error {
  /** Checked by `isCardsBusy`: the server program and Astro's bundle each have their own copy of this class. */
  readonly code = 'GATEPOST_CARDS_BUSY';
  constructor(waiting: number) {
    super(`${waiting} social cards are already waiting to be drawn`);
  }
}

/** Whether `error` is a `CardsBusyError`, from whichever copy of this module threw it. */
export const isCardsBusy = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'GATEPOST_CARDS_BUSY';

interface Job {
  id: number;
  card: CardContent;
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
}

export interface PoolOptions {
  /** The thread's program: dist/server/card-worker.mjs in production, ./draw-worker.ts from the sources. */
  workerFile: string | URL;
  maxWaiting?: number;
  idleMs?: number;
}

export class DrawingPool {
  readonly #workerFile: string | URL;
  readonly #maxWaiting: number;
  readonly #idleMs: number;
  #worker: Worker | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #nextId = 0;
  /** Jobs not answered yet, in order: the first is the one the thread is drawing. */
  readonly #jobs: Job[] = [];
  /** How many threads were started (a measure for tests and logs). */
  started = 0;

  constructor({ workerFile, maxWaiting = DEFAULT_MAX_WAITING, idleMs = IDLE_MS }: PoolOptions) {
    this.#workerFile = workerFile;
    this.#maxWaiting = maxWaiting;
    this.#idleMs = idleMs;
  }

  /** Whether the drawing thread is running now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** The card drawn as a PNG on the drawing thread; rejects with `CardsBusyError` when the queue is full. */
  draw(card: CardContent): Promise<Buffer> {
    if (this.#jobs.length >= this.#maxWaiting) return Promise.reject(new CardsBusyError(this.#jobs.length));
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.#nextId++, card, resolve, reject };
      this.#jobs.push(job);
      clearTimeout(this.#idleTimer);
      // One card at a time: the thread draws the next once it has answered the one before.
      if (this.#jobs.length === 1) this.#send(job);
    });
  }

  /** Ends the drawing thread now; cards still waiting are refused. */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('the social card drawing thread was stopped'));
    await worker?.terminate();
  }

  #send(job: Job) {
    this.#thread().postMessage({ id: job.id, card: job.card });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#workerFile);
    this.started++;
    // The thread never keeps the process alive by itself (a server stops on its signals, tests end).
    worker.unref();
    worker.on('message', ({ id, png, error }: { id: number; png?: Uint8Array; error?: string }) => {
      const job = this.#jobs[0];
      if (!job || job.id !== id) return;
      this.#jobs.shift();
      if (png) job.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      else job.reject(new Error(`social card not drawn: ${error}`));
      const next = this.#jobs[0];
      if (next) this.#send(next);
      else this.#idleTimer = setTimeout(() => void this.#stopIdle(worker), this.#idleMs).unref();
    });
    // A thread that fails (out of memory, a crash in a native module) fails what it had; the next card
    // starts a new one.
    const failed = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(new Error(`the social card drawing thread stopped: ${error.message}`));
    };
    worker.on('error', failed);
    worker.on('exit', (code) => failed(new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  async #stopIdle(worker: Worker) {
    if (this.#worker !== worker || this.#jobs.length > 0) return;
    this.#worker = undefined;
    await worker.terminate();
  }

  #failAll(error: Error) {
    for (const job of this.#jobs.splice(0)) job.reject(error);
  }
}
