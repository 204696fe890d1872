/**
 * The stand-in's entry point: start it (`startStandin`), and what demos and tests read about it (its
 * seeded accounts' password, the sign-up code, the billing plans, the instance and its counters).
 */
export { DEMO_PASSWORD } from './accounts.ts';
export { DEMO_PLANS, subscribe } from './billing.ts';
export { NEW_ACCOUNT_METADATA, TEST_CODE } from './fapi/sign-up.ts';
export { Instance, type InstanceOptions, type Stats } from './instance.ts';
export { LOOPBACK, PROXY_PATH, startStandin, type Standin, type StandinOptions } from './server.ts';
export { WebhookSender, type WebhookStats } from './webhooks/sender.ts';
export type { StandinEvent } from './webhooks/events.ts';
export { startMailCatcher, type CaughtMail, type MailCatcher } from './mail.ts';
