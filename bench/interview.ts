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
// Timing entries (durationThreshold 16 ms) are counted beside it.
// Prints ONE JSON object on stdout (progress on stderr): medians of the runs and every sample.
//
// Knobs (environment): BENCH_RUNS (measured loads per interview, 5; an unmeasured warm-up load comes
// first), BENCH_TYPING_ROUNDS (3), BENCH_KEYSTROKES (per round, 120), BENCH_TURNS (turns of the large
// interview, 7000), BENCH_BUILD (a build folder to run instead of build/, e.g. a copy of an older one),
// BENCH_PROFILE (a folder: also record Chrome DevTools CPU profiles of one load and one typing round of the
// large interview there, and print their heaviest functions), BENCH_ONLY (large | demo).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { EDITOR_SCHEMA_VERSION } from '../src/lib/editor/version';
import { MESSAGE_DURABLE_ACK, MESSAGE_NOTICE } from '../src/lib/domain/collab';
import { CHROMIUM_ARGS } from '../tests/support/chromium';
import { ROOT, num } from './knobs';

const writeStdout = process.stdout.write.bind(process.stdout);
console.log = (...args: unknown[]) => console.error(...args);
const T0 = performance.now();
const progress = (msg: string) => process.stderr.write(`[bench:interview ${((performance.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);
const env = process.env;
const CONFIG = {
	runs: env.BENCH_RUNS === '0' ? 0 : Math.round(num('BENCH_RUNS', 5)),
	typing_rounds: env.BENCH_TYPING_ROUNDS === '0' ? 0 : Math.round(num('BENCH_TYPING_ROUNDS', 3)),
	keystrokes_per_round: Math.round(num('BENCH_KEYSTROKES', 120)),
	keystroke_delay_ms: 60,
	other_typist_chars_per_s: 10,
	large_turns: Math.round(num('BENCH_TURNS', 7000)),
	build: env.BENCH_BUILD ? path.resolve(env.BENCH_BUILD) : path.join(ROOT, 'build'),
	profile_dir: env.BENCH_PROFILE ? path.resolve(env.BENCH_PROFILE) : null,
	only: env.BENCH_ONLY ?? null
};
const GOALS = { large_readable_ms: 1500, large_editable_ms: 2500, keystroke_p99_ms: 16, demo_editable_ms: 500 };
const TYPING_LIMIT_MS = 60_000;
const FIRST_QUESTION = 'Where does the Varesh Basin stand after the winter floods, and who gained from them?';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => (xs.length ? round([...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]) : null);
function percentiles(samples: number[]) {
	if (!samples.length) return { p50: null, p95: null, p99: null, max: null, samples: 0 };
	const s = [...samples].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
	return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(s[s.length - 1]), samples: s.length };
}
const load = () => os.loadavg().map((x) => round(x, 2));

// ---------------------------------------------------------------------------------------------------------
// Made-up transcript text in the bulletin's style (see tests/fixtures/bulletin-issue.txt): BW asks, AV answers.
function seeded(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
}
const PLACES = ['the Kessel Hills', 'Halm', 'the lower Varesh', 'Talmar', 'Nerovia', 'Kessland', 'the salt road', 'the Orvin delta', 'the upper weirs', 'Daskar'];
const ACTORS = ['the River Wardens', 'the Amber Brigades', 'the basin council', 'the gauging teams', 'the flood-gate crews', 'the valley cooperatives', 'the Talmari patrols', 'the smuggling families'];
const VERBS = ['depend on', 'distrust', 'answer to', 'bargain with', 'watch', 'supply', 'recruit among', 'pay off'];
const CLAUSES = [
	'since the winter floods cut the road',
	'which nobody in the capitals expected',
	'and the farmers know it',
	'as the gauges show every spring',
	'long before the pact was signed',
	'because the weirs are simple to reach and difficult to protect',
	'while the patrols stay in the towns',
	'which is where the money is'
];
const QUESTIONS = [
	(p: string, a: string) => `How do ${a} see ${p} now that the flood-gate data is shared?`,
	(p: string, a: string) => `Could ${a} lose their hold on ${p} if the patrols move in?`,
	(p: string, a: string) => `What changed in ${p} after the attack on the Halm weir [on December 2]?`,
	(p: string, a: string) => `Who pays ${a} in ${p}, and for how long?`
];
function sentence(rnd: () => number): string {
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
	const s = `${pick(ACTORS)} ${pick(VERBS)} ${pick(ACTORS)} in ${pick(PLACES)}, ${pick(CLAUSES)}.`;
	return s[0].toUpperCase() + s.slice(1);
}
export function interviewTranscript(turns: number, seed = 7): string {
	const rnd = seeded(seed);
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
	const lines = ['_Basin Watch spoke with Dr. Anneli Varga about the Varesh Basin after the winter floods._', ''];
	for (let i = 0; i < turns; i++) {
		if (i === 0) lines.push(`BW: ${FIRST_QUESTION}`);
		else if (i % 2 === 0) lines.push(`BW: ${pick(QUESTIONS)(pick(PLACES), pick(ACTORS))}`);
		else lines.push(`AV: ${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => sentence(rnd)).join(' ')}`);
		lines.push('');
	}
	return lines.join('\n');
}
/** The number of turns making a transcript of about `bytes`. */
function turnsFor(bytes: number): number {
	const sample = interviewTranscript(200);
	return Math.max(2, Math.round((bytes / Buffer.byteLength(sample)) * 200));
}

// ---------------------------------------------------------------------------------------------------------
// The server: a private copy of the build (so a rebuild meanwhile changes nothing), on a fresh PGlite folder.
const cleanup: (() => void | Promise<void>)[] = [];
async function startServer(): Promise<{ base: string; child: ChildProcess; output: () => string }> {
	const entry = path.join(CONFIG.build, 'galley-server.js');
	if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
	const dir = path.join(ROOT, 'bench', `.run-interview-${process.pid}`);
	fs.cpSync(CONFIG.build, path.join(dir, 'app'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'data'));
	cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	const child = spawn(process.execPath, [path.join(dir, 'app', 'galley-server.js')], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			ORIGIN: '',
			NODE_ENV: 'production',
			GALLEY_RATE_LIMITS: 'off',
			GALLEY_DATA_DIR: path.join(dir, 'data'),
			DATABASE_URL: '',
			REDIS_URL: '',
			GALLEY_DEMO: ''
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	cleanup.push(
		() =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			})
	);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Galley did not start in 120 s:\n${out}`)), 120_000);
		child.stdout!.on('data', () => {
			const m = /GALLEY_LISTENING (\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		child.on('exit', (code) => reject(new Error(`Galley exited with ${code}:\n${out}`)));
	});
	return { base: `http://127.0.0.1:${port}`, child, output: () => out };
}

