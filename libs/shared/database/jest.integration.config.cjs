module.exports = require('../../../jest.preset.cjs').integrationConfig(
  __dirname,
  'shared-database-integration',
);
