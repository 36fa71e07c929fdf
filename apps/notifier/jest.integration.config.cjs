module.exports = require('../../jest.preset.cjs').integrationConfig(
  __dirname,
  'notifier-integration',
);