async function request(base: string, method: string, p: string, opts: { cookie?: string; token?: string; body?: string; type?: string } = {}) {
	const headers: Record<string, string> = {};
	if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
	if (opts.cookie) Object.assign(headers, { cookie: opts.cookie, origin: base });
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	const res = await fetch(base + p, { method, headers, body: opts.body });
	const text = await res.text();
	if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('galley_session='));
	return { json: text ? JSON.parse(text) : null, cookie };
}

const EDITOR = { email: 'bench-editor@example.org', name: 'Maren Holt', password: 'bench-password-123' };
const OTHER = { email: 'bench-other@example.org', name: 'Lucía Ferraro', password: 'bench-password-456' };

async function setUp(base: string) {
	const setup = await request(base, 'POST', '/api/setup', { body: JSON.stringify(EDITOR) });
	const cookie = setup.cookie!;
	await request(base, 'POST', '/api/people', { cookie, body: JSON.stringify({ ...OTHER, role: 'editor' }) });
	const other = await request(base, 'POST', '/api/auth/login', { body: JSON.stringify({ email: OTHER.email, password: OTHER.password }), cookie: '' });
	const token = (await request(base, 'POST', '/api/tokens', { cookie: other.cookie!, body: JSON.stringify({ name: 'bench' }) })).json.token as string;
	return { cookie, otherToken: token };
}

