/** Caret colours: distinct, readable on white, with dark text on none of them. */
export const CARET_COLORS = ['#b42318', '#1d4ed8', '#047857', '#7c3aed', '#b45309', '#be185d', '#0e7490', '#4d7c0f'];

export function colorFor(id: string): string {
	let h = 0;
	for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
	return CARET_COLORS[h % CARET_COLORS.length];
}
