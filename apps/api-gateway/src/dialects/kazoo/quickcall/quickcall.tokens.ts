/** The quickcall settings (KazooQuickcallConfig). */
export const KAZOO_QUICKCALL_CONFIG = Symbol('KAZOO_QUICKCALL_CONFIG');