async function interviewPiece(base: string, cookie: string, title: string, transcript: string): Promise<string> {
	const id = (await request(base, 'POST', '/api/pieces', { cookie, body: JSON.stringify({ kind: 'interview', title }) })).json.piece.id as string;
	await request(base, 'POST', `/api/pieces/${id}/transcript?mode=replace`, { cookie, body: transcript, type: 'text/plain; charset=utf-8' });
	return id;
}

// ---------------------------------------------------------------------------------------------------------
// In the page: the frame loop that notices readable and editable, the keystroke timer, long tasks.
function pageProbe(firstQuestion: string) {
	type Probe = { readable: number | null; editable: number | null; longTasks: [number, number][]; keys: number[]; events: Map<number, number> };
	const probe: Probe = { readable: null, editable: null, longTasks: [], keys: [], events: new Map() };
	(window as unknown as { __probe: Probe }).__probe = probe;
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration]);
		}).observe({ type: 'longtask', buffered: true });
	} catch {
		/* no long-task timing */
	}
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries() as (PerformanceEntry & { interactionId?: number })[]) {
				if (!e.interactionId) continue;
				probe.events.set(e.interactionId, Math.max(probe.events.get(e.interactionId) ?? 0, e.duration));
			}
		}).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
	} catch {
		/* no event timing */
	}
	const shows = (el: Element | null) => !!el && (el.textContent ?? '').includes(firstQuestion) && el.getClientRects().length > 0;
	const poll = () => {
		if (probe.readable === null && shows(document.querySelector('.qa-block'))) probe.readable = performance.now();
		if (probe.editable === null) {
			const text = document.querySelector('[aria-label="Piece text"][contenteditable="true"]');
			if (text && shows(text.querySelector('.qa-block'))) probe.editable = performance.now();
		}
		if (probe.readable === null || probe.editable === null) requestAnimationFrame(poll);
	};
	requestAnimationFrame(poll);
	addEventListener(
		'keydown',
		(e) => {
			const t0 = e.timeStamp;
			requestAnimationFrame(() => {
				const channel = new MessageChannel();
				channel.port1.onmessage = () => probe.keys.push(performance.now() - t0);
				channel.port2.postMessage(0);
			});
		},
		true
	);
}

type ProbeResult = { readable: number | null; editable: number | null; longTasks: [number, number][]; keys: number[]; eventsOver16: number[] };
const readProbe = (page: Page): Promise<ProbeResult> =>
	page.evaluate(() => {
		const p = (window as unknown as { __probe: { readable: number | null; editable: number | null; longTasks: [number, number][]; keys: number[]; events: Map<number, number> } }).__probe;
		return { readable: p.readable, editable: p.editable, longTasks: p.longTasks, keys: p.keys, eventsOver16: [...p.events.values()] };
	});

async function signedInContext(browser: Browser, base: string): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const res = await context.request.post(`${base}/api/auth/login`, { data: { email: EDITOR.email, password: EDITOR.password }, headers: { origin: base } });
	if (res.status() !== 200) throw new Error(`login: ${res.status()}`);
	// tsx (esbuild, keepNames) wraps named functions in `__name(…)`: give the page that helper too.
	await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
	await context.addInitScript(pageProbe, FIRST_QUESTION);
	return context;
}

async function startProfile(page: Page): Promise<CDPSession> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
	await cdp.send('Profiler.start');
	return cdp;
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
/** The heaviest functions of a profile by self time, and the heaviest by total time (self + callees). */
function summariseProfile(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 30) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
	const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(_app|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const selfBy = new Map<string, number>();
	const totalBy = new Map<string, number>();
	for (const [id, ms] of self) {
		const n = byId.get(id)!;
		selfBy.set(label(n), (selfBy.get(label(n)) ?? 0) + ms);
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const l = label(byId.get(cur)!);
			if (seen.has(l)) continue;
			seen.add(l);
			totalBy.set(l, (totalBy.get(l) ?? 0) + ms);
		}
	}
	const sorted = (m: Map<string, number>) =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, v]) => `${round(v)} ms  ${k}`);
	const total = [...self.values()].reduce((a, b) => a + b, 0);
	return { sampled_ms: round(total), self: sorted(selfBy), total: sorted(totalBy) };
}

