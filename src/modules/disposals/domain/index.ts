export * from './disposal-rules';
