module.exports = require('../../../jest.preset.cjs').integrationConfig(
  __dirname,
  'shared-messaging-integration',
);
