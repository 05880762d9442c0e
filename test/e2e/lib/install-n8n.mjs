// @ts-check
// Installs one line's pinned n8n into its cache folder, or does nothing when it is there already.
// test/run-all.sh runs it for both lines at once, in the background, beside the build and the
// unit tests; the end-to-end steps wait for it.
import { ensureN8n, n8nLine } from './harness.mjs';

ensureN8n({ line: n8nLine(process.argv[2]) });
