import { startTelemetry } from '@talentsync/shared/telemetry';

// main.ts imports this first: OpenTelemetry (when configured) must patch http, express and pg
// before anything loads them. The name matches SERVICE_NAME, which lives beside Nest modules.
export const stopTelemetry = startTelemetry('sync-orchestrator');
