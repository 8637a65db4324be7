import { OFFERED_LINK_TYPES } from './linkset';

/** CORS on every public resolver answer: any web app may read our links (GS1 resolver: SHALL support CORS). */
export const RESOLVER_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Link, Location, Content-Type',
} as const;

/** The answer to a CORS preflight (OPTIONS) on the resolver. */
export const RESOLVER_PREFLIGHT = {
  ...RESOLVER_CORS,
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Accept, Accept-Language, Content-Type',
  'Access-Control-Max-Age': '86400',
  Allow: 'GET, HEAD, OPTIONS',
} as const;

/**
 * The resolver description file served at /.well-known/gs1resolver (GS1 Digital Link 1.2 resolver
 * description): who we are, our root, the primary keys and link types we resolve.
 */
export function resolverDescription(publicBaseUrl: string) {
  return {
    name: '天府溯源 Tianfu Trace GS1 Digital Link resolver',
    resolverRoot: publicBaseUrl,
    supportedPrimaryKeys: ['01'],
    supportedLinkTypes: [{ namespace: 'https://ref.gs1.org/voc/', prefix: 'gs1:', linkTypes: [...OFFERED_LINK_TYPES] }],
    linkTypeDefaultCanBeLinkset: true,
    supportedContextValuesEnumerated: [],
    /** Our pages are served at the Digital Link itself rather than by a redirect to the default link. */
    defaultLinkServedDirectly: true,
    contact: `${publicBaseUrl}/`,
  };
}
