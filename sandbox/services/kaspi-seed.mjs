// @ts-check
/**
 * Fictitious but realistic data for the Kaspi emulator: buyers with Kazakh and Russian names,
 * products with merchant SKUs, and the seed orders that cover every state a node has to handle.
 */

/** @typedef {import('./kaspi.mjs').OrderState} OrderState */
/** @typedef {import('./kaspi.mjs').OrderStatus} OrderStatus */

/** The shop's id in the seller cabinet; pickup point ids are `<merchant>_<point>`. */
export const MERCHANT_ID = '30123456';

/** The mask Kaspi returns instead of a phone on some orders (docs/services/kaspi.md, Masked phones). */
export const MASKED_PHONE = '+0(000)-000-00-00';

/** Kazakh mobile operator prefixes, as the first three of Kaspi's 10-digit `cellPhone`. */
export const MOBILE_PREFIXES = [
	'700',
	'701',
	'702',
	'705',
	'707',
	'708',
	'747',
	'771',
	'775',
	'776',
	'777',
	'778',
];

export const BUYER_NAMES = [
	['Айгерим', 'Сейткали'],
	['Нурлан', 'Абенов'],
	['Дана', 'Жумабаева'],
	['Ерлан', 'Касымов'],
	['Алия', 'Нурпеисова'],
	['Асель', 'Токтарова'],
	['Данияр', 'Искаков'],
	['Мадина', 'Ахметова'],
	['Бауыржан', 'Серикбаев'],
	['Жанар', 'Омарова'],
	['Арман', 'Бекмуханов'],
	['Гульнара', 'Есенова'],
	['Санжар', 'Тулегенов'],
	['Айдана', 'Мухамеджанова'],
	['Ольга', 'Смирнова'],
	['Дмитрий', 'Ковалёв'],
	['Наталья', 'Ким'],
	['Сергей', 'Петренко'],
	['Екатерина', 'Волкова'],
];

/**
 * `sku` is the merchant SKU (`offer.code`, the price list's `offer@sku`). The one with `_` is the
 * form the seller cabinet gives offers created there (docs/services/kaspi.md, Entries).
 */
export const PRODUCTS = [
	{
		sku: 'ALS-100245',
		name: 'Ноутбук Lenovo IdeaPad 3 15ITL6 82H8024LRK серый',
		price: 289990,
		category: ['Master - Notebooks', 'Ноутбуки'],
		weight: 1.7,
	},
	{
		sku: 'ALS-77031',
		name: 'Мышь Logitech M185 серый',
		price: 6490,
		category: ['Master - Mice', 'Мыши'],
		weight: 0.1,
	},
	{
		sku: 'SMG-A55-128',
		name: 'Смартфон Samsung Galaxy A55 5G 8 ГБ/128 ГБ тёмно-синий',
		price: 189990,
		category: ['Master - Smartphones', 'Смартфоны'],
		weight: 0.3,
	},
	{
		sku: 'XMI-RN13-256',
		name: 'Смартфон Xiaomi Redmi Note 13 8 ГБ/256 ГБ черный',
		price: 104990,
		category: ['Master - Smartphones', 'Смартфоны'],
		weight: 0.3,
	},
	{
		sku: 'APL-AIRPODS2',
		name: 'Наушники Apple AirPods 2 with Charging Case белый',
		price: 64990,
		category: ['Master - Headphones', 'Наушники'],
		weight: 0.2,
	},
	{
		sku: 'PHL-HD4646',
		name: 'Электрочайник Philips HD4646/70 белый',
		price: 18990,
		category: ['Master - Electric kettles', 'Электрочайники'],
		weight: 1.2,
	},
	{
		sku: 'TFL-G2550672',
		name: 'Сковорода Tefal Unlimited 28 см черный',
		price: 21990,
		category: ['Master - Frying pans', 'Сковороды'],
		weight: 1.4,
	},
	{
		sku: 'DSN-V8ABS',
		name: 'Пылесос Dyson V8 Absolute серебристый',
		price: 219990,
		category: ['Master - Vacuum cleaners', 'Пылесосы'],
		weight: 2.6,
	},
	{
		sku: 'KNG-DTX64',
		name: 'USB-флешка Kingston DataTraveler Exodia 64 ГБ',
		price: 3490,
		category: ['Master - USB flash drives', 'USB-флешки'],
		weight: 0.05,
	},
	{
		sku: 'LG-43UR78',
		name: 'Телевизор LG 43UR78006LK 109 см черный',
		price: 169990,
		category: ['Master - TVs', 'Телевизоры'],
		weight: 8.9,
	},
	{
		sku: 'BSH-TAT3A011',
		name: 'Тостер Bosch TAT3A011 белый',
		price: 15490,
		category: ['Master - Toasters', 'Тостеры'],
		weight: 1.1,
	},
	{
		sku: 'LGO-11017',
		name: 'Конструктор LEGO Classic 11017 Кубики для творческого конструирования',
		price: 24990,
		category: ['Master - Constructors', 'Конструкторы'],
		weight: 0.6,
	},
	{
		sku: '165601653_465140475',
		name: 'Внешний аккумулятор Xiaomi Redmi 20000 мАч черный',
		price: 11990,
		category: ['Master - Power banks', 'Внешние аккумуляторы'],
		weight: 0.4,
	},
];

