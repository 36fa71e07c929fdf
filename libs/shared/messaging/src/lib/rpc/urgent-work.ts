import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * "Inside an instant push": the one place for that rule. The orchestrator runs each push in
 * `runUrgent`; its DB pool serves the push's checkouts first (pool-lanes.ts) and NatsRpcClient
 * marks the push's requests urgent (the `Rpc-Lane` header), so the responders' request gates
 * serve them first. The store is the push's own object (its clock), so the context costs
 * nothing per request.
 */
const urgentWork = new AsyncLocalStorage<object>();

/** Runs `work` as urgent work owned by `owner` (what `urgentOwner` gives back inside it). */
export function runUrgent<T>(owner: object, work: () => T): T {
  return urgentWork.run(owner, work);
}

/** The owner of the urgent work this code runs in, if it runs in one. */
export function urgentOwner(): object | undefined {
  return urgentWork.getStore();
}

/**
 * The request header that puts a request in the responder's urgent lane. It only orders the
 * gate's waiting requests: it names no company and lifts no limit, and any other value than
 * URGENT_LANE is ignored (the request is served as any other).
 */
export const RPC_LANE = 'Rpc-Lane';
export const URGENT_LANE = 'urgent';
