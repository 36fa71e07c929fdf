module.exports = require('../../tools/webpack/service.webpack.cjs')(__dirname, 'hr-service');
