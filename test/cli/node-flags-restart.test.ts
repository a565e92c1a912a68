/**
 * The restart that gives Node the V8 flags tsemu needs (src/user/reentry.ts) happens at most once:
 * a launcher whose restarted command line still lacks them gets one clear error line instead of a
 * process restarting itself forever, and a restarted guest does not see the restart's marker.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const example = path.join(root, 'examples', 'hello-aarch64');

describe('restart with the Node flags', () => {
  it('fails with one line, not a restart loop, when the restarted process still lacks the flags', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-restart-'));
    // A launcher that drops one of its own arguments before tsemu reads process.argv, so the
    // command line tsemu rebuilds for its restart puts the flags after the script (Node ignores them).
    const launcher = path.join(dir, 'lossy-launcher.js');
    const entry = JSON.stringify(path.join(root, 'dist', 'cli', 'user.js'));
    fs.writeFileSync(launcher, `process.argv.splice(2, 1);\nrequire(${entry}).main('aarch64');\n`);
    const r = spawnSync(process.execPath, [launcher, 'dropped', example], { encoding: 'utf8', timeout: 30_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^tsemu-aarch64: restarted Node with --single-threaded-gc --no-concurrent-recompilation, but they did not reach it/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
