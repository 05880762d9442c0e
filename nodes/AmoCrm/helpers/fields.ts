import type { AmoCustomFieldValue } from '../transport/types';

/** Every value of the field with this code or id, as strings. */
export function fieldValues(
	fields: AmoCustomFieldValue[] | null | undefined,
	match: { code?: string; id?: number },
): string[] {
	return (fields ?? [])
		.filter(
			(field) =>
				(match.code !== undefined && field.field_code === match.code) ||
				(match.id !== undefined && field.field_id === match.id),
		)
		.flatMap((field) => field.values.map((value) => String(value.value ?? '')));
}

/** Reads a resource locator or a plain value as a positive integer id, or undefined. */
export function idOf(raw: unknown): number | undefined {
	const value =
		typeof raw === 'object' && raw !== null && 'value' in raw
			? (raw as { value: unknown }).value
			: raw;
	const id = Number(String(value ?? '').trim());
	return Number.isInteger(id) && id > 0 ? id : undefined;
}

export function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		chunks.push(list.slice(start, start + size));
	return chunks;
}
