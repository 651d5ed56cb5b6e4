// The number rules live once, on libphonenumber, in the directory; the engine keeps this import path.
export { formatNumber, isNanp, normalizeE164, type NumberFormat, type NumberPlan } from '@legwork/directory';
