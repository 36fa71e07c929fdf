module.exports = require('../../jest.preset.cjs').integrationConfig(__dirname, 'talentlms-sim-integration');
