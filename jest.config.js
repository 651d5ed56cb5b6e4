// One Jest run over every project; each project also has its own `nx test` target.
const fs = require('node:fs');
const path = require('node:path');

const projects = ['libs', 'apps']
  .flatMap((kind) => fs.readdirSync(path.join(__dirname, kind)).map((n) => path.join(kind, n)))
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'jest.config.js')))
  .map((dir) => `<rootDir>/${dir}`);
if (fs.existsSync(path.join(__dirname, 'test', 'jest.config.js'))) projects.push('<rootDir>/test');

module.exports = {
  projects,
  testTimeout: 60000,
  globalSetup: '<rootDir>/tools/broker-hygiene.js',
  watchman: false,
  reporters: ['default', '<rootDir>/tools/summary-reporter.js'],
};
