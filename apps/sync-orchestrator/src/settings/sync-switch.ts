import { Injectable } from '@nestjs/common';

/**
 * Lets a deactivation (DELETE /integrations/talentlms) reach the runs going in this process at
 * once; runs on other replicas see it at their next heartbeat.
 */
@Injectable()
export class SyncSwitch {
  private turnedOff = 0;

  /** Changes each time the integration is turned off. */
  get generation(): number {
    return this.turnedOff;
  }

  turnOff(): void {
    this.turnedOff += 1;
  }
}
