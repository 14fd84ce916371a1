// Browser benchmark of a long interview: `npm run -s bench:interview` (tsx bench/interview.ts).
//
// Starts a Galley server itself (node build/galley-server.js, a private copy of the build, on a fresh PGlite
// folder), creates two interviews through the API (a made-up "Basin Watch" transcript, labels BW/AV,
// imported with POST /api/pieces/:id/transcript): a 1 MB one (about 7,000 turns) and one of the 10 KB demo
// size. Then Chromium (/usr/bin/chromium, driven by Playwright) opens each in a fresh browser context
// (a first visit: no copy in IndexedDB) and measures, from navigation:
//   readable_ms   the first turn's text is on screen (an animation frame ran with it laid out)
//   editable_ms   the editor holds the piece and is contenteditable (checked in the same frame loop);
//                 after it the bench types one character and waits for it (typed_ms, which includes
//                 Playwright's round trips)
//   long tasks    the longest main-thread task and the sum of the long tasks (> 50 ms) until editable
// and, for the 1 MB interview, keystroke latency while another person types in the same document: a
// y-websocket client in this process (with a caret, as a browser has) types ~10 characters a second
// into a turn near the top while Chromium types into another one (`keyboard.type`, 60 ms apart).
// Each keystroke is timed in the page from the keydown event's timestamp to the first task after the
// next animation frame (the frame that paints the transaction), pooled over the rounds; Chrome's Event
// Timing entries (durationThreshold 16 ms) are counted beside it. The same typing, in the same run and
// alternating round by round, goes into the demo-sized interview (the small piece, with the other person
// typing too) and into a bare contenteditable element (no editor, no other person): the floor of this
// measure on this machine (waiting for the next frame alone is up to 16.7 ms at 60 Hz). goals_met has the
// issue's own p99 < 16 ms and, beside it, the large piece's p99 within 8 ms of the small piece's.
// Prints ONE JSON object on stdout (progress on stderr): medians of the runs and every sample.
//
// Knobs (environment): BENCH_RUNS (measured loads per interview, 5; an unmeasured warm-up load comes
// first), BENCH_TYPING_ROUNDS (3), BENCH_KEYSTROKES (per round, 120), BENCH_TURNS (turns of the large
// interview, 7000), BENCH_BUILD (a build folder to run instead of build/, e.g. a copy of an older one),
// BENCH_SERVER_NODE_ARGS (node options for the server, e.g. `--cpu-prof --cpu-prof-dir=DIR`: its CPU profile),
// BENCH_STYLE (CSS added to every page: try a rendering change without a build), BENCH_PROFILE (a folder: also record Chrome DevTools CPU profiles of one load and one typing round of the
// large interview there, and print their heaviest functions), BENCH_ONLY (large: the large piece's loads, and
// the typing of all three; demo: the demo's loads only).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../tests/support/chromium';
import { ROOT } from './knobs';
import { CONFIG, env, FIRST_QUESTION, GOALS, TYPING_LIMIT_MS, load, median, percentiles, progress, round, writeStdout } from './interview/common';
import { interviewTranscript, turnsFor } from './interview/transcript';
import { cleanup, interviewPiece, setUp, startServer } from './interview/server';
import { bareTypingRound, logRound, typingRound, typingSummary, type TypingRound } from './interview/typing';
import { readProbe, signedInContext } from './interview/page-probe';
import { startProfile, stopProfile, summariseTrace } from './interview/profile';

