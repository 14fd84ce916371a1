// A long interview (thousands of turns) renders only the turns near the screen.
//
// Every turn is `content-visibility: auto` (app.css), so the browser skips laying out and painting those far
// from the screen; but to know which are far it checks every one of them on every frame that changes the
// page (Chrome's visibility observer: about 10 ms per frame at 7,000 turns on a slow machine, the largest
// part of a keystroke's cost there). This plugin does that check itself, once per scroll instead of once per
// frame: the turns around the first one on screen (the window) and the one holding the caret are marked
// `turn-near` (a node decoration) and stay `content-visibility: auto`; the editor is marked `turns-windowed`
// and the CSS skips every other turn outright (`content-visibility: hidden`, which the browser does not
// observe). Scrolling moves the window before its edge reaches the screen.
//
// Skipped turns are not in the page's find (Ctrl+F) or printout: Ctrl+F and printing render every turn
// again until the next key typed into the page (or the end of printing). Only pieces of WINDOW_MIN_BLOCKS
// top-level blocks or more are windowed; shorter ones are as before. Browser-only (PieceEditor).
//
// The turn holding the caret, in every piece, is marked `turn-caret` and is never `content-visibility: auto`
// (app.css): a turn just put into the page with `auto` has its contents skipped until the browser's next
// frame decides it is on screen, and a key typed before that frame (a fast typist, a busy page) was inserted
// by the browser at the first text it had laid out after the caret. Enter at the end of a turn, then typing
// at once, put the words at the start of the turn after the new one, which stayed empty (seen in
// interview-co-typing.spec about 1 run in 8; one task with the Enter and the typing fails every time). The
// mark comes with the transaction that puts the caret in the turn, so the turn is in the page with it.
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Node as PmNode } from '@tiptap/pm/model';

/** Pieces with fewer top-level blocks leave every turn to the browser. */
export const WINDOW_MIN_BLOCKS = 400;
/** Top-level blocks kept rendered before and after the first one on screen. */
export const WINDOW_BEFORE = 60;
export const WINDOW_AFTER = 160;
/** The window moves when the first block on screen comes this close to either of its ends. */
const WINDOW_SLACK = 30;

export const NEAR_CLASS = 'turn-near';
export const CARET_CLASS = 'turn-caret';
export const WINDOWED_CLASS = 'turns-windowed';

interface TurnWindowState {
	/** First and last top-level index of the window. */
	first: number;
	last: number;
	/** The top-level index of the selection's head (its turn is always rendered). */
	caret: number;
	/** Every turn rendered for now (find in page, printing). */
	off: boolean;
	set: DecorationSet;
}
type TurnWindowMeta = { first: number; last: number } | { off: boolean };

export const turnWindowKey = new PluginKey<TurnWindowState>('turnWindow');

const topIndex = (doc: PmNode, pos: number) => (doc.childCount ? doc.resolve(Math.min(pos, doc.content.size)).index(0) : 0);
export const isWindowed = (state: TurnWindowState, doc: PmNode) => !state.off && doc.childCount >= WINDOW_MIN_BLOCKS;

/**
 * The decorations of the turns: in a long interview `turn-near` on each Q&A turn in [first, last] and on the
 * caret's; in every piece `turn-caret` on the caret's (see above).
 */
export function nearDecorations(doc: PmNode, first: number, last: number, caret: number): DecorationSet {
	const windowed = doc.childCount >= WINDOW_MIN_BLOCKS;
	const decorations: Decoration[] = [];
	const end = windowed ? Math.max(last, caret) : caret;
	let pos = 0;
	for (let i = 0; i < doc.childCount && i <= end; i++) {
		const child = doc.child(i);
		if (child.type.name === 'qaBlock') {
			const near = windowed && ((i >= first && i <= last) || i === caret);
			const classes = [near && NEAR_CLASS, i === caret && CARET_CLASS].filter(Boolean).join(' ');
			if (classes) decorations.push(Decoration.node(pos, pos + child.nodeSize, { class: classes }));
		}
		pos += child.nodeSize;
	}
	return DecorationSet.create(doc, decorations);
}

