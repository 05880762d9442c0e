/**
 * Webkassa wire types (docs/services/webkassa.md). Webkassa answers HTTP 200 with `Data`, `Errors`,
 * or both: a repeated external number carries the original receipt in `Data` beside code 14.
 */

export interface WebkassaError {
	Code: number;
	Text?: string;
	/** Code 505 only: the hosts Webkassa's `AlternativeDomainNames` header names instead. */
	alternativeHosts?: string;
}

export interface WebkassaEnvelope<T> {
	Data?: T;
	Errors?: WebkassaError[];
}

/** `OperationType` of `/Check`: 2 sale, 3 return of a sale (0/1 are purchases from suppliers). */
export const OPERATION_SALE = 2;
export const OPERATION_SALE_RETURN = 3;
/** `TaxType`: 100 = VAT, 0 = no VAT (LS `TaxTypeEnum`; the Postman comment saying 1 is wrong). */
export const TAX_TYPE_VAT = 100;
export const TAX_TYPE_NONE = 0;
/**
 * `PaymentType`: 0 cash, 1 bank card, 4 mobile payment. Webkassa refuses 4 on cashboxes whose OFD
 * protocol is older than 2.0.2 (docs/services/webkassa.md, "Payment types").
 */
export const PAYMENT_TYPES = { cash: 0, card: 1, mobile: 4 } as const;
export type PaymentMethod = keyof typeof PAYMENT_TYPES;
/** `UnitCode` 796 = piece (шт), Webkassa's reference `references/RefUnits`; 0 is not in it. */
export const UNIT_PIECE = 796;
/**
 * `RoundType` 0: every sum to two decimals, away from zero, which is the pack's own tiyn arithmetic.
 * Webkassa's default 2 rounds each position to whole tenge (docs/services/webkassa.md, "RoundType").
 */
export const ROUND_TYPE_NONE = 0;
/** `MoneyOperation` `OperationType`: 0 money in, 1 money out. */
export const MONEY_IN = 0;
export const MONEY_OUT = 1;
/** `ExternalCheckNumber` is at most 50 characters (LS). */
export const EXTERNAL_NUMBER_MAX = 50;

export interface WebkassaPosition {
	Count: number;
	Price: number;
	Tax: number;
	TaxType: number;
	TaxPercent?: number;
	PositionName: string;
	PositionCode?: string;
	Discount?: number;
	Markup?: number;
	UnitCode: number;
}

export interface WebkassaPayment {
	Sum: number;
	PaymentType: number;
}

export interface WebkassaReturnBasis {
	CheckNumber: string;
	DateTime: string;
	RegistrationNumber: string;
	Total: number;
	IsOffline: boolean;
}

export interface WebkassaCheckRequest {
	Token?: string;
	CashboxUniqueNumber: string;
	OperationType: number;
	Positions: WebkassaPosition[];
	Payments: WebkassaPayment[];
	Change: number;
	RoundType: number;
	ExternalCheckNumber: string;
	ExternalOrderNumber?: string;
	CustomerEmail?: string;
	CustomerPhone?: string;
	ReturnBasisDetails?: WebkassaReturnBasis;
}

interface WebkassaCashboxInfo {
	UniqueNumber: string;
	RegistrationNumber: string;
	IdentityNumber?: string;
	Address?: string;
}

export interface WebkassaCheckResponse {
	CheckNumber: string;
	DateTime: string;
	OfflineMode: boolean;
	CashboxOfflineMode?: boolean;
	Cashbox: WebkassaCashboxInfo;
	CheckOrderNumber: number;
	ShiftNumber: number;
	EmployeeName?: string;
	TicketUrl: string;
	TicketPrintUrl: string;
}

/** One receipt as `/Check/HistoryByNumber` returns it. */
export interface WebkassaHistoryReceipt {
	Number: string;
	OrderNumber?: number;
	ExternalOrderNumber?: string;
	ExternalCheckNumber?: string;
	/** The RNM of the cashbox that printed it, which a return's basis must name. */
	CashboxRegistrationNumber?: string;
	RegistratedOn: string;
	ShiftNumber: number;
	OperationType: number;
	Total: number;
	Change?: number;
	Tax?: number;
	IsOffline: boolean;
	TicketUrl?: string;
	TicketPrintUrl?: string;
	Positions?: unknown[];
	Payments?: Array<{ Sum: number; PaymentTypeName?: string }>;
}

export interface WebkassaPrintLine {
	Order: number;
	/** 0 text, 1 base64 image, 2 QR code (its value is the OFD link of the receipt). */
	Type: number;
	Value: string;
	Style?: number;
}

export interface WebkassaShift {
	ShiftNumber: number;
	OpenDate: string;
	CloseDate?: string | null;
}

export interface WebkassaShiftHistory {
	CashboxUniqueNumber: string;
	Skip: number;
	Take: number;
	Total: number;
	Shifts: WebkassaShift[];
}

export interface WebkassaCashboxListItem {
	UniqueNumber: string;
	RegistrationNumber: string;
	IdentificationNumber?: string;
	Name?: string;
	Description?: string;
	IsOffline?: boolean;
	CurrentStatus?: number;
	/** The cashbox's current or last shift number. */
	Shift?: number;
}

export interface WebkassaMoneyOperationResponse {
	OfflineMode: boolean;
	ShiftNumber: number;
	DateTime: string;
	Sum: number;
}

/** Paths below the family prefix (`/api/v4` or `/api`). */
export const WEBKASSA_METHODS = {
	authorize: 'Authorize',
	check: 'Check',
	historyByNumber: 'Check/HistoryByNumber',
	printFormat: 'Ticket/PrintFormat',
	zReport: 'ZReport',
	xReport: 'XReport',
	shiftHistory: 'Cashbox/ShiftHistory',
	cashboxes: 'Cashboxes',
	moneyOperation: 'MoneyOperation',
} as const;
export type WebkassaMethod = keyof typeof WEBKASSA_METHODS | 'ticketByExternalNumber';

export const API_PREFIXES = { v4: '/api/v4', legacy: '/api' } as const;

/**
 * The v4 history API's direct lookup by external number; it has no legacy twin, so it is a full
 * path rather than a method below the family prefix.
 */
export const TICKET_BY_EXTERNAL_NUMBER_PATH =
	'/api-history/v4/Ticket/GetTicketByExternalCheckNumber';
