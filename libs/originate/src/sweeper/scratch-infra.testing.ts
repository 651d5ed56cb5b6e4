// Kept only until originate.intake.spec.ts imports '../testing/scratch-infra'; excluded from the build.
export * from '../testing/scratch-infra';
