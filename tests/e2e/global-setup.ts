// Once per run, before any browser starts: the tests run the production build, so make sure there is one
// and say so when the sources are newer (a stale build would test yesterday's code).
import fs from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string): number {
	let newest = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
	}
	return newest;
}

export default function globalSetup() {
	const entry = 'build/galley-server.js';
	if (!fs.existsSync(entry) || !fs.existsSync('build/handler.js')) {
		throw new Error('No build: run `npm run build` before `npx playwright test` (`npm test` does both).');
	}
	const built = Math.min(fs.statSync(entry).mtimeMs, fs.statSync('build/handler.js').mtimeMs);
	if (Math.max(newestMtime('src'), newestMtime('server')) > built) {
		console.warn('\n⚠ The build is older than the sources: these tests run the old build. Run `npm run build` first.\n');
	}
}
