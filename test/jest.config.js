// Workspace-wide checks that belong to no single project (e.g. what the builds ship).
const preset = require('../jest.preset');

module.exports = preset(__dirname, { displayName: 'workspace', testMatch: ['<rootDir>/**/*.spec.ts'] });
