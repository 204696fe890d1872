/** Size limits of the members' routes, shared with the server's method rules (src/server/methods.ts). */

/** The largest Clerk webhook body accepted (events are a few KB; a user with many memberships more). */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;
