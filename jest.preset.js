// Shared Jest settings: sources compiled by swc, libs resolved from source by package name.
const path = require('node:path');
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));

const moduleNameMapper = {};
for (const kind of ['libs', 'apps']) {
  for (const name of fs.readdirSync(path.join(__dirname, kind))) {
    const entry = path.join(__dirname, kind, name, 'src', 'index.ts');
    if (fs.existsSync(entry)) moduleNameMapper[`^@legwork/${name}$`] = entry;
    // Shared test suites and peers live in a lib's src/testing and are imported as @legwork/<lib>/testing.
    const testing = path.join(__dirname, kind, name, 'src', 'testing', 'index.ts');
    if (fs.existsSync(testing)) moduleNameMapper[`^@legwork/${name}/testing$`] = testing;
  }
}

module.exports = function preset(projectDir, overrides = {}) {
  const name = path.basename(projectDir);
  return {
    displayName: name,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
    // NestJS 12 ships ES modules only; Jest's CommonJS runtime needs them compiled like our sources.
    transform: {
      '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
      '/node_modules/@nestjs/.+\\.js$': ['@swc/jest', { ...swcrc, swcrc: false }],
    },
    transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
    moduleNameMapper,
    moduleFileExtensions: ['ts', 'js', 'json'],
    ...overrides,
  };
};
