import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Paths that are test code: shared suites and helpers in a testing folder, *.test-helpers, *.testing, specs. */
const TEST_PATH = /(^|\/)testing(\/|$)|\.test-helpers\.js|\.testing\.js|\.spec\.js|\.e2e-spec\.js/;
/** A require of a testing entry point or helper (`@legwork/x/testing`, `./testing`, `../foo.test-helpers`). */
const TEST_REQUIRE = /require\("([^"]*(?:\/testing(?:\/[^"]*)?|\.test-helpers|\.testing))"\)/g;

export interface DistFinding {
  file: string;
  why: string;
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Everything in one dist folder that is, or loads, test code. */
export function scanDist(dist: string, root: string = dist): DistFinding[] {
  const found: DistFinding[] = [];
  for (const file of files(dist)) {
    const rel = relative(root, file);
    if (TEST_PATH.test(relative(dist, file))) found.push({ file: rel, why: 'test code shipped' });
    if (!file.endsWith('.js')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(TEST_REQUIRE)) found.push({ file: rel, why: `requires ${m[1]}` });
  }
  return found;
}

/** The dist folder of every app and lib of the workspace (`apps/*` and `libs/*` with a project.json). */
export function projectDists(root: string): Array<{ project: string; dist: string; built: boolean }> {
  return ['apps', 'libs'].flatMap((kind) =>
    readdirSync(join(root, kind))
      .filter((name) => existsSync(join(root, kind, name, 'project.json')))
      .map((name) => {
        const dist = join(root, kind, name, 'dist');
        // a web app (apps/console) ships a page, not a module
        const entries = ['index.js', 'main.js', 'index.html'];
        return { project: `${kind}/${name}`, dist, built: entries.some((e) => existsSync(join(dist, e))) };
      }),
  );
}
