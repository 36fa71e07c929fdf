module.exports = require('../../jest.preset.cjs').unitConfig(__dirname, 'observability');
