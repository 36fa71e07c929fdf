import { Injectable } from '@nestjs/common';
import { HrRequests, RpcErrorCodes } from '@talentsync/contracts';
import { NatsRpcClient } from './nats-rpc.client';
import { RemoteCallError } from './remote-call.error';

/** How long an answer is reused: a revocation or a deletion takes effect within this. */
export const COMPANY_ACCESS_CACHE_MS = 2_000;
/** Enough for every company active at once; beyond it the oldest answers go first. */
export const COMPANY_ACCESS_CACHE_SIZE = 10_000;

/** Answers (or answers in flight) kept for a short while, the oldest dropped when full. */
class ShortLivedAnswers<T> {
  private readonly entries = new Map<string, { answer: Promise<T>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity: number,
  ) {}

  /** The kept answer for `key`, or `ask()`'s; a failure is never kept, so the next call asks again. */
  get(key: string, ask: () => Promise<T>): Promise<T> {
    const kept = this.entries.get(key);
    if (kept && kept.until > Date.now()) return kept.answer;
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    const answer = ask();
    const entry = { answer, until: Date.now() + this.ttlMs };
    this.entries.set(key, entry);
    answer.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return answer;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The company directory and token status of every service but hr-service: hr-service's
 * answers over NATS, each reused for at most 2 s (one lookup per company per 2 s however many
 * requests arrive; a revoked token or a deleted company is refused within seconds).
 * Implements shared/http's COMPANY_DIRECTORY and TOKEN_STATUS ports (wired there).
 * Any failure other than NOT_FOUND propagates: the guard answers 503, never "yes".
 */
@Injectable()
export class RemoteCompanyAccess {
  private readonly companies = new ShortLivedAnswers<boolean>(
    COMPANY_ACCESS_CACHE_MS,
    COMPANY_ACCESS_CACHE_SIZE,
  );
  private readonly tokens = new ShortLivedAnswers<boolean>(
    COMPANY_ACCESS_CACHE_MS,
    COMPANY_ACCESS_CACHE_SIZE,
  );

  constructor(private readonly rpc: NatsRpcClient) {}

  exists(companyId: string): Promise<boolean> {
    return this.companies.get(companyId, async () => {
      try {
        await this.rpc.request(HrRequests.getCompany, { companyId });
        return true;
      } catch (error) {
        if (error instanceof RemoteCallError && error.code === RpcErrorCodes.notFound) return false;
        throw error;
      }
    });
  }

  isActive(companyId: string, tokenId: string): Promise<boolean> {
    return this.tokens.get(`${companyId}/${tokenId}`, async () => {
      const { active } = await this.rpc.request(HrRequests.tokenStatus, { companyId, tokenId });
      return active === true;
    });
  }

  /** Answers kept now (tests, and a bound that can be checked). */
  get cachedAnswers(): number {
    return this.companies.size + this.tokens.size;
  }
}
