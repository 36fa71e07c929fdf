/** One dependency a service needs before it can take work; /health/ready runs them all. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<ReadinessResult>;
}

export interface ReadinessResult {
  up: boolean;
  message?: string;
  [detail: string]: unknown;
}