/** One load of a piece in a fresh context: readable, editable, then one typed character shown. */
async function measureLoad(browser: Browser, base: string, pieceId: string, profileName?: string) {
	const context = await signedInContext(browser, base);
	try {
		const page = await context.newPage();
		const cdp = profileName ? await startProfile(page) : null;
		if (profileName) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
		const start = Date.now();
		await page.goto(`${base}/pieces/${pieceId}`, { waitUntil: 'commit', timeout: 120_000 });
		await page.waitForFunction(() => {
			const p = (window as unknown as { __probe?: { readable: number | null; editable: number | null } }).__probe;
			return !!p && p.readable !== null && p.editable !== null;
		}, undefined, { timeout: 180_000, polling: 100 }).catch(async (err) => {
			if (env.BENCH_DEBUG) {
				await page.screenshot({ path: path.join(env.BENCH_DEBUG, 'timeout.png') });
				fs.writeFileSync(path.join(env.BENCH_DEBUG, 'timeout.html'), await page.content());
			}
			throw err;
		});
		const first = page.locator('[aria-label="Piece text"] .qa-block p').first();
		await first.click({ position: { x: 5, y: 5 } });
		await page.keyboard.press('End');
		await page.keyboard.type('!');
		await page.waitForFunction((q) => document.querySelector('[aria-label="Piece text"] .qa-block')?.textContent?.includes('!') ?? false, FIRST_QUESTION, {
			timeout: 60_000
		});
		const typed = await page.evaluate(() => performance.now());
		const probe = await readProbe(page);
		const trace = profileName ? summariseTrace(await browser.stopTracing(), `${profileName}.trace.json`) : undefined;
		// undo the character, so every run opens the same text
		await page.keyboard.press('Backspace');
		await page.waitForFunction((q) => !(document.querySelector('[aria-label="Piece text"] .qa-block')?.textContent?.includes('!') ?? true), FIRST_QUESTION);
		const profile = cdp ? { ...(await stopProfile(cdp, profileName!)), trace } : undefined;
		const untilEditable = probe.longTasks.filter(([t]) => t <= (probe.editable ?? Infinity));
		return {
			readable_ms: round(probe.readable!),
			editable_ms: round(probe.editable!),
			typed_ms: round(typed),
			longest_task_ms: round(Math.max(0, ...untilEditable.map(([, d]) => d))),
			long_tasks_total_ms: round(untilEditable.reduce((a, [, d]) => a + d, 0)),
			// where the time to editable goes: DOMContentLoaded, the editor's element made, and when the collaboration socket was made, opened, first answered and brought the server's copy
			dom_content_loaded_ms: probe.domContentLoaded === null ? null : round(probe.domContentLoaded),
			editor_made_ms: probe.editor === null ? null : round(probe.editor),
			socket_ms: probe.socket ? { created: round(probe.socket.created), open: probe.socket.open === null ? null : round(probe.socket.open), first_message: probe.socket.firstMessage === null ? null : round(probe.socket.firstMessage), sync_step_2: probe.socket.syncStep2 === null ? null : round(probe.socket.syncStep2) } : null,
			wall_ms: Date.now() - start,
			profile
		};
	} finally {
		await context.close();
	}
}

