import type * as awarenessProtocol from 'y-protocols/awareness';
import { CARET_COLORS } from '../../domain/people';

/** Caret colour of each person present in one document (by account id), with how many connections they have there. */
export class CaretColours {
	private colours = new Map<string, { colour: string; connections: number }>();

	constructor(private awareness: awarenessProtocol.Awareness) {}

	/**
	 * The caret colour a person shows in this document: their own colour, unless someone else present
	 * already shows it; then the first palette colour nobody here shows (colours come from an id hash, so
	 * two people can share one). "Present" includes the people on other processes whose presence has been
	 * relayed here (their awareness states carry the colour their process gave them). Call `leave` when
	 * the connection closes.
	 */
	join(person: { id: string; color: string }): { colour: string; leave: () => void } {
		let entry = this.colours.get(person.id);
		if (!entry) {
			const taken = new Set([...this.colours.values()].map((e) => e.colour));
			for (const state of this.awareness.getStates().values()) {
				const user = (state as { user?: { id?: unknown; color?: unknown } } | null)?.user;
				if (user && user.id !== person.id && typeof user.color === 'string') taken.add(user.color);
			}
			const colour = !taken.has(person.color) ? person.color : (CARET_COLORS.find((c) => !taken.has(c)) ?? person.color);
			entry = { colour, connections: 0 };
			this.colours.set(person.id, entry);
		}
		entry.connections++;
		const held = entry;
		let left = false;
		return {
			colour: held.colour,
			leave: () => {
				if (left) return;
				left = true;
				if (--held.connections === 0 && this.colours.get(person.id) === held) this.colours.delete(person.id);
			}
		};
	}
}
