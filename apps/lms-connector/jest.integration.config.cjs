module.exports = require('../../jest.preset.cjs').integrationConfig(
  __dirname,
  'lms-connector-integration',
);
