module.exports = require('../../jest.preset.cjs').e2eConfig(__dirname, 'system-e2e');
