// Test helpers of the Basix dialect for end-to-end suites; never imported by production code.
export { BasixClient, type BasixReply } from './basix-client';
