module.exports = require('../../tools/webpack/service.webpack.cjs')(__dirname, 'lms-connector');
