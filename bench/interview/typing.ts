// The interview benchmark's typing: the other person (a y-websocket client) and one typing round in Chromium.
import type { Browser } from '@playwright/test';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { EDITOR_SCHEMA_VERSION } from '../../src/lib/editor/version';
import { MESSAGE_DURABLE_ACK, MESSAGE_NOTICE } from '../../src/lib/domain/collab';
import { CONFIG, TYPING_LIMIT_MS, percentiles, progress, round, sleep } from './common';
import { OTHER } from './server';
import { readProbe, signedInContext } from './page-probe';
import { startProfile, stopProfile, summariseTrace } from './profile';

// The other person: a y-websocket client typing into a turn, with a caret as the browser draws it.
export function otherTypist(base: string, pieceId: string, token: string, turnIndex: number) {
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
export async function typingRound(browser: Browser, base: string, pieceId: string, otherToken: string, profileName?: string) {
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
		await page.evaluate(() => {
			const p = (window as unknown as { __probe: { keys: number[]; frames: number[] } }).__probe;
			p.keys.length = 0;
			p.frames.length = 0;
		});
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
		if (!probe) return { keys: [], frames: [], eventsOver16: [], otherTyped: others, profile, timedOut, notTyped: CONFIG.keystrokes_per_round, unresponsive: true };
		if (!timedOut) {
			const shown = await page.locator('[aria-label="Piece text"] .qa-block').nth(5).textContent();
			if (!shown?.includes(typedText.trim())) throw new Error('the typed text did not arrive intact in the turn');
		}
		return { keys: probe.keys, frames: probe.frames, eventsOver16: probe.eventsOver16, otherTyped: others, profile, timedOut, notTyped: CONFIG.keystrokes_per_round - probe.keys.length, unresponsive: false };
	} finally {
		typist.destroy();
		await context.close();
	}
}

/** The same typing into a bare contenteditable element (no editor, no other person): the browser's floor. */
export async function bareTypingRound(browser: Browser, base: string) {
	const context = await signedInContext(browser, base);
	try {
		const page = await context.newPage();
		// a page of its own (served by the browser, not Galley), so the probe's init script runs in it
		await page.route(`${base}/__bench-bare`, (route) =>
			route.fulfill({ contentType: 'text/html', body: '<!doctype html><div contenteditable="true" style="font: 16px serif; width: 40em; padding: 1em"><p>Basin Watch: the gauges at Halm.</p></div>' })
		);
		await page.goto(`${base}/__bench-bare`);
		await page.locator('[contenteditable] p').click();
		await page.keyboard.press('End');
		await page.evaluate(() => {
			const p = (window as unknown as { __probe: { keys: number[]; frames: number[] } }).__probe;
			p.keys.length = 0;
			p.frames.length = 0;
		});
		const words = ' Then the gauging teams stopped reporting from the upper weirs.';
		let typedText = '';
		for (let i = 0; i < CONFIG.keystrokes_per_round; i++) typedText += words[i % words.length];
		await page.keyboard.type(typedText, { delay: CONFIG.keystroke_delay_ms });
		await sleep(300);
		const probe = await readProbe(page);
		return { keys: probe.keys, frames: probe.frames, eventsOver16: probe.eventsOver16, otherTyped: 0, profile: undefined, timedOut: false, notTyped: CONFIG.keystrokes_per_round - probe.keys.length, unresponsive: false };
	} finally {
		await context.close();
	}
}

export type TypingRound = Awaited<ReturnType<typeof typingRound>> & { loadavg: number[] };

export function logRound(name: string, r: Awaited<ReturnType<typeof typingRound>>, la: number[]) {
	const p = percentiles(r.keys);
	const f = percentiles(r.frames);
	progress(
		`${name}: keystroke p50 ${p.p50} p99 ${p.p99} max ${p.max} ms over ${p.samples}; keydown → frame p50 ${f.p50} p99 ${f.p99}; event timing ≥ 16 ms: ${r.eventsOver16.length}; the other typed ${r.otherTyped}${r.timedOut ? `; gave up after ${TYPING_LIMIT_MS / 1000} s, ${r.notTyped} keystrokes not typed` : ''} (load ${la.join(' ')})`
	);
}

/** Keystroke latencies pooled over the rounds, and Event Timing beside them. */
export function typingSummary(rounds: TypingRound[]) {
	const keys = rounds.flatMap((r) => r.keys);
	const frames = rounds.flatMap((r) => r.frames);
	const over16 = rounds.flatMap((r) => r.eventsOver16);
	return {
		keystroke_ms: percentiles(keys),
		// keydown → the start of the next animation frame (the issue's "next animation frame"), without the frame's own work
		keystroke_to_frame_ms: percentiles(frames),
		// Event Timing reports only interactions of 16 ms or more: p99 < 16 ms by it means fewer than 1% of the keystrokes have one
		event_timing: {
			interactions_over_16ms: over16.length,
			keystrokes: keys.length,
			share_over_16ms: keys.length ? round(over16.length / keys.length, 3) : null,
			p99_under_16ms: keys.length ? over16.length < keys.length / 100 : null,
			max_ms: over16.length ? Math.max(...over16) : null
		},
		typing_rounds: rounds.map((r) => ({
			...percentiles(r.keys),
			to_frame: percentiles(r.frames),
			event_timing_over_16ms: r.eventsOver16.length,
			other_person_chars: r.otherTyped,
			timed_out: r.timedOut,
			keystrokes_not_typed: r.notTyped,
			page_unresponsive: r.unresponsive,
			loadavg: r.loadavg
		}))
	};
}
