export * from './register-contacts';
export * from './registrar';
export * from './registrar-auth';
export * from './registrar-reply';
export * from './registrar.errors';
export * from './registrar.options';
export * from './registrar.types';
