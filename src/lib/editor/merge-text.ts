import * as Y from 'yjs';

// Three-way merge of a short text (a participant's name or label, edited in a plain input of the side
// panel while the document may change it underneath): what I changed since `base` is applied on top of
// what the others changed since `base`, character by character, by the same CRDT that merges the
// editor's text (Yjs), so two people typing in one name both keep their words.

/**
 * Turn `text` (holding `from`) into `to` by the fewest deletions and insertions (a longest common
 * subsequence: names are short), so separate edits at the start and at the end stay separate edits.
 */
function applyEdit(text: Y.Text, from: string, to: string) {
	const a = [...from];
	const b = [...to];
	const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
	for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
	let i = 0;
	let j = 0;
	let at = 0; // where we are in `text`, in UTF-16 units as Y.Text counts
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && a[i] === b[j]) {
			at += a[i].length;
			i++;
			j++;
		} else if (j >= b.length || (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1])) {
			text.delete(at, a[i].length);
			i++;
		} else {
			text.insert(at, b[j]);
			at += b[j].length;
			j++;
		}
	}
}

/**
 * `mine` and `theirs` are two edits of `base`; the result has both. `caret` (an offset in `mine`) is
 * returned as the same place in the result.
 */
export function mergeText(base: string, mine: string, theirs: string, caret = mine.length): { text: string; caret: number } {
	if (theirs === base || theirs === mine) return { text: mine, caret };
	const origin = new Y.Doc();
	origin.getText().insert(0, base);
	const state = Y.encodeStateAsUpdate(origin);
	const docs = [new Y.Doc(), new Y.Doc()];
	docs.forEach((d) => Y.applyUpdate(d, state));
	const [myDoc, theirDoc] = docs;
	applyEdit(myDoc.getText(), base, mine);
	applyEdit(theirDoc.getText(), base, theirs);
	const at = Y.createRelativePositionFromTypeIndex(myDoc.getText(), caret, -1);
	Y.applyUpdate(myDoc, Y.encodeStateAsUpdate(theirDoc));
	const text = myDoc.getText().toString();
	return { text, caret: Y.createAbsolutePositionFromRelativePosition(at, myDoc)?.index ?? text.length };
}

/**
 * A Svelte action for a text input showing one value of the document (a participant's name): the
 * document's changes are shown at once, merged into what is being typed (the caret kept), and a change
 * is committed (on `change`: Enter, Tab, leaving the field), trimmed, as a merge with what the document
 * holds then. (The value is still one attribute: two people committing the same field within the same
 * moment, before either has the other's value, keep the last one written.)
 */
export function mergingInput(node: HTMLInputElement, params: { value: string; commit: (value: string) => void }) {
	let current = params;
	let base = params.value;
	node.value = base;
	const typing = () => document.activeElement === node && node.value !== base;
	const onChange = () => {
		const merged = mergeText(base, node.value, current.value).text.trim();
		// what this field wrote is its new base: the document's echo of it is not taken for someone's edit
		base = merged;
		node.value = merged;
		if (merged !== current.value) current.commit(merged);
	};
	node.addEventListener('change', onChange);
	return {
		update(next: { value: string; commit: (value: string) => void }) {
			const changed = next.value !== current.value;
			current = next;
			if (!changed) return;
			if (!typing()) {
				base = next.value;
				node.value = next.value;
				return;
			}
			const { text, caret } = mergeText(base, node.value, next.value, node.selectionStart ?? node.value.length);
			base = next.value;
			node.value = text;
			node.setSelectionRange(caret, caret);
		},
		destroy() {
			node.removeEventListener('change', onChange);
		}
	};
}
