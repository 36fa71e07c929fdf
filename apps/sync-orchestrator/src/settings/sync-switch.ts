import { Injectable } from '@nestjs/common';

/**
 * Lets a deactivation (DELETE of a company's integration, or the company deleted) reach that
 * company's runs going in this process at once; runs on other replicas see it at their next
 * heartbeat.
 */
@Injectable()
export class SyncSwitch {
  private readonly turnedOff = new Map<string, number>();

  /** Changes each time the company's integration is turned off. */
  generation(companyId: string): number {
    return this.turnedOff.get(companyId) ?? 0;
  }

  turnOff(companyId: string): void {
    this.turnedOff.set(companyId, this.generation(companyId) + 1);
  }
}