async function stopProfile(cdp: CDPSession, name: string) {
	const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
	fs.mkdirSync(CONFIG.profile_dir!, { recursive: true });
	const file = path.join(CONFIG.profile_dir!, `${name}.cpuprofile`);
	fs.writeFileSync(file, JSON.stringify(profile));
	await cdp.detach();
	return { file, ...summariseProfile(profile) };
}

/** The main thread's time by kind of work (script, style, layout, paint…) in a Chrome trace: where "(program)" goes. */
function summariseTrace(buffer: Buffer, name: string) {
	fs.mkdirSync(CONFIG.profile_dir!, { recursive: true });
	const file = path.join(CONFIG.profile_dir!, name);
	fs.writeFileSync(file, buffer);
	const events = (JSON.parse(buffer.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; pid: number }[] }).traceEvents;
	const main = events.find((e) => e.name === 'thread_name' && (e as unknown as { args: { name: string } }).args.name === 'CrRendererMain');
	const by = new Map<string, { ms: number; count: number }>();
	for (const e of events) {
		if (e.ph !== 'X' || !e.dur || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
		const b = by.get(e.name) ?? { ms: 0, count: 0 };
		b.ms += e.dur / 1000;
		b.count += 1;
		by.set(e.name, b);
	}
	return {
		file,
		main_thread: [...by]
			.sort((a, b) => b[1].ms - a[1].ms)
			.slice(0, 20)
			.map(([k, v]) => `${round(v.ms)} ms in ${v.count}  ${k}`)
	};
}

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
			wall_ms: Date.now() - start,
			profile
		};
	} finally {
		await context.close();
	}
}