function apply(tr: Transaction, old: TurnWindowState, state: EditorState): TurnWindowState {
	const meta = tr.getMeta(turnWindowKey) as TurnWindowMeta | undefined;
	if (!meta && !tr.docChanged && !tr.selectionSet) return old;
	const next = { ...old, ...meta };
	next.caret = topIndex(state.doc, state.selection.head);
	const windowMoved = next.first !== old.first || next.last !== old.last;
	if (!tr.docChanged && !windowMoved && next.caret === old.caret) return next.off === old.off ? old : next;
	if (tr.docChanged && !windowMoved && next.caret === old.caret && tr.before.childCount === state.doc.childCount) {
		// typing in a turn: the same turns, where they were (unless the change replaced a decorated turn)
		const mapped = old.set.map(tr.mapping, state.doc);
		if (mapped.find().length === old.set.find().length) return { ...next, set: mapped };
	}
	return { ...next, set: nearDecorations(state.doc, next.first, next.last, next.caret) };
}

/** The top-level index of the first block whose box reaches below the top of the viewport, or null. */
function firstOnScreen(view: EditorView): number | null {
	const children = view.dom.children;
	if (!children.length) return null;
	let lo = 0;
	let hi = children.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (children[mid].getBoundingClientRect().bottom > 0) hi = mid;
		else lo = mid + 1;
	}
	try {
		return topIndex(view.state.doc, view.posAtDOM(children[lo], 0));
	} catch {
		return null; // not a block's own element
	}
}

function windowView(view: EditorView) {
	let frame = 0;
	const measure = () => {
		frame = 0;
		const state = turnWindowKey.getState(view.state);
		if (!state || view.isDestroyed || !isWindowed(state, view.state.doc)) return;
		const at = firstOnScreen(view);
		if (at === null) return;
		const nearStart = state.first > 0 && at - state.first < WINDOW_SLACK;
		const nearEnd = state.last < view.state.doc.childCount - 1 && state.last - at < WINDOW_AFTER - WINDOW_SLACK * 2;
		if (!nearStart && !nearEnd) return;
		const first = Math.max(0, at - WINDOW_BEFORE);
		view.dispatch(view.state.tr.setMeta(turnWindowKey, { first, last: at + WINDOW_AFTER } satisfies TurnWindowMeta).setMeta('addToHistory', false));
	};
	const schedule = () => {
		if (!frame) frame = requestAnimationFrame(measure);
	};
	const setOff = (off: boolean) => {
		const state = turnWindowKey.getState(view.state);
		if (state && state.off !== off && !view.isDestroyed) view.dispatch(view.state.tr.setMeta(turnWindowKey, { off } satisfies TurnWindowMeta).setMeta('addToHistory', false));
	};
	// Ctrl+F (Cmd+F): the page's find needs every turn rendered; the next other key typed into the page ends it.
	const onKey = (e: KeyboardEvent) => setOff((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f');
	const onBeforePrint = () => setOff(true);
	const onAfterPrint = () => setOff(false);
	addEventListener('scroll', schedule, { capture: true, passive: true });
	addEventListener('resize', schedule, { passive: true });
	addEventListener('keydown', onKey, { capture: true });
	addEventListener('beforeprint', onBeforePrint);
	addEventListener('afterprint', onAfterPrint);
	return {
		update(v: EditorView, prev: EditorState) {
			// blocks added or removed (the piece has loaded, a paste, a split): the first one on screen may be another
			if (v.state.doc.childCount !== prev.doc.childCount) schedule();
		},
		destroy() {
			if (frame) cancelAnimationFrame(frame);
			removeEventListener('scroll', schedule, { capture: true });
			removeEventListener('resize', schedule);
			removeEventListener('keydown', onKey, { capture: true });
			removeEventListener('beforeprint', onBeforePrint);
			removeEventListener('afterprint', onAfterPrint);
		}
	};
}

export const TurnWindow = Extension.create({
	name: 'turnWindow',
	addProseMirrorPlugins() {
		return [
			new Plugin<TurnWindowState>({
				key: turnWindowKey,
				state: {
					init: (_, state) => {
						const caret = topIndex(state.doc, state.selection.head);
						return { first: 0, last: WINDOW_AFTER, caret, off: false, set: nearDecorations(state.doc, 0, WINDOW_AFTER, caret) };
					},
					apply: (tr, old, _oldState, state) => apply(tr, old, state)
				},
				props: {
					decorations: (state) => turnWindowKey.getState(state)?.set,
					attributes: (state): Record<string, string> => {
						const s = turnWindowKey.getState(state);
						return s && isWindowed(s, state.doc) ? { class: WINDOWED_CLASS } : {};
					}
				},
				view: windowView
			})
		];
	}
});
