// @ts-check
/**
 * Fault injection: the reason the sandbox exists. A fault matches requests of one service
 * (optionally only paths containing a string) and affects the next `times` of them, or every one
 * until cleared. The kinds below apply to every service; a service may add its own (e.g. Kaspi's
 * page drift), which only requests that service deems eligible consume.
 */
import { controlError, isObject } from './http.mjs';

export const FAULT_KINDS = /** @type {const} */ ([
	'http5xx',
	'timeout',
	'http401',
	'http429',
	'down',
]);

/** @typedef {(typeof FAULT_KINDS)[number]} FaultKind */

/** Kinds whose answer can come after the request was handled normally. */
const AFTER_HANDLING_KINDS = ['http5xx', 'timeout'];

/**
 * @typedef {object} Fault
 * @property {number} id
 * @property {string} service
 * @property {string} fault A `FaultKind`, or one of the service's own kinds.
 * @property {number | null} remaining Matching requests still to affect; null until cleared.
 * @property {number} hits Requests affected so far.
 * @property {number} [status] Response status of `http5xx`.
 * @property {number} [delayMs] Hold time of `timeout`.
 * @property {string} [pathContains]
 * @property {boolean} [afterHandling] `http5xx`/`timeout` only: handle the request normally (store,
 *   create, send), then replace the answer with the 5xx or hold it `delayMs`.
 */

const DEFAULT_5XX_STATUS = 503;
/** Longer than any client timeout worth testing, so a default `timeout` fault reads as a hang. */
const DEFAULT_TIMEOUT_DELAY_MS = 60_000;

/**
 * @param {Record<string, readonly string[]>} serviceKinds Service name → its own fault kinds (often none).
 */
export function createFaultRegistry(serviceKinds) {
	/** @type {Fault[]} */
	let faults = [];
	let nextId = 1;

	return {
		/**
		 * @param {unknown} spec Body of `POST /_control/faults`.
		 * @returns {Fault}
		 */
		add(spec) {
			const fault = validate(spec, serviceKinds);
			fault.id = nextId++;
			faults.push(fault);
			return fault;
		},

		list() {
			return faults;
		},

		/** @param {string} [service] Clears only this service's faults when given. */
		clear(service) {
			faults = service === undefined ? [] : faults.filter((fault) => fault.service !== service);
		},

		/**
		 * Finds the first fault matching this request and consumes one of its `times`.
		 * @param {string} service
		 * @param {string} path
		 * @param {(fault: Fault) => boolean} eligible Which of the matching faults this request may take.
		 * @returns {Fault | undefined}
		 */
		take(service, path, eligible) {
			const fault = faults.find(
				(candidate) =>
					candidate.service === service &&
					(candidate.pathContains === undefined || path.includes(candidate.pathContains)) &&
					eligible(candidate),
			);
			if (fault === undefined) return undefined;
			fault.hits += 1;
			if (fault.remaining !== null) {
				fault.remaining -= 1;
				if (fault.remaining === 0) faults = faults.filter((candidate) => candidate !== fault);
			}
			return fault;
		},
	};
}

/**
 * @param {string} kind
 * @returns {kind is FaultKind}
 */
export function isGenericFault(kind) {
	return /** @type {readonly string[]} */ (FAULT_KINDS).includes(kind);
}

/**
 * @param {unknown} spec
 * @param {Record<string, readonly string[]>} serviceKinds
 * @returns {Fault}
 */
function validate(spec, serviceKinds) {
	if (!isObject(spec)) throw controlError('Body must be a JSON object');
	const { service, fault, times, status, delayMs, pathContains, afterHandling } = spec;
	const serviceNames = Object.keys(serviceKinds);
	if (!serviceNames.includes(service))
		throw controlError(`service must be one of: ${serviceNames.join(', ')}`);
	const kinds = [...FAULT_KINDS, ...serviceKinds[service]];
	if (fault === 'sessionNotWorking') {
		throw controlError(
			'sessionNotWorking is a session state: POST /_control/waha/sessions/{name}/status {"status":"FAILED"}',
		);
	}
	if (!kinds.includes(fault))
		throw controlError(`fault for ${service} must be one of: ${kinds.join(', ')}`);
	if (times !== undefined && !(Number.isInteger(times) && times > 0))
		throw controlError('times must be a positive integer');
	if (
		status !== undefined &&
		!(fault === 'http5xx' && Number.isInteger(status) && status >= 500 && status <= 599)
	) {
		throw controlError('status is only for http5xx and must be 500..599');
	}
	if (
		delayMs !== undefined &&
		!(fault === 'timeout' && Number.isInteger(delayMs) && delayMs >= 0)
	) {
		throw controlError('delayMs is only for timeout and must be a non-negative integer');
	}
	if (pathContains !== undefined && typeof pathContains !== 'string')
		throw controlError('pathContains must be a string');
	if (
		afterHandling !== undefined &&
		!(typeof afterHandling === 'boolean' && AFTER_HANDLING_KINDS.includes(fault))
	) {
		throw controlError(
			`afterHandling is only for ${AFTER_HANDLING_KINDS.join(' and ')} and must be a boolean`,
		);
	}

	/** @type {Fault} */
	const result = { id: 0, service, fault, remaining: times ?? null, hits: 0 };
	if (fault === 'http5xx') result.status = status ?? DEFAULT_5XX_STATUS;
	if (fault === 'timeout') result.delayMs = delayMs ?? DEFAULT_TIMEOUT_DELAY_MS;
	if (pathContains !== undefined) result.pathContains = pathContains;
	if (afterHandling === true) result.afterHandling = true;
	return result;
}
