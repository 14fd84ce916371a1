// `npm start`: build when there is no build (or it is older than the sources), then serve.
// `npm run demo`: the same, loading demo accounts and a demo issue first.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const entry = 'build/galley-server.js';

function newestMtime(dir) {
	let newest = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
	}
	return newest;
}

const stale =
	!existsSync(entry) ||
	!existsSync('build/handler.js') ||
	Math.max(newestMtime('src'), newestMtime('server')) > statSync(entry).mtimeMs;
if (stale) {
	console.log(existsSync(entry) ? 'Sources changed since the last build: building…' : 'No build yet: building…');
	const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
if (process.argv.includes('--demo')) process.env.GALLEY_DEMO = '1';
await import(path.resolve(entry));
