/**
 * The server program the build writes (src/server/integration.ts), relative to the build's output
 * directory (`dist/`): `npm run serve`, `npm start`, the demo and the tests run it from there
 * (tools/server-flags.ts).
 */
export const SERVER_PROGRAM = 'server/gatepost.mjs';
/** `npm run db:migrate`, `db:backup`, `members:sync` (src/members/cli.ts), likewise relative to `dist/`. */
export const MEMBERS_PROGRAM = 'server/members.mjs';
/** The social card drawing thread's program (src/social/draw-worker.ts), beside the server program that starts it. */
export const CARD_WORKER_PROGRAM = 'server/card-worker.mjs';
