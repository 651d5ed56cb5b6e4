// Helpers shared by every project's tests (imported as @legwork/common/testing; never shipped).
export * from './wait-for';
