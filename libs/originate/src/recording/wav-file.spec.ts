import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../testing/wav-reader';
import { writeStereoWav } from './wav-file';

const openFds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
const pcm = (...samples: number[]): Buffer => {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
};

describe('writeStereoWav', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wav-file-'));
    await writeFile(join(dir, 'left.raw'), pcm(1, 2, 3));
    await writeFile(join(dir, 'right.raw'), pcm(-1));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('interleaves the tracks, the shorter one padded with silence', async () => {
    expect(await writeStereoWav(join(dir, 'left.raw'), join(dir, 'right.raw'), join(dir, 'out.wav'), 3)).toBe(44 + 3 * 4);
    const wav = await readWav(join(dir, 'out.wav'));
    expect({ channels: wav.channels, left: [...wav.samples[0]], right: [...wav.samples[1]] }).toEqual({ channels: 2, left: [1, 2, 3], right: [-1, 0, 0] });
  });

  it('an output that cannot be created rejects and leaves none of the tracks open', async () => {
    const before = await openFds();
    await expect(writeStereoWav(join(dir, 'left.raw'), join(dir, 'right.raw'), join(dir, 'missing', 'out.wav'), 3)).rejects.toThrow(/ENOENT/);
    expect(await openFds()).toBe(before);
  });
});
