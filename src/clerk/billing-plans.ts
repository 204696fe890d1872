/**
 * Clerk Billing's plans on the server: what the paywall and the pricing page say a plan costs and
 * includes, when Billing is on (`PUBLIC_GATEPOST_BILLING`). Read from Clerk's Backend API with
 * `billing.getPlanList()`, once per process: plans change rarely, and a restart picks a change up. The
 * server reads them while starting (/readyz), so the first reader already sees the price; a failed read
 * is logged, pages show no price meanwhile, and it is tried again a minute later (never while a reader
 * waits).
 */
import { createClerkClient } from '@clerk/backend';
import { PUBLIC_GATEPOST_BILLING } from 'astro:env/client';
import { getSecret } from 'astro:env/server';
import { clerkConfig } from './server-config';
import { billingPlanCards, type BillingPlanData, type PlanCard } from '../site/pricing';

/** How long a read may take before the server goes on without the plans. */
const READ_TIMEOUT_MS = 5_000;
const RETRY_AFTER_MS = 60_000;

export type PlansState = 'not used' | 'loaded' | 'unavailable';

let cards: PlanCard[] | null = null;
let loading: Promise<void> | null = null;
let failedAt = 0;
let first: Promise<void> | null = null;

async function read(): Promise<BillingPlanData[]> {
  if (!clerkConfig.enabled || !clerkConfig.secretKey) throw new Error('CLERK_SECRET_KEY is not set');
  const apiUrl = getSecret('CLERK_API_URL');
  const client = createClerkClient({ secretKey: clerkConfig.secretKey, ...(apiUrl ? { apiUrl } : {}) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS / 1000} s`)), READ_TIMEOUT_MS);
  });
  try {
    const list = await Promise.race([client.billing.getPlanList({ payerType: 'user' }), timeout]);
    return list.data;
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the plans unless they are loaded, not used, being read, or a read failed less than a minute ago. */
function loadBillingPlans(): Promise<void> {
  if (!PUBLIC_GATEPOST_BILLING || !clerkConfig.enabled || cards) return Promise.resolve();
  if (loading) return loading;
  if (failedAt && Date.now() - failedAt < RETRY_AFTER_MS) return Promise.resolve();
  loading = read()
    .then((plans) => {
      cards = billingPlanCards(plans);
      failedAt = 0;
    })
    .catch((error: unknown) => {
      failedAt = Date.now();
      const message = error instanceof Error ? error.message : String(error);
      console.error(`[gatepost] error: Clerk Billing's plans could not be read (${message}); no price is shown.`);
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** The first read, which the server waits for while starting (/readyz). */
export function firstBillingPlansRead(): Promise<void> {
  first ??= loadBillingPlans();
  return first;
}

/** The plan cards from Clerk Billing, or null (Billing off, sign-in off, or not read yet). Never waits. */
export function billingCards(): PlanCard[] | null {
  if (!cards) void loadBillingPlans();
  return cards;
}

/** For /readyz. */
export function billingPlansState(): PlansState {
  if (!PUBLIC_GATEPOST_BILLING || !clerkConfig.enabled) return 'not used';
  return cards ? 'loaded' : 'unavailable';
}
