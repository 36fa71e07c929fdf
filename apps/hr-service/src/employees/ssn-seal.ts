import type { ValueTransformer } from 'typeorm';
import { AppError } from '@talentsync/contracts';
import { openSecret, sealSecret } from '@talentsync/shared/config';

/** What an SSN is bound to (AES-GCM additional data): a value sealed for this column only. */
const SSN_CONTEXT = 'hr.employees.ssn';

/**
 * Seals and opens SSNs with SSN_ENCRYPTION_KEY (and the old keys of a rotation). Configured
 * once by AppModule.forRoot before the data source starts; the column transformer and the
 * sealing migration use it, so the rest of the service only ever sees SSNs in clear.
 */
class SsnSeal {
  private keys?: readonly string[];

  configure(keys: readonly string[]): void {
    this.keys = keys;
  }

  seal(plain: string): string {
    return sealSecret(plain, this.ring()[0], SSN_CONTEXT);
  }

  open(sealed: string): string {
    return openSecret(sealed, this.ring(), SSN_CONTEXT).plain;
  }

  isSealed(value: string): boolean {
    return value.startsWith('v2.');
  }

  private ring(): readonly string[] {
    if (!this.keys?.length) {
      throw new AppError('SSN_SEALING_OFF', 'SSN sealing is not configured (SSN_ENCRYPTION_KEY)');
    }
    return this.keys;
  }
}

export const ssnSeal = new SsnSeal();

/** `employees.ssn`: sealed on the way to the database, opened on the way back. */
export const sealedSsn: ValueTransformer = {
  to: (value: string | null | undefined) => (value ? ssnSeal.seal(value) : value),
  from: (value: string | null) => (value ? ssnSeal.open(value) : value),
};
