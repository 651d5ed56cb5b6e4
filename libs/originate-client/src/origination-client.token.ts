/** DI token under which the gateway provides its OriginationClient to every dialect. */
export const ORIGINATION_CLIENT = Symbol('ORIGINATION_CLIENT');
