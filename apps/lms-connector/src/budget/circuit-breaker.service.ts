import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { LmsErrorCodes } from '@talentsync/contracts';
import { LmsEnv } from '../config/lms.env';
import { CallMetrics } from '../talentlms/call-metrics';
import { LmsError } from '../talentlms/lms-error';
import {
  Admission,
  admit,
  afterFailure,
  CircuitRow,
  CircuitSettings,
  CLOSED,
} from './circuit-rules';

interface Row {
  failures: number;
  open_until: Date | null;
  now: number;
}

/** Passed back after the call, so a success only writes when there is something to reset. */
export interface Ticket {
  host: string;
  admission: Admission;
  failures: number;
}

/**
 * Per-portal circuit breaker in Postgres (`circuit_breakers`), shared by the replicas: once a
 * portal has failed LMS_BREAKER_THRESHOLD times in a row (unreachable, timeout, 5xx), calls
 * to it are refused with LMS_CIRCUIT_OPEN (retryable: the orchestrator parks the work) until
 * LMS_BREAKER_COOLDOWN has passed and one probe call has succeeded.
 */
@Injectable()
export class CircuitBreakerService {
  private readonly settings: CircuitSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LmsEnv) env: LmsEnv,
  ) {
    this.settings = {
      threshold: env.LMS_BREAKER_THRESHOLD,
      cooldownMs: env.lmsTimings.breakerCooldownMs,
    };
  }

  /**
   * Lets a call through (closed, or as the probe) or throws LMS_CIRCUIT_OPEN. `seen` is the
   * circuit as already read with the budget (CallBudgetService.acquire); without it, it is read.
   */
  async admit(host: string, seen?: { row: CircuitRow; now: number }): Promise<Ticket> {
    const { row, now } = seen ?? (await this.read(host));
    const admission = admit(row, now, this.settings);
    if (admission.kind === 'open') throw this.open(admission.retryAt);
    if (admission.kind === 'probe') {
      // Compare-and-set: only one caller, across replicas, gets to probe. (TypeORM answers
      // an UPDATE with [rows, row count].)
      const [, claimed] = (await this.dataSource.query(
        `UPDATE circuit_breakers SET open_until = $2, updated_at = now()
          WHERE portal_host = $1 AND open_until = $3`,
        [host, new Date(admission.claim.openUntil as number), new Date(row.openUntil as number)],
      )) as [unknown[], number];
      if (claimed === 0) throw this.open(now + this.settings.cooldownMs);
    }
    return { host, admission, failures: row.failures };
  }

  async succeeded(ticket: Ticket): Promise<void> {
    if (ticket.failures === 0 && ticket.admission.kind === 'closed') return;
    await this.dataSource.query(
      `UPDATE circuit_breakers SET failures = 0, open_until = NULL, last_failure = NULL,
         updated_at = now() WHERE portal_host = $1`,
      [ticket.host],
    );
  }

  /**
   * Counts an outage failure; opens the circuit at the threshold. Touches the portal's budget
   * row too: a replica deciding on that row as it last wrote it (CallBudgetService) then finds
   * it changed, and sees the circuit as it now stands before any more calls go.
   */
  async failed(host: string, error: LmsError): Promise<void> {
    await this.dataSource.transaction(async (manager: EntityManager) => {
      await manager.query(`UPDATE call_budgets SET updated_at = now() WHERE portal_host = $1`, [
        host,
      ]);
      await manager.query(
        `INSERT INTO circuit_breakers (portal_host) VALUES ($1) ON CONFLICT DO NOTHING`,
        [host],
      );
      const { row, now } = await this.read(host, manager, true);
      const next = afterFailure(row, now, this.settings);
      await manager.query(
        `UPDATE circuit_breakers SET failures = $2, open_until = $3, last_failure = $4,
           updated_at = now() WHERE portal_host = $1`,
        [
          host,
          next.failures,
          next.openUntil === null ? null : new Date(next.openUntil),
          `${error.code}: ${error.message}`,
        ],
      );
    });
  }

  async snapshot(host: string): Promise<{ row: CircuitRow; now: number }> {
    return this.read(host);
  }

  private async read(
    host: string,
    manager: Pick<EntityManager, 'query'> = this.dataSource,
    lock = false,
  ): Promise<{ row: CircuitRow; now: number }> {
    const [row] = (await manager.query(
      `SELECT failures, open_until, extract(epoch FROM clock_timestamp()) * 1000 AS now
         FROM circuit_breakers WHERE portal_host = $1${lock ? ' FOR UPDATE' : ''}`,
      [host],
    )) as Row[];
    if (!row) return { row: CLOSED, now: Date.now() };
    return {
      row: { failures: row.failures, openUntil: row.open_until?.getTime() ?? null },
      now: Number(row.now),
    };
  }

  private open(retryAt: number): LmsError {
    CallMetrics.refused('circuit');
    const at = new Date(retryAt).toISOString();
    return new LmsError(
      LmsErrorCodes.circuitOpen,
      `The TalentLMS portal failed ${this.settings.threshold} times in a row; calls are parked until ${at}`,
      {
        retryable: true,
        origin: 'circuit',
        retryAfterMs: Math.max(0, retryAt - Date.now()),
        details: { retryAt: at },
      },
    );
  }
}
