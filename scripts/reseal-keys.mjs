#!/usr/bin/env node
// `npm run keys:reseal`: after rotating SETTINGS_ENCRYPTION_KEY (the new key set, the old one
// moved to SETTINGS_ENCRYPTION_OLD_KEYS on lms-connector), has the running sync-orchestrator
// re-seal every stored TalentLMS key through lms-connector. The keys never pass through here.
//   SYNC_ORCHESTRATOR_URL  default http://127.0.0.1:3003
//   API_TOKEN              the platform token (default: the development token)
const base = process.env.SYNC_ORCHESTRATOR_URL || 'http://127.0.0.1:3003';
const token = process.env.API_TOKEN || 'talentsync-dev-token';

try {
  const response = await fetch(new URL('/integrations/talentlms/reseal-key', base), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(120_000),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    console.error(
      `[keys:reseal] ${base} answered ${response.status} ${body.error ?? ''}: ${body.message ?? ''}`,
    );
    process.exit(1);
  }
  console.log(`[keys:reseal] ${body.resealed} key(s) re-sealed with the current key`);
} catch (error) {
  console.error(`[keys:reseal] cannot reach sync-orchestrator at ${base}: ${error.message}`);
  process.exit(1);
}
