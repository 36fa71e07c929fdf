module.exports = require('../../jest.preset.cjs').integrationConfig(
  __dirname,
  'sync-orchestrator-integration',
);