// ---------------------------------------------------------------------------------------------------------
async function main() {
	const results: Record<string, unknown> = {
		date: new Date().toISOString(),
		machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown', loadavg_at_start: load() },
		config: { ...CONFIG, build: path.relative(ROOT, CONFIG.build) || '.' },
		goals: GOALS
	};
	let server: Awaited<ReturnType<typeof startServer>> | null = null;
	let browser: Browser | null = null;
	try {
		server = await startServer();
		progress(`Galley at ${server.base} (load ${load().join(' ')})`);
		const { cookie, otherToken } = await setUp(server.base);
		// The demo-sized interview is also the small piece whose keystrokes, in the same run, show the floor of
		// the large one's: typed whenever the large one is (BENCH_ONLY=large skips only its loads).
		const interviews: { name: 'large' | 'demo'; turns: number; text: string; loads: boolean; typing: boolean }[] = [];
		if (CONFIG.only !== 'demo') interviews.push({ name: 'large', turns: CONFIG.large_turns, text: interviewTranscript(CONFIG.large_turns), loads: true, typing: true });
		{
			const turns = turnsFor(10_000);
			interviews.push({ name: 'demo', turns, text: interviewTranscript(turns, 11), loads: CONFIG.only !== 'large', typing: CONFIG.only !== 'demo' });
		}
		browser = browserToClose = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
		results.browser = browser.version();
		const out: Record<string, Record<string, unknown>> = {};
		const pieces: Record<string, string> = {};
		for (const iv of interviews) {
			const pieceId = (pieces[iv.name] = await interviewPiece(server.base, cookie, `Interview (${iv.name})`, iv.text));
			const entry: Record<string, unknown> = (out[iv.name] = { turns: iv.turns, transcript_bytes: Buffer.byteLength(iv.text) });
			if (!iv.loads) continue;
			progress(`${iv.name}: ${iv.turns} turns, ${Buffer.byteLength(iv.text)} bytes of transcript: first open (also the warm-up)`);
			const la0 = load();
			const first = await measureLoad(browser, server.base, pieceId, CONFIG.profile_dir && iv.name === 'large' ? 'large-first-open' : undefined);
			progress(`${iv.name} first open: readable ${first.readable_ms} ms, editable ${first.editable_ms} ms, longest task ${first.longest_task_ms} ms (load ${la0.join(' ')})`);
			const runs = [];
			for (let i = 0; i < CONFIG.runs; i++) {
				const la = load();
				const r = await measureLoad(browser, server.base, pieceId);
				progress(`${iv.name} load ${i + 1}: readable ${r.readable_ms} ms, editable ${r.editable_ms} ms, typed ${r.typed_ms} ms, longest task ${r.longest_task_ms} ms; DOMContentLoaded ${r.dom_content_loaded_ms} ms, socket made ${r.socket_ms?.created} open ${r.socket_ms?.open} sync step 2 ${r.socket_ms?.sync_step_2} ms, editor made ${r.editor_made_ms} ms (load ${la.join(' ')})`);
				runs.push({ ...r, loadavg: la });
			}
			Object.assign(entry, {
				// the first time anyone opens the freshly imported transcript (not in the medians)
				first_open: { readable_ms: first.readable_ms, editable_ms: first.editable_ms, longest_task_ms: first.longest_task_ms, loadavg: la0, profile: first.profile },
				readable_ms: median(runs.map((r) => r.readable_ms)),
				editable_ms: median(runs.map((r) => r.editable_ms)),
				typed_ms: median(runs.map((r) => r.typed_ms)),
				longest_task_ms: median(runs.map((r) => r.longest_task_ms)),
				long_tasks_total_ms: median(runs.map((r) => r.long_tasks_total_ms)),
				runs
			});
			if (iv.name === 'demo' && CONFIG.profile_dir) {
				progress('profiling one load');
				entry.profile = { load: (await measureLoad(browser, server.base, pieceId, `${iv.name}-load`)).profile };
			}
		}
		// Keystrokes with the other person typing: the rounds of the large and the small piece alternate, so
		// both see the same machine; then the same typing into a bare contenteditable element (no editor, no
		// other person): the browser's own floor for this measure.
		const typed = interviews.filter((iv) => iv.typing);
		if (typed.length) {
			const rounds: Record<string, TypingRound[]> = { bare: [] };
			for (const iv of typed) rounds[iv.name] = [];
			for (let i = 0; i < CONFIG.typing_rounds; i++) {
				for (const iv of typed) {
					const la = load();
					const r = await typingRound(browser, server.base, pieces[iv.name], otherToken);
					logRound(`${iv.name} typing ${i + 1}`, r, la);
					rounds[iv.name].push({ ...r, loadavg: la });
				}
				const la = load();
				const r = await bareTypingRound(browser, server.base);
				logRound(`bare contenteditable typing ${i + 1}`, r, la);
				rounds.bare.push({ ...r, loadavg: la });
			}
			for (const iv of typed) Object.assign(out[iv.name], typingSummary(rounds[iv.name]));
			results.bare_contenteditable = typingSummary(rounds.bare);
			if (CONFIG.profile_dir && out.large) {
				progress('profiling one load and one typing round');
				out.large.profile = {
					load: (await measureLoad(browser, server.base, pieces.large, 'large-load')).profile,
					typing: (await typingRound(browser, server.base, pieces.large, otherToken, 'large-typing')).profile
				};
			}
		}
		results.interviews = out;
		type Typed = { keystroke_ms?: { p99: number | null }; keystroke_to_frame_ms?: { p99: number | null }; typing_rounds?: { timed_out: boolean }[] };
		const large = out.large as ({ readable_ms: number; editable_ms: number } & Typed) | undefined;
		const demo = out.demo as ({ editable_ms?: number } & Typed) | undefined;
		const within = (a?: { p99: number | null }, b?: { p99: number | null }) => (a?.p99 != null && b?.p99 != null ? a.p99 <= b.p99 + GOALS.keystroke_p99_over_small_ms : null);
		results.goals_met = {
			large_readable: large ? large.readable_ms < GOALS.large_readable_ms : null,
			large_editable: large ? large.editable_ms < GOALS.large_editable_ms : null,
			// a round given up (the page could not keep up) misses the goal whatever the keystrokes measured
			keystroke_p99: large?.keystroke_ms
				? large.keystroke_ms.p99 !== null && large.keystroke_ms.p99 < GOALS.keystroke_p99_ms && !(large as { typing_rounds?: { timed_out: boolean }[] }).typing_rounds?.some((r) => r.timed_out)
				: null,
			// "a two-hour transcript is as quick to work in as a brief": the large piece's p99 within
			// keystroke_p99_over_small_ms of the small piece's, both measures, measured in the same run
			keystroke_p99_near_small: large?.typing_rounds?.some((r) => r.timed_out) ? false : within(large?.keystroke_ms, demo?.keystroke_ms),
			keystroke_to_frame_p99_near_small: large?.typing_rounds?.some((r) => r.timed_out) ? false : within(large?.keystroke_to_frame_ms, demo?.keystroke_to_frame_ms),
			demo_editable: demo?.editable_ms !== undefined ? demo.editable_ms < GOALS.demo_editable_ms : null
		};
		results.machine = { ...(results.machine as object), loadavg_at_end: load() };
	} catch (err) {
		results.error = String((err as Error)?.stack ?? err);
		process.exitCode = 1;
		if (server) progress(`server output:\n${server.output().slice(-3000)}`);
	} finally {
		await browser?.close().catch(() => undefined);
		for (const c of cleanup.reverse()) await c();
	}
	writeStdout(JSON.stringify(results, null, 2) + '\n');
}

// Stopped from outside (Ctrl+C, a timeout): close the browser and the server, remove the copy of the build.
let browserToClose: Browser | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, async () => {
		progress(`${signal}: stopping`);
		await browserToClose?.close().catch(() => undefined);
		for (const c of cleanup.reverse()) await c();
		process.exit(130);
	});
}

void main();