// ---------------------------------------------------------------------------------------------------------
// The other person: a y-websocket client typing into a turn, with a caret as the browser draws it.
function otherTypist(base: string, pieceId: string, token: string, turnIndex: number) {
	const doc = new Y.Doc();
	const wsBase = base.replace(/^http/, 'ws') + '/collab';
	const provider = new WebsocketProvider(wsBase, pieceId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: { token, schema: String(EDITOR_SCHEMA_VERSION) },
		disableBc: true,
		maxBackoffTime: 1000
	});
	// Galley's own messages (durable acks, notices: see docs/protocol.md) mean nothing to this typist.
	provider.messageHandlers[MESSAGE_DURABLE_ACK] = () => {};
	provider.messageHandlers[MESSAGE_NOTICE] = () => {};
	// The stock client re-sends every awareness change it receives, which Galley refuses: send only our own.
	const handler = (provider as unknown as { _awarenessUpdateHandler: (...args: unknown[]) => void })._awarenessUpdateHandler;
	provider.awareness.off('update', handler);
	const sendAwareness = () => {
		if (provider.ws?.readyState !== WebSocket.OPEN) return;
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, 1);
		encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(provider.awareness, [doc.clientID]));
		provider.ws.send(encoding.toUint8Array(enc));
	};
	const synced = new Promise<void>((resolve) => provider.on('sync', (s: boolean) => s && resolve()));
	let timer: NodeJS.Timeout | null = null;
	let typed = 0;
	const text = () => {
		const turns = doc
			.getXmlFragment('body')
			.toArray()
			.filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'qaBlock');
		const paragraph = turns[turnIndex]?.get(0) as Y.XmlElement | undefined;
		const t = paragraph?.get(0);
		if (!(t instanceof Y.XmlText)) throw new Error(`turn ${turnIndex} has no text`);
		return t;
	};
	return {
		synced,
		start() {
			const words = ' The wardens came back to Halm before the gauges did.';
			const t = text();
			timer = setInterval(() => {
				const at = t.length;
				t.insert(at, words[typed++ % words.length]);
				const rel = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(t, at + 1));
				provider.awareness.setLocalStateField('cursor', { anchor: rel, head: rel });
				sendAwareness();
			}, 1000 / CONFIG.other_typist_chars_per_s);
			provider.awareness.setLocalStateField('user', { name: OTHER.name, color: '#2f7d6d' });
			sendAwareness();
		},
		stop() {
			if (timer) clearInterval(timer);
			return typed;
		},
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** One typing round on the large interview: keystroke latencies while the other person types. */
async function typingRound(browser: Browser, base: string, pieceId: string, otherToken: string, profileName?: string) {
	const context = await signedInContext(browser, base);
	const typist = otherTypist(base, pieceId, otherToken, 2);
	try {
		const page = await context.newPage();
		await page.goto(`${base}/pieces/${pieceId}`, { timeout: 120_000 });
		await page.waitForFunction(() => (window as unknown as { __probe: { editable: number | null } }).__probe.editable !== null, undefined, { timeout: 180_000, polling: 200 });
		await typist.synced;
		const turn = page.locator('[aria-label="Piece text"] .qa-block').nth(5).locator('p').first();
		await turn.click({ position: { x: 5, y: 5 } });
		await page.keyboard.press('End');
		await page.evaluate(() => ((window as unknown as { __probe: { keys: number[] } }).__probe.keys.length = 0));
		typist.start();
		await sleep(500); // the other person's caret and first characters have arrived
		const cdp = profileName ? await startProfile(page) : null;
		if (profileName) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
		const words = ' Then the gauging teams stopped reporting from the upper weirs.';
		let typedText = '';
		for (let i = 0; i < CONFIG.keystrokes_per_round; i++) typedText += words[i % words.length];
		// A page that cannot keep up takes far longer than the keystrokes' 60 ms apart: give up after
		// TYPING_LIMIT_MS, keeping the latencies measured so far (and counting the keystrokes not typed).
		let timedOut = false;
		const typing = page.keyboard.type(typedText, { delay: CONFIG.keystroke_delay_ms }).then(() => true);
		const finished = await Promise.race([typing, sleep(TYPING_LIMIT_MS).then(() => false)]);
		if (!finished) timedOut = true;
		typing.catch(() => undefined);
		const others = typist.stop();
		if (!timedOut) await sleep(300);
		const profile = cdp ? await stopProfile(cdp, profileName!) : undefined;
		if (profileName) Object.assign(profile!, { trace: summariseTrace(await browser.stopTracing(), `${profileName}.trace.json`) });
		// A page still busy with what it was sent may not answer for minutes: keep what can be read.
		const probe = await Promise.race([readProbe(page), sleep(15_000).then(() => null)]);
		if (!probe) return { keys: [], eventsOver16: [], otherTyped: others, profile, timedOut, notTyped: CONFIG.keystrokes_per_round, unresponsive: true };
		if (!timedOut) {
			const shown = await page.locator('[aria-label="Piece text"] .qa-block').nth(5).textContent();
			if (!shown?.includes(typedText.trim())) throw new Error('the typed text did not arrive intact in the turn');
		}
		return { keys: probe.keys, eventsOver16: probe.eventsOver16, otherTyped: others, profile, timedOut, notTyped: CONFIG.keystrokes_per_round - probe.keys.length, unresponsive: false };
	} finally {
		typist.destroy();
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
		const interviews: { name: string; turns: number; text: string }[] = [];
		if (CONFIG.only !== 'demo') interviews.push({ name: 'large', turns: CONFIG.large_turns, text: interviewTranscript(CONFIG.large_turns) });
		if (CONFIG.only !== 'large') {
			const turns = turnsFor(10_000);
			interviews.push({ name: 'demo', turns, text: interviewTranscript(turns, 11) });
		}
		browser = browserToClose = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
		results.browser = browser.version();
		const out: Record<string, unknown> = {};
		for (const iv of interviews) {
			const pieceId = await interviewPiece(server.base, cookie, `Interview (${iv.name})`, iv.text);
			progress(`${iv.name}: ${iv.turns} turns, ${Buffer.byteLength(iv.text)} bytes of transcript: first open (also the warm-up)`);
			const la0 = load();
			const first = await measureLoad(browser, server.base, pieceId, CONFIG.profile_dir && iv.name === 'large' ? 'large-first-open' : undefined);
			progress(`${iv.name} first open: readable ${first.readable_ms} ms, editable ${first.editable_ms} ms, longest task ${first.longest_task_ms} ms (load ${la0.join(' ')})`);
			const runs = [];
			for (let i = 0; i < CONFIG.runs; i++) {
				const la = load();
				const r = await measureLoad(browser, server.base, pieceId);
				progress(`${iv.name} load ${i + 1}: readable ${r.readable_ms} ms, editable ${r.editable_ms} ms, typed ${r.typed_ms} ms, longest task ${r.longest_task_ms} ms (load ${la.join(' ')})`);
				runs.push({ ...r, loadavg: la });
			}
			const entry: Record<string, unknown> = {
				turns: iv.turns,
				transcript_bytes: Buffer.byteLength(iv.text),
				// the first time anyone opens the freshly imported transcript (not in the medians)
				first_open: { readable_ms: first.readable_ms, editable_ms: first.editable_ms, longest_task_ms: first.longest_task_ms, loadavg: la0, profile: first.profile },
				readable_ms: median(runs.map((r) => r.readable_ms)),
				editable_ms: median(runs.map((r) => r.editable_ms)),
				typed_ms: median(runs.map((r) => r.typed_ms)),
				longest_task_ms: median(runs.map((r) => r.longest_task_ms)),
				long_tasks_total_ms: median(runs.map((r) => r.long_tasks_total_ms)),
				runs
			};
			if (iv.name === 'large') {
				const keys: number[] = [];
				const over16: number[] = [];
				const rounds = [];
				for (let i = 0; i < CONFIG.typing_rounds; i++) {
					const la = load();
					const r = await typingRound(browser, server.base, pieceId, otherToken);
					const p = percentiles(r.keys);
					progress(`large typing ${i + 1}: keystroke p50 ${p.p50} p99 ${p.p99} max ${p.max} ms over ${p.samples}; event timing ≥ 16 ms: ${r.eventsOver16.length}; the other typed ${r.otherTyped}${r.timedOut ? `; gave up after ${TYPING_LIMIT_MS / 1000} s, ${r.notTyped} keystrokes not typed` : ''} (load ${la.join(' ')})`);
					keys.push(...r.keys);
					over16.push(...r.eventsOver16);
					rounds.push({ ...p, event_timing_over_16ms: r.eventsOver16.length, other_person_chars: r.otherTyped, timed_out: r.timedOut, keystrokes_not_typed: r.notTyped, page_unresponsive: r.unresponsive, loadavg: la });
				}
				entry.keystroke_ms = percentiles(keys);
				entry.event_timing = { interactions_over_16ms: over16.length, keystrokes: keys.length, max_ms: over16.length ? Math.max(...over16) : null };
				entry.typing_rounds = rounds;
				if (CONFIG.profile_dir) {
					progress('profiling one load and one typing round');
					entry.profile = {
						load: (await measureLoad(browser, server.base, pieceId, 'large-load')).profile,
						typing: (await typingRound(browser, server.base, pieceId, otherToken, 'large-typing')).profile
					};
				}
			} else if (CONFIG.profile_dir) {
				progress('profiling one load');
				entry.profile = { load: (await measureLoad(browser, server.base, pieceId, `${iv.name}-load`)).profile };
			}
			out[iv.name] = entry;
		}
		results.interviews = out;
		const large = out.large as { readable_ms: number; editable_ms: number; keystroke_ms?: { p99: number | null } } | undefined;
		const demo = out.demo as { editable_ms: number } | undefined;
		results.goals_met = {
			large_readable: large ? large.readable_ms < GOALS.large_readable_ms : null,
			large_editable: large ? large.editable_ms < GOALS.large_editable_ms : null,
			// a round given up (the page could not keep up) misses the goal whatever the keystrokes measured
			keystroke_p99: large?.keystroke_ms
				? large.keystroke_ms.p99 !== null && large.keystroke_ms.p99 < GOALS.keystroke_p99_ms && !(large as { typing_rounds?: { timed_out: boolean }[] }).typing_rounds?.some((r) => r.timed_out)
				: null,
			demo_editable: demo ? demo.editable_ms < GOALS.demo_editable_ms : null
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
