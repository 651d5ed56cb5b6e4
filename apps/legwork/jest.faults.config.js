// The fault suite (`npm run test:faults`): its own Jest project, never picked up by the workspace's `npm test`
// (that one loads only files named jest.config.js).
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset(__dirname, { displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'] }),
  // every case runs a platform of its own processes under load: one at a time on a shared machine
  maxWorkers: 1,
  testTimeout: 600_000,
};
