// @ts-check
// Regenerates the editor screenshots in docs/img/ by running the browser suite with
// KZ_SCREENSHOTS_DIR pointed there; the suite gives every PNG a stable name.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { ROOT } from '../e2e/lib/harness.mjs';

const result = spawnSync(process.execPath, ['--test', join(ROOT, 'test/browser/editor.test.mjs')], {
	cwd: ROOT,
	stdio: 'inherit',
	env: { ...process.env, KZ_SCREENSHOTS_DIR: join(ROOT, 'docs/img') },
});
process.exit(result.status ?? 1);