/** Streets for buyers of the merchant's own city delivery. */
export const ALMATY_STREETS = [
	'проспект Абая',
	'улица Толе би',
	'проспект Достык',
	'улица Жандосова',
	'микрорайон Самал-2',
	'улица Розыбакиева',
];

/**
 * @typedef {object} SeedOrder
 * @property {number} daysAgo Age of the order relative to the sandbox's start or last reset.
 * @property {[string, string]} buyer
 * @property {OrderState} state
 * @property {OrderStatus} [status]
 * @property {'pickup' | 'ownDelivery' | 'kaspiDelivery' | 'postomat'} delivery
 * @property {'masked' | 'none' | 'notOnWhatsApp'} [phone] Default: a real-looking mobile number.
 * @property {string} [cancellationReason]
 */

/**
 * New orders waiting for acceptance, accepted ones in every delivery tab, and archived ones, some
 * beyond the 14-day window. Phones: a few masked, two absent, and one ending in `00`, which the
 * WAHA emulator reports as not on WhatsApp.
 * @type {SeedOrder[]}
 */
export const SEED_ORDERS = [
	{ daysAgo: 0.04, buyer: ['Айгерим', 'Сейткали'], state: 'NEW', delivery: 'pickup' },
	{ daysAgo: 0.2, buyer: ['Нурлан', 'Абенов'], state: 'NEW', delivery: 'ownDelivery' },
	{ daysAgo: 0.3, buyer: ['Алия', 'Нурпеисова'], state: 'SIGN_REQUIRED', delivery: 'pickup' },
	{ daysAgo: 0.6, buyer: ['Дана', 'Жумабаева'], state: 'NEW', delivery: 'kaspiDelivery' },
	{
		daysAgo: 1.1,
		buyer: ['Ольга', 'Смирнова'],
		state: 'NEW',
		delivery: 'postomat',
		phone: 'notOnWhatsApp',
	},
	{ daysAgo: 1.5, buyer: ['Ерлан', 'Касымов'], state: 'NEW', delivery: 'pickup', phone: 'none' },
	{ daysAgo: 2.2, buyer: ['Асель', 'Токтарова'], state: 'PICKUP', delivery: 'pickup' },
	{ daysAgo: 3.4, buyer: ['Дмитрий', 'Ковалёв'], state: 'DELIVERY', delivery: 'ownDelivery' },
	{
		daysAgo: 4.1,
		buyer: ['Данияр', 'Искаков'],
		state: 'KASPI_DELIVERY',
		delivery: 'kaspiDelivery',
	},
	{
		daysAgo: 5.8,
		buyer: ['Мадина', 'Ахметова'],
		state: 'ARCHIVE',
		status: 'COMPLETED',
		delivery: 'pickup',
		phone: 'masked',
	},
	{
		daysAgo: 7.3,
		buyer: ['Бауыржан', 'Серикбаев'],
		state: 'ARCHIVE',
		status: 'CANCELLED',
		delivery: 'ownDelivery',
		cancellationReason: 'BUYER_NOT_REACHABLE',
	},
	{
		daysAgo: 8.9,
		buyer: ['Наталья', 'Ким'],
		state: 'ARCHIVE',
		status: 'COMPLETED',
		delivery: 'kaspiDelivery',
		phone: 'masked',
	},
	{ daysAgo: 10.2, buyer: ['Жанар', 'Омарова'], state: 'PICKUP', delivery: 'pickup' },
	{
		daysAgo: 11.7,
		buyer: ['Сергей', 'Петренко'],
		state: 'ARCHIVE',
		status: 'COMPLETED',
		delivery: 'ownDelivery',
	},
	{
		daysAgo: 13.1,
		buyer: ['Гульнара', 'Есенова'],
		state: 'ARCHIVE',
		status: 'RETURNED',
		delivery: 'kaspiDelivery',
		phone: 'none',
	},
	{
		daysAgo: 16.5,
		buyer: ['Арман', 'Бекмуханов'],
		state: 'ARCHIVE',
		status: 'COMPLETED',
		delivery: 'pickup',
	},
	{
		daysAgo: 19.2,
		buyer: ['Екатерина', 'Волкова'],
		state: 'ARCHIVE',
		status: 'CANCELLED',
		delivery: 'postomat',
		cancellationReason: 'MERCHANT_OUT_OF_STOCK',
	},
	{
		daysAgo: 25.6,
		buyer: ['Санжар', 'Тулегенов'],
		state: 'ARCHIVE',
		status: 'COMPLETED',
		delivery: 'pickup',
		phone: 'masked',
	},
];
