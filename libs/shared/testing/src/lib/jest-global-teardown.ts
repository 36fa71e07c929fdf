import type { TestInfra } from './test-infra';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __TEST_INFRA__?: TestInfra }).__TEST_INFRA__?.stop();
}
