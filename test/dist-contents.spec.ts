import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectDists, scanDist } from './dist-scan';

const ROOT = join(__dirname, '..');

// Reads what `npm run build` produced (npm test builds first); builds nothing itself.
describe('what the builds ship', () => {
  it.each(projectDists(ROOT).map((p) => [p.project, p] as const))('%s: dist is built and holds no test code', (_name, p) => {
    expect({ project: p.project, built: p.built }).toEqual({ project: p.project, built: true });
    expect(scanDist(p.dist, ROOT)).toEqual([]);
  });

  describe('scanDist', () => {
    let dir: string;
    const put = (rel: string, text = ''): void => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dist-scan-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('finds testing folders, helpers and specs, and runtime code that requires them', () => {
      put('index.js', 'const a = require("./engine");\nconst t = require("./testing");\nconst s = require("@legwork/sip/testing");');
      put('engine.js', 'const h = require("../transport/transport.test-helpers");');
      put('testing/index.js');
      put('ua/testing/raw-peer.js.map');
      put('ua/ua.test-helpers.js');
      put('x.spec.js');
      put('x.e2e-spec.js');
      put('y.testing.js');
      expect(scanDist(dir).sort((a, b) => `${a.file}${a.why}`.localeCompare(`${b.file}${b.why}`))).toEqual([
        { file: 'engine.js', why: 'requires ../transport/transport.test-helpers' },
        { file: 'index.js', why: 'requires ./testing' },
        { file: 'index.js', why: 'requires @legwork/sip/testing' },
        { file: 'testing/index.js', why: 'test code shipped' },
        { file: 'ua/testing/raw-peer.js.map', why: 'test code shipped' },
        { file: 'ua/ua.test-helpers.js', why: 'test code shipped' },
        { file: 'x.e2e-spec.js', why: 'test code shipped' },
        { file: 'x.spec.js', why: 'test code shipped' },
        { file: 'y.testing.js', why: 'test code shipped' },
      ]);
    });

    it('passes runtime code whose names only resemble test code', () => {
      put('index.js', 'const a = require("./testing-window");\nconst b = require("./contest");');
      put('testing-window.js');
      put('attesting.js');
      expect(scanDist(dir)).toEqual([]);
    });
  });
});
