// `npm test`: types, build, unit + integration tests (vitest), browser tests (Playwright on Debian's Chromium).
// Prints a closing line "N passed, N failed" from the real totals of both runners.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, openSync, closeSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function run(cmd, args, env = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	return r.status ?? 1;
}

/**
 * Start `cmd` beside whatever else runs; resolves to its exit status. With `logFile`, its output goes there
 * (printed whole afterwards by the caller), so two runners' lines do not interleave.
 */
function start(cmd, args, { env = {}, logFile } = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}${logFile ? `   (output: ${logFile}, shown when it ends)` : ''}`);
	const fd = logFile ? openSync(logFile, 'w') : null;
	const child = spawn(cmd, args, { stdio: fd === null ? 'inherit' : ['ignore', fd, fd], env: { ...process.env, ...env } });
	return new Promise((resolve) => {
		child.on('error', () => resolve(1));
		child.on('close', (code) => {
			if (fd !== null) closeSync(fd);
			resolve(code ?? 1);
		});
	});
}

function show(title, logFile) {
	console.log(`\n──── ${title} (${logFile}) ────`);
	try {
		process.stdout.write(readFileSync(logFile));
	} catch {
		console.log('(no output was written)');
	}
}

function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	const isRoot = process.getuid?.() === 0;
	if (isRoot && existsSync('/usr/bin/apt-get')) {
		console.log('Chromium is missing: installing Debian\'s chromium with apt-get (about 100 s the first time)…');
		if (run('apt-get', ['update', '-qq']) === 0 && run('apt-get', ['install', '-y', '-qq', 'chromium']) === 0 && existsSync(CHROMIUM)) return;
	}
	console.error(`\nThe browser tests need Debian's Chromium at ${CHROMIUM}. Install it with:\n\n  sudo apt-get update && sudo apt-get install -y chromium\n`);
	process.exit(1);
}

ensureChromium();
mkdirSync('test-results', { recursive: true });

// The type check and the build do not depend on each other: side by side they take 30 s, one after the
// other 37 s (2 cores, 2026-12-07).
let failed = false;
if (run('npx', ['svelte-kit', 'sync']) !== 0) failed = true;
const [checkStatus, buildStatus] = await Promise.all([
	start('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings'], { logFile: 'test-results/svelte-check.txt' }),
	start('npm', ['run', 'build'], { logFile: 'test-results/build.txt' })
]);
show('svelte-check', 'test-results/svelte-check.txt');
show('npm run build', 'test-results/build.txt');
if (checkStatus !== 0) {
	console.error('svelte-check found problems');
	failed = true;
}
if (buildStatus !== 0) {
	console.error('The build failed; no tests run.');
	process.exit(1);
}

// vitest (unit + integration), then Playwright (browser stories). Not side by side: the suite keeps both
// cores busy either way (vmstat: 0 % idle throughout a run of both at once, 2026-12-07), and two runners at
// once made it slower than one after the other, every story waiting longer for its browser and server.
const vitestStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
const playwrightStatus = run('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json' });

function totals() {
	let passed = 0;
	let fail = 0;
	let skipped = 0;
	try {
		const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
		passed += v.numPassedTests;
		// a file that fails to load or whose beforeAll fails has no failed tests but a failed suite
		fail += v.numFailedTests || v.numFailedTestSuites;
		skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
	} catch {
		fail += 1;
		console.error('No vitest results were written.');
	}
	try {
		const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
		passed += p.stats.expected;
		fail += p.stats.unexpected + (p.errors?.length ?? 0);
		skipped += p.stats.skipped;
		passed += p.stats.flaky;
	} catch {
		fail += 1;
		console.error('No Playwright results were written.');
	}
	return { passed, fail, skipped };
}

const t = totals();
if (vitestStatus !== 0 || playwrightStatus !== 0 || failed) t.fail = Math.max(t.fail, 1);
console.log(`\n${t.passed} passed, ${t.fail} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
process.exit(t.fail > 0 ? 1 : 0);
