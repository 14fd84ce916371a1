export * from './accounts';
export * from './bulletin';
export * from './projections';
export * from './people';
