// "My assignments" links a section assignment to `/pieces/<id>#<headingId>`. The piece's text is drawn by
// the editor after the page has loaded, so the browser's own jump to the anchor finds nothing: follow it
// once the heading shows in the editor.

/** Scroll to the editor's heading named by `hash` (`#<headingId>`) as soon as it is shown; returns the cleanup. */
export function followSectionAnchor(hash: string): () => void {
	const id = decodeURIComponent(hash.replace(/^#/, ''));
	if (!id || typeof MutationObserver === 'undefined') return () => {};
	const heading = () => {
		const el = document.getElementById(id);
		return el && el.closest('.ProseMirror') ? el : null;
	};
	const found = heading();
	if (found) {
		found.scrollIntoView({ block: 'start' });
		return () => {};
	}
	const observer = new MutationObserver(() => {
		const el = heading();
		if (!el) return;
		stop();
		el.scrollIntoView({ block: 'start' });
	});
	// a heading that never shows (removed meanwhile) is not waited for past the editor's loading
	const giveUp = setTimeout(() => stop(), 30_000);
	const stop = () => {
		clearTimeout(giveUp);
		observer.disconnect();
	};
	observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] });
	return stop;
}
