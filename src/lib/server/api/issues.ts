// Shared steps of the issue routes: who may plan, and what a body's date must be.
import type { Actor } from '../auth/sessions';
import { canGlobal } from '../policies';
import { ApiFailure, apiError } from './http';

/** 403 unless the actor may plan issues (the editor). */
export function requirePlanner(actor: Actor): void {
	if (!canGlobal(actor, 'plan_issues')) throw new ApiFailure(apiError(403, 'Only the editor plans issues: their details, sections and placing'));
}

/** 422 for a YYYY-MM-DD that is no day of the calendar (2027-02-30). */
export function requireCalendarDay(date: string | null | undefined, field = 'date'): void {
	if (!date) return;
	const [y, m, d] = date.split('-').map(Number);
	const day = new Date(Date.UTC(y, m - 1, d));
	if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d || y < 1900 || y > 9999) {
		throw new ApiFailure(apiError(422, `${field}: ${date} is not a day of the calendar`, field));
	}
}
