// What the interview benchmark runs in the page, and the signed-in browser contexts that carry it.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { FIRST_QUESTION } from './common';
import { EDITOR } from './server';

// In the page: the frame loop that notices readable and editable, the keystroke timer, long tasks.
export function pageProbe(firstQuestion: string) {
	type Socket = { created: number; open: number | null; firstMessage: number | null; syncStep2: number | null };
	type Probe = { readable: number | null; editable: number | null; longTasks: [number, number][]; keys: number[]; frames: number[]; events: Map<number, number>; socket: Socket | null; editor: number | null };
	const probe: Probe = { readable: null, editable: null, longTasks: [], keys: [], frames: [], events: new Map(), socket: null, editor: null };
	(window as unknown as { __probe: Probe }).__probe = probe;
	// when the page opened its collaboration socket, when it opened, and when the server's first message came
	const NativeSocket = window.WebSocket;
	window.WebSocket = class extends NativeSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			if (probe.socket || !String(url).includes('/collab')) return;
			const socket: Socket = (probe.socket = { created: performance.now(), open: null, firstMessage: null, syncStep2: null });
			this.addEventListener('open', () => (socket.open ??= performance.now()));
			this.addEventListener('message', (e) => {
				socket.firstMessage ??= performance.now();
				const bytes = e.data instanceof ArrayBuffer ? new Uint8Array(e.data, 0, Math.min(2, e.data.byteLength)) : null;
				if (bytes && bytes[0] === 0 && bytes[1] === 1) socket.syncStep2 ??= performance.now(); // the server's copy of the piece
			});
		}
	};
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
		if (probe.editor === null && document.querySelector('[aria-label="Piece text"]')) probe.editor = performance.now();
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
				probe.frames.push(performance.now() - t0); // the other reading: keydown → the next animation frame
				const channel = new MessageChannel();
				channel.port1.onmessage = () => probe.keys.push(performance.now() - t0);
				channel.port2.postMessage(0);
			});
		},
		true
	);
}

function injectStyle(css: string) {
	const add = () => document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
	if (document.head) add();
	else document.addEventListener('DOMContentLoaded', add);
}

type Socket = { created: number; open: number | null; firstMessage: number | null; syncStep2: number | null };
export type ProbeResult = { readable: number | null; editable: number | null; longTasks: [number, number][]; keys: number[]; frames: number[]; eventsOver16: number[]; socket: Socket | null; domContentLoaded: number | null; editor: number | null };
export const readProbe = (page: Page): Promise<ProbeResult> =>
	page.evaluate(() => {
		const p = (window as unknown as { __probe: { readable: number | null; editable: number | null; longTasks: [number, number][]; keys: number[]; frames: number[]; events: Map<number, number>; socket: Socket | null; editor: number | null } }).__probe;
		const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
		return { readable: p.readable, editable: p.editable, longTasks: p.longTasks, keys: p.keys, frames: p.frames, eventsOver16: [...p.events.values()], socket: p.socket, editor: p.editor, domContentLoaded: nav ? nav.domContentLoadedEventEnd : null };
	});

export async function signedInContext(browser: Browser, base: string): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const res = await context.request.post(`${base}/api/auth/login`, { data: { email: EDITOR.email, password: EDITOR.password }, headers: { origin: base } });
	if (res.status() !== 200) throw new Error(`login: ${res.status()}`);
	// tsx (esbuild, keepNames) wraps named functions in `__name(…)`: give the page that helper too.
	await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
	await context.addInitScript(pageProbe, FIRST_QUESTION);
	// BENCH_STYLE: CSS added to every page (to try a rendering change without building it)
	if (process.env.BENCH_STYLE) await context.addInitScript(injectStyle, process.env.BENCH_STYLE);
	return context;
}

